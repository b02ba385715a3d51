/**
 * Feeds a recording through the live pipeline (screen → status tracker) on a virtual clock: as
 * fast as the CPU allows, yet every look at the screen happens at the recorded time, so a replay
 * gives the same timeline on every machine.
 */
import type { Detector, Verdict } from '../status/detector.ts';
import type { StatusChange } from '../status/status.ts';
import { openAsciicast, type AsciicastEvent, type AsciicastHeader } from '../terminal/asciicast.ts';
import { VirtualClock } from '../terminal/clock.ts';
import { Screen } from '../terminal/screen.ts';
import { StatusTracker } from './status-tracker.ts';

export interface ReplayResult {
  header: AsciicastHeader;
  /** Status changes, `at` in ms since the recording started; the first is the initial status. */
  changes: StatusChange[];
  screen: Screen;
  /** Seconds, the time of the last event. */
  duration: number;
}

/** Bytes handed to the emulator before waiting for it to catch up (xterm refuses > 50 MB queued). */
const MAX_QUEUED_CHARS = 4 * 1024 * 1024;

export interface ReplayOptions {
  /** Stop at this many seconds into the recording: the screen and status as they were then. */
  until?: number;
  /** Called after each output event has been parsed, with its time in ms (for scoring tools). */
  observe?: (screen: Screen, atMs: number) => void;
  /** The agent's own hook reports, given to the status tracker at the recorded times. */
  reports?: ReplayedReport[];
}

/** A hook report as the daemon took it: its status, when the hook made it and when it arrived (ms into the recording). */
export interface ReplayedReport {
  verdict: Verdict;
  madeMs: number;
  receivedMs: number;
}

export async function replayRecording(
  file: string,
  detector: Detector,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const { header, events } = await openAsciicast(file);
  return replayEvents(header, events, detector, options);
}

/** The same, for events already in hand (the benchmark replays from memory). */
export async function replayEvents(
  header: AsciicastHeader,
  events: AsyncIterable<AsciicastEvent> | Iterable<AsciicastEvent>,
  detector: Detector,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const clock = new VirtualClock(0);
  const screen = new Screen({ cols: header.width, rows: header.height });
  const tracker = new StatusTracker({ screen, detector, clock, onChange: (change) => changes.push(change) });
  const changes: StatusChange[] = [tracker.latest];
  // Each report reaches the tracker when it reached the daemon, on the screen of that moment.
  for (const report of options.reports ?? []) clock.setTimeout(() => tracker.reported(report.verdict, report.madeMs), report.receivedMs);

  // Each event is handed over once the next one is known: its "parsed" callback moves the clock
  // to the next event's time, so timers due in between see exactly this event's screen.
  let held: AsciicastEvent | undefined;
  let queued = 0;
  const release = (event: AsciicastEvent, nextMs: number) => {
    const advance = () => clock.advanceTo(nextMs);
    if (event.type === 'o') {
      const observe = options.observe;
      screen.write(event.data, observe ? () => { observe(screen, event.time * 1000); advance(); } : advance);
      queued += event.data.length;
    } else if (event.type === 'i') {
      screen.afterParsed(() => {
        tracker.input(event.data);
        advance();
      });
    } else if (event.type === 'r') {
      screen.afterParsed(() => {
        screen.resize(event.cols, event.rows);
        advance();
      });
    }
  };

  let lastTime = 0;
  try {
    for await (const event of events) {
      if (event.type === 'm') continue; // a marker: no effect on screen or status
      if (event.time > until) break;
      const ms = event.time * 1000;
      if (held) release(held, ms);
      else screen.afterParsed(() => clock.advanceTo(ms));
      held = event;
      lastTime = event.time;
      if (queued > MAX_QUEUED_CHARS) {
        queued = 0;
        await screen.flush();
      }
    }
    if (held) release(held, lastTime * 1000);
    await screen.flush();
    // The screen stays as it was after the last event; time still passes up to the asked moment.
    if (Number.isFinite(until)) clock.advanceTo(until * 1000);
  } finally {
    tracker.dispose();
  }
  return { header, changes, screen, duration: lastTime };
}
