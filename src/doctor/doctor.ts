/**
 * drover doctor: the CLI the user has installed, at its real version, driven through the standard
 * scenarios against drover's mock model, each expected state judged against what drover's daemon
 * said — the detection it runs for every agent, hooks included — and how fast.
 *
 * Each check times drover from the moment the driver or the mock knew the state began: the key
 * it sent (Enter, an answer, Esc), the mock's event (a tool call sent, the reply's end, an HTTP
 * error sent), to the moment the daemon announced the status to its clients. The CLI's own time to
 * draw (a dialog, its wind-down) is in the figure: it is what a person waits for too.
 */
import type { PermissionOption } from '../status/permission.ts';
import type { Status } from '../status/status.ts';
import type { MockableProvider } from './homes.ts';
import type { MockEvent } from './mock-model/server.ts';
import { MOCK_PATIENCE, waitWhileWorking } from './patience.ts';
import { askingPath, LONG_ANSWER, questionCall } from './scenarios.ts';
import { showsBusy } from './signs.ts';
import { DoctorSession, DriverError, type Said, type SessionOptions } from './session.ts';

export interface Check {
  scenario: string;
  /** The state drover should say (any of these). */
  expected: Status[];
  /** What the latency counts from. */
  from: string;
  /** 'not offered': the CLI has no such thing to test; 'not run': the driver could not make it happen. */
  outcome: 'recognised' | 'missed' | 'not offered' | 'not run';
  latencyMs?: number;
  /** The rule or signal that decided it; for a miss, what drover said instead; why not offered. */
  note: string;
}

export interface DoctorReport {
  provider: MockableProvider;
  version: string;
  command: string;
  cols: number;
  rows: number;
  checks: Check[];
  /** Where the CLI's terminal recording was kept. */
  recording?: string;
  /** The driver could not go on (the CLI never showed what a person waits for). */
  aborted?: string;
  durationMs: number;
}

export interface DoctorOptions extends SessionOptions {
  version: string;
  /** Where to keep the recording (a file path). */
  keepAs: string;
  onCheck?: (check: Check) => void;
}

/** How long drover gets, at most, to say a state once the driver knows it began. */
const READY_GRACE_MS = 15_000;
const DIALOG_GRACE_MS = 10_000;

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const started = Date.now();
  const session = new DoctorSession(options);
  const checks: Check[] = [];
  const add = (check: Check) => {
    checks.push(check);
    options.onCheck?.(check);
  };
  const report = (extra: Partial<DoctorReport>): DoctorReport => ({
    provider: options.provider,
    version: options.version,
    command: options.command,
    cols: options.cols,
    rows: options.rows,
    checks,
    durationMs: Date.now() - started,
    ...extra,
  });
  let aborted: string | undefined;
  try {
    await session.start(options.keepAs);
    await new Steps(session, options.provider, add).all();
  } catch (error) {
    if (!(error instanceof DriverError)) {
      await session.finish(options.keepAs).catch(() => undefined);
      throw error;
    }
    aborted = error.message;
  }
  const recording = await session.finish(options.keepAs);
  return report({ ...(recording ? { recording } : {}), ...(aborted ? { aborted } : {}) });
}

/** Until when a state must last, and what ends it (for the note on a miss). */
interface Hold {
  until: number;
  what: string;
}

/** The standard scenarios, one after another in one session of the CLI. */
class Steps {
  constructor(
    private readonly s: DoctorSession,
    private readonly provider: MockableProvider,
    private readonly add: (check: Check) => void,
  ) {}

  async all(): Promise<void> {
    await this.idle();
    await this.answer();
    await this.permission('permission');
    await this.permission('deny');
    await this.question();
    await this.error();
    await this.interrupt();
  }

  /** Launch → the first ready prompt → idle. */
  private async idle(): Promise<void> {
    // Long: a first start in a new HOME may install packages (opencode its plugin's, from npm).
    const seen = await this.s.waitScreen(this.s.showsReady, 360_000, 'its first ready prompt');
    await this.judge('idle', ['idle'], 'launch', this.s.launchedAt, seen + READY_GRACE_MS);
  }

  /** A stalled, then streamed answer: working from Enter (and all along), done from the reply's end. */
  private async answer(): Promise<void> {
    this.s.script([{ stall_s: 2 }, { text: LONG_ANSWER, delay_ms_per_word: 60 }]);
    const enter = await this.s.prompt('Please say hello');
    const end = await this.mock('turn-end', enter, 'the end of the answer');
    await this.working('answer', enter, end.at, 'the turn ended');
    await this.judge('answer', ['done'], "the reply's end", end.at, end.at + READY_GRACE_MS);
    await this.ready(end.at);
  }

  /** A tool call that asks first: needs_permission; approved → working → done, or denied → done. */
  private async permission(scenario: 'permission' | 'deny'): Promise<void> {
    const file = scenario === 'deny' ? 'precious.txt' : 'created.txt';
    const command = scenario === 'deny' ? 'rm -f' : 'touch';
    this.s.script([
      { text: 'I will run the command now.', tool: { shell: `${command} ${askingPath(this.s.outsideDir, this.provider, file)}` } },
      { text: scenario === 'deny' ? 'Understood, I will leave it alone.' : 'Done: the command ran.', delay_ms_per_word: 60 },
    ]);
    const enter = await this.s.prompt(scenario === 'deny' ? 'Delete the file please' : 'Create the file please');
    const call = await this.mock('tool-call-sent', enter, 'the tool call');
    await this.working(scenario, enter, call.at, 'the tool call');
    const seen = await this.s.waitScreen((screen) => screen.includes(this.s.signs.permission), 60_000, 'the permission dialog');
    await this.judge(scenario, ['needs_permission'], 'the tool call', call.at, seen + DIALOG_GRACE_MS);
    if (scenario === 'permission') {
      const answered = await this.answerDialog('\r');
      await this.judge(scenario, ['working'], 'the approval (Enter)', answered, answered + DIALOG_GRACE_MS);
      const end = await this.mock('turn-end', answered, 'the reply after the tool ran');
      await this.judge(scenario, ['done'], "the reply's end", end.at, end.at + READY_GRACE_MS);
      await this.ready(end.at);
      return;
    }
    // Its options read as a person reads them, once drawn: a screen read just after the dialog's
    // question showed held none of them (Qwen Code 0.24 on a loaded machine).
    const read: { deny?: PermissionOption } = {};
    const readDeny = (screen: string) => (read.deny = this.s.provider.read.permissionPrompt(screen.split('\n'))?.options.find((o) => o.choice === 'deny')) !== undefined;
    await this.s.waitScreen(readDeny, DIALOG_GRACE_MS).catch(() => undefined);
    const { deny } = read;
    if (!deny) {
      this.add({ scenario, expected: ['done'], from: 'the refusal', outcome: 'missed', note: "drover's parser found no deny option in the dialog (Esc sent instead)" });
    }
    const answered = await this.answerDialog(deny?.keys ?? '\x1b');
    // A CLI may tell the model and go on (a new request), or end the turn by itself.
    const asked = await this.s.waitMock((e) => e.kind === 'request' && e.role === 'main', answered, 4000);
    const end = asked ? await this.mock('turn-end', asked.at, 'the reply after the refusal') : undefined;
    if (!deny) return void (await this.ready(end?.at ?? answered));
    const from = end ? end.at : answered;
    await this.judge(scenario, ['done'], end ? "the reply's end" : 'the refusal', from, from + READY_GRACE_MS);
    await this.ready(from);
  }

  /**
   * Presses the keys that answer the permission dialog, again (up to 3 times) while it stays drawn
   * and the model is not asked, as a person would: Qwen Code 0.15 dropped an Enter pressed 30 ms
   * after its dialog was drawn. The time of the last press.
   */
  private async answerDialog(keys: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const at = await this.s.keys(keys);
      const closed = await this.s.waitScreen((screen) => !screen.includes(this.s.signs.permission), 5000).then(() => true, () => false);
      if (closed || attempt === 3 || this.s.mockEvents.some((e) => e.kind === 'request' && e.role === 'main' && e.at >= at)) return at;
    }
  }

  /** The CLI's question tool: needs_input; answered with Enter (twice where it confirms) → done. */
  private async question(): Promise<void> {
    const call = questionCall(this.provider);
    const offered = this.s.mock.log.filter((entry) => entry.role === 'main' && entry.tool_names).at(-1)?.tool_names ?? [];
    if (!call || !offered.includes(call.tool.name)) {
      const why = call ? `its requests offer no ${call.tool.name} tool` : 'drover knows no question tool of this CLI';
      return this.add({ scenario: 'question', expected: ['needs_input'], from: '—', outcome: 'not offered', note: why });
    }
    this.s.script([call, { text: 'Red it is. The button is now red.', delay_ms_per_word: 60 }]);
    const enter = await this.s.prompt('Make the button a nice colour');
    const sent = await this.mock('tool-call-sent', enter, 'the question');
    await this.working('question', enter, sent.at, 'the question was sent');
    const seen = await this.s.waitScreen((screen) => screen.includes(this.s.signs.question!), 60_000, 'the question');
    await this.judge('question', ['needs_input'], 'the tool call', sent.at, seen + DIALOG_GRACE_MS);
    let answered = await this.s.keys('\r');
    // Some CLIs confirm a choice in a second step; the model is asked again only once it is final.
    if (!(await this.s.waitMock((e) => e.kind === 'request' && e.role === 'main', answered, 4000))) answered = await this.s.keys('\r');
    const end = await this.mock('turn-end', answered, 'the reply after the answer');
    await this.judge('question', ['done'], "the reply's end", end.at, end.at + READY_GRACE_MS);
    await this.ready(end.at);
  }

  /** Every request fails (HTTP 400); once the CLI gives up: error, timed from the last failure before it. */
  private async error(): Promise<void> {
    this.s.script([{ error: 400, sticky: true }]);
    const enter = await this.s.prompt('Trigger a scripted error');
    const first = await this.mock('error-sent', enter, 'the first HTTP error');
    await this.working('error', enter, first.at, 'the first HTTP error');
    const said = await this.s.waitStatus(['error'], first.at, Date.now() + 90_000);
    const failures = this.s.mockEvents.filter((e) => e.kind === 'error-sent' && e.role === 'main' && e.at >= enter);
    const last = failures.filter((e) => !said || e.at <= said.at).at(-1)!;
    this.record('error', ['error'], 'the last HTTP error', last.at, said);
    await this.ready(last.at);
  }

  /** Esc while the answer streams (twice where the CLI asks for it): done or idle from the Esc that took. */
  private async interrupt(): Promise<void> {
    this.s.script([{ text: `${LONG_ANSWER} ${LONG_ANSWER}`, delay_ms_per_word: 150 }]);
    const enter = await this.s.prompt('Tell me a long story');
    await this.mock('first-token', enter, 'the first words of the answer');
    await this.s.waitScreen((screen) => screen.includes('mock model'), 30_000, 'the answer on screen');
    let esc = Date.now();
    await this.working('interrupt', enter, esc, 'the Esc');
    if ((await this.s.screen()).includes('esc esc interrupt')) {
      // Copilot CLI: a double tap, as two presses. On a busy machine a tap is sometimes lost and the
      // answer streams on: a person taps again — once, where the screen says the first tap took
      // ("esc again to interrupt": a CLI running late read both presses as one).
      for (let attempt = 1; attempt <= 3; attempt++) {
        if (!(await this.s.screen()).includes('esc again')) {
          await this.s.keys('\x1b');
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
        esc = await this.s.keys('\x1b');
        const stopped = await this.s.waitScreen((screen) => !showsBusy(this.s.signs, screen), 4000).then(() => true, () => false);
        if (stopped) break;
      }
    } else {
      esc = await this.s.keys('\x1b');
      const armed = await this.s.waitScreen((screen) => screen.includes('esc again'), 2000).then(() => true, () => false);
      if (armed) esc = await this.s.keys('\x1b');
    }
    // The prompt back is what a person waits for, or the cut prompt back in the input with the CLI
    // saying so (Qwen Code 0.24, which also lets the request stream on to its end unread).
    const { cancelled } = this.s.signs;
    const cut = (screen: string) => this.s.showsReady(screen) || (cancelled !== undefined && screen.includes(cancelled) && !showsBusy(this.s.signs, screen));
    const cutAt = await this.s.waitScreen(cut, 30_000).catch(() => undefined);
    const readyAt = cutAt ?? Date.now();
    if (this.s.mockEvents.some((e) => e.kind === 'turn-end' && e.role === 'main' && e.at >= esc && (cutAt === undefined || e.at < cutAt))) {
      // The CLI's doing, not drover's: there is no interrupted turn to judge.
      return this.add({ scenario: 'interrupt', expected: ['done', 'idle'], from: 'Esc', outcome: 'not run', note: 'the CLI took no Esc in time: the answer streamed to its end' });
    }
    await this.judge('interrupt', ['done', 'idle'], 'Esc', esc, Math.max(readyAt, esc) + READY_GRACE_MS);
  }

  /**
   * From the submit key to `until` (the mock's next event, or the Esc) the turn runs: working from
   * the key, and nothing else before then (a ready or error status meanwhile is a false one).
   */
  private working(scenario: string, enter: number, until: number, what: string): Promise<void> {
    return this.judge(scenario, ['working'], 'Enter', enter, until, { until, what });
  }

  /** Waits for drover to say one of `expected` in [from, by], and records the check. */
  private async judge(scenario: string, expected: Status[], from: string, at: number, by: number, hold?: Hold): Promise<void> {
    const said = await this.s.waitStatus(expected, at, by);
    this.record(scenario, expected, from, at, said, hold);
  }

  private record(scenario: string, expected: Status[], from: string, at: number, said: Said | undefined, hold?: Hold): void {
    if (!said) {
      const instead = this.s.statusAt(Date.now());
      const path = this.s.saidBetween(at, Date.now()).map((s) => s.status);
      const note = `drover said ${instead ? `${instead.status} (${instead.rule})` : 'nothing'}${path.length > 1 ? `; went ${path.join(' → ')}` : ''}`;
      return this.add({ scenario, expected, from, outcome: 'missed', note });
    }
    // A state that must last (working while the turn runs): another status before it ends is a false one.
    const left = hold && this.s.saidBetween(said.at, hold.until).find((s) => !expected.includes(s.status));
    if (left) {
      const note = `then ${left.status} (${left.rule}) ${formatMs(hold!.until - left.at)} before ${hold!.what}`;
      return this.add({ scenario, expected, from, outcome: 'missed', latencyMs: said.at - at, note });
    }
    this.add({ scenario, expected, from, outcome: 'recognised', latencyMs: Math.max(0, said.at - at), note: said.rule });
  }

  /**
   * The first main-request mock event of `kind` after `since`, waited for while the CLI shows work
   * (MOCK_PATIENCE); the driver cannot go on without it.
   */
  private async mock(kind: MockEvent['kind'], since: number, what: string): Promise<MockEvent> {
    const event = await waitWhileWorking(
      (timeoutMs) => this.s.waitMock((e) => e.kind === kind && e.role === 'main', since, timeoutMs),
      async () => (await this.s.screen()).includes(this.s.signs.busy),
      MOCK_PATIENCE,
    );
    if (!event) throw new DriverError(`the mock model never saw ${what}; the screen:\n${await this.s.screen()}`);
    return event;
  }

  /** Before the next scenario: the CLI's ready prompt is back (as a person would wait for it). */
  private async ready(since: number): Promise<void> {
    await this.s.waitScreen(this.s.showsReady, 60_000, 'the ready prompt');
    // A ready prompt drawn while drover still settles: the next Enter must find it settled.
    await this.s.waitStatus(['idle', 'done', 'error'], since, Date.now() + READY_GRACE_MS);
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
