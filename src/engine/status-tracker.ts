/**
 * Turns a screen into a status, event-driven: a look is taken after the emulator parses a write
 * (at most once per `minIntervalMs`, with a trailing look so the last frame is always judged) and
 * when a settle timer armed by a write comes due. A silent program costs nothing — except where
 * the foreground process is a signal (shells): it changes with nothing written, so it is looked
 * at on a timer too.
 *
 * Hysteresis is policy here, not in the rules: a busy or blocking state is entered at once; a ready
 * state (idle/done) only after the screen has stayed unchanged for the provider's settle time.
 */
import { settleText, type Detector, type Verdict } from '../status/detector.ts';
import { LookMemo } from '../status/look-memo.ts';
import { READY_STATUSES, WORK_STATUSES, type Status, type StatusChange } from '../status/status.ts';
import type { Clock, Timer } from '../terminal/clock.ts';
import type { Screen } from '../terminal/screen.ts';

export interface StatusTrackerOptions {
  screen: Screen;
  detector: Detector;
  clock: Clock;
  onChange: (change: StatusChange) => void;
  /** Looks closer together than this are merged into one (bounds CPU under a spinner). */
  minIntervalMs?: number;
  /** Live agents: whether the launched program holds the terminal's foreground (shells). */
  foregroundIsLeader?: () => boolean | undefined;
  /** Told after each look, once `lastVerdict` holds what it found. */
  onLook?: () => void;
  /** An agent adopted from a previous daemon: the status it had, kept until its screen says otherwise. */
  initialStatus?: Status;
}

/** States from which Enter submits a message. */
const SUBMITTABLE: ReadonlySet<Status> = new Set(['idle', 'done', 'error']);
/** How long a bare Enter is taken as working while the screen has not caught up. */
const SUBMIT_HOLD_MS = 1000;
/**
 * How long a submitted message (text typed or pasted, then Enter), or a turn the hooks say began,
 * is taken as working while the screen does not show the turn yet: a CLI may redraw its prompt
 * (the message moved into the transcript, an empty input) seconds before it draws any sign of work
 * (Claude Code: 4.4 s after the first prompt given at spawn, on a loaded machine), and that prompt is not `done`.
 */
const TURN_START_MS = 15_000;
/**
 * How long a status the agent's hooks reported (a dialog it has decided to show) stands while its
 * screen still shows the work before it: the CLI may take seconds to draw what it decided.
 */
const REPORT_HOLD_MS = 5000;
/** Pasted text is the message, not keys: an Enter inside it submits nothing. */
const BRACKETED_PASTE = /\x1b\[200~[\s\S]*?\x1b\[201~/g;

/** A frame held open by DEC 2026 longer than this is judged anyway: the program may have died mid-frame. */
const MAX_SYNCHRONIZED_HOLD_MS = 1000;

/** How often the foreground process is looked at while nothing is written. */
const FOREGROUND_LOOK_MS = 250;

/**
 * A screen no rule has recognised for this long is said to be unrecognised (ls, explain): its
 * status is only the last one a rule gave, and a CLI update may have moved what a rule anchors on.
 */
export const UNRECOGNISED_MS = 10_000;

export class StatusTracker {
  private current: StatusChange;
  private lastText: string | undefined;
  private lastLines: string[] = [];
  /** The rows and title the last look read, whose settle text is `lastText`. */
  private lastRead: { lines: string[]; title: string } | undefined;
  private readonly memo = new LookMemo();
  /** Something was parsed since the last look: only then is the screen read again. */
  private dirty = false;
  private lastChangeAt: number;
  private lastLookAt = Number.NEGATIVE_INFINITY;
  private syncSince: number | undefined;
  private timer: Timer | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private foregroundTimer: Timer | undefined;
  private verdict: Verdict | undefined;
  private readonly minIntervalMs: number;
  private readonly unsubscribe: () => void;
  private final = false;
  private hasWorked = false;
  /** Enter went in on a ready prompt and the screen has not changed since. */
  private submitUnanswered = false;
  /** Since when no rule or signal has recognised the screen (a look whose verdict was unknown). */
  private unrecognisedSince: number | undefined;
  private submitHoldUntil = Number.NEGATIVE_INFINITY;
  private changedSinceSubmit = false;
  /** Text typed or pasted at a ready prompt since the last submit: the next Enter submits a message. */
  private typed = false;
  /** The keys typed (not pasted) at a ready prompt since the last submit, and whether anything was pasted. */
  private typedKeys = '';
  private pasted = false;
  /**
   * A turn that must have begun (a message submitted, or the hooks said so), and the status it was
   * submitted from: until the screen shows work (or the hooks say the turn ended, or `until`), a
   * ready screen is the prompt drawn before the turn is, not the turn's end.
   */
  private awaitingTurn: { until: number; from: Status; reportedStart?: boolean } | undefined;
  /** A blocking status the hooks reported, standing against a screen that still shows work until then. */
  private reportHold: { status: Status; until: number } | undefined;
  /** When the status last changed on anything but a hook's word: an older report is stale. */
  private screenSaidAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: StatusTrackerOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 20;
    this.lastChangeAt = options.clock.now();
    const adopted = options.initialStatus;
    this.current = adopted ? { at: this.lastChangeAt, status: adopted, rule: 'adopted' } : { at: this.lastChangeAt, status: options.detector.initialStatus, rule: 'initial' };
    // An adopted agent that had worked is done, not idle, when its screen shows the prompt.
    this.hasWorked = adopted !== undefined && adopted !== 'starting' && adopted !== 'idle';
    this.unsubscribe = options.screen.onParsed(() => {
      this.dirty = true;
      this.requestLook();
    });
    if (options.foregroundIsLeader) this.watchForeground();
  }

  get status(): Status {
    return this.current.status;
  }

  get latest(): StatusChange {
    return this.current;
  }

  /** How long (ms) no rule has recognised its screen, once that is UNRECOGNISED_MS or more; else 0. */
  get unrecognisedMs(): number {
    if (this.final || this.unrecognisedSince === undefined) return 0;
    const ms = this.options.clock.now() - this.unrecognisedSince;
    return ms >= UNRECOGNISED_MS ? ms : 0;
  }

  /**
   * What the detector said at the last look, before the settle and submit policies: a shell's
   * child holding the terminal reads working here even while an Enter's own `working` stands.
   */
  get lastVerdict(): Verdict | undefined {
    return this.verdict;
  }

  /** How long the settle regions have been unchanged as of the last look (0 while a look is due). */
  get quietMs(): number {
    return this.dirty ? 0 : this.options.clock.now() - this.lastChangeAt;
  }

  /**
   * A status the agent reported itself (its hooks), made at `madeAt` (this clock; default now).
   * Dropped when the status has changed on other evidence since: a stale hook must not override
   * a screen that moved on. A busy or blocking one is taken at once, then checked against the
   * screen once it has had time to settle: hooks miss things (none fires on an Esc interrupt), and
   * the screen has the last word. A ready one, or a failure, only prompts a look.
   */
  reported(verdict: Verdict, madeAt = this.options.clock.now()): void {
    if (this.final || madeAt < this.screenSaidAt) return;
    this.dirty = true;
    if (READY_STATUSES.has(verdict.status)) {
      // "The turn ended" is the screen's to confirm (it may still be drawing the answer): look now,
      // and the settle policy decides when ready is true. It ends the wait for a turn the hooks
      // said began; before they have, it is the end of the turn before, reported late (opencode's
      // plugin reports one event at a time, a Node start each: the idle of a failed turn came after
      // the next message was submitted, while the screen still showed that failure).
      if (!this.awaitingTurn || this.awaitingTurn.reportedStart) this.awaitingTurn = undefined;
      this.armAt(this.options.clock.now());
      return;
    }
    const now = this.options.clock.now();
    if (verdict.status === 'error') {
      // A failure is drawn, and the screen's to confirm: a report of one may come seconds late,
      // about the turn before (Qwen Code's StopFailure hook came 2 s after its error was drawn,
      // after the next message had been submitted, and after that turn's own UserPromptSubmit).
      this.armAt(now);
      return;
    }
    if (WORK_STATUSES.has(verdict.status)) this.hasWorked = true;
    const before = this.current.status;
    this.commit(verdict);
    if (verdict.status === 'working') {
      // Like a submitted message: a turn began, which the screen may not have drawn yet. Reported
      // for a message already submitted, it began from where that one was (an error still on screen
      // is the old one, not this turn's).
      this.awaitTurn(now, this.awaitingTurn?.from ?? before, true);
    } else if (before !== verdict.status) {
      // A dialog the screen has not drawn yet stands against the work it still shows. One it already
      // shows needs no hold: the work after its answer must show at once.
      this.reportHold = { status: verdict.status, until: now + REPORT_HOLD_MS };
    }
    this.armAt(now + this.options.detector.settleMs);
  }

  /**
   * Keys typed into the agent. Enter on a ready prompt is a person submitting: working from that
   * moment, even if the program takes a while to show it (opencode). The screen still has the
   * last word: if nothing starts, it reads ready again once settled.
   */
  input(data: string): void {
    if (this.final) return;
    if (this.awaitingTurn && (data === '\x1b' || data === '\x03')) {
      // Esc or Ctrl-C before the turn showed: the person cancelled it; the screen says what is left.
      this.awaitingTurn = undefined;
      this.dirty = true;
      this.armAt(this.options.clock.now());
      return;
    }
    if (!SUBMITTABLE.has(this.current.status)) return;
    const keys = data.replace(BRACKETED_PASTE, '');
    if (keys !== data) this.pasted = true;
    if (keys !== data || (!keys.includes('\x1b') && /[^\x00-\x1f\x7f]/.test(keys))) this.typed = true;
    if (!keys.includes('\x1b')) this.typedKeys += keys.split('\r')[0]!.replace(/[\x00-\x1f\x7f]/g, '');
    if (!keys.includes('\r')) return;
    if (this.typed && this.typedCommand()) {
      // The CLI's own command, which need not start a turn (opencode's /new draws its home screen
      // within a second): its screen says what it did, and a `working` of the Enter's would flap.
      this.forgetTyped();
      this.dirty = true;
      this.requestLook();
      return;
    }
    const now = this.options.clock.now();
    const from = this.current.status;
    const message = this.typed;
    this.forgetTyped();
    this.commit({ status: 'working', rule: 'input.submit' });
    // A submit is a turn once the screen has answered it (see look): an Enter the program never
    // took (Gemini drops one while it initializes) is none, and its ready screen stays idle.
    this.submitUnanswered = true;
    // A message starts a turn: held until the screen shows it. A bare Enter may start nothing, and
    // a signal (a shell's foreground process) tells the truth at once: the screen answers soon.
    if (message && !this.options.detector.signal) this.awaitTurn(now, from);
    else this.holdForScreen(now);
    this.dirty = true;
    this.armAt(Math.min(this.submitHoldUntil, this.awaitingTurn?.until ?? Number.POSITIVE_INFINITY));
  }

  /** A person typed a slash command (the CLI's own command, which need not start a turn); a paste is a message. */
  private typedCommand(): boolean {
    return !this.pasted && this.typedKeys.startsWith('/');
  }

  private forgetTyped(): void {
    this.typed = false;
    this.typedKeys = '';
    this.pasted = false;
  }

  private awaitTurn(now: number, from: Status, reportedStart = false): void {
    this.awaitingTurn = { until: now + this.turnStartMs, from, reportedStart };
    this.submitHoldUntil = Number.NEGATIVE_INFINITY;
    this.changedSinceSubmit = false;
  }

  private get turnStartMs(): number {
    return Math.max(TURN_START_MS, this.options.detector.submitLagMs ?? 0);
  }

  /**
   * The program gets a moment to answer a submit: until its screen changes and settles (or shows
   * work), a screen that still shows the prompt or the previous turn's error is the old screen,
   * not a verdict on the new turn.
   */
  private holdForScreen(now: number): void {
    this.submitHoldUntil = now + (this.options.detector.submitLagMs ?? SUBMIT_HOLD_MS);
    this.changedSinceSubmit = false;
  }

  /** The process ended: final, whatever the screen says. */
  exited(code: number | null, signal: string | null): void {
    this.cancelTimer();
    this.foregroundTimer?.cancel();
    this.commit({ status: 'exited', rule: 'process.exit', detail: signal ? `signal ${signal}` : `code ${code}` });
    this.final = true;
  }

  dispose(): void {
    this.cancelTimer();
    this.foregroundTimer?.cancel();
    this.unsubscribe();
  }

  /**
   * A child taking the terminal (a command that runs silently) writes nothing: while the agent is
   * ready or working, its foreground is looked at on a timer. (Not while starting: a shell holds
   * its terminal while it reads its rc files, before its prompt says it is ready.)
   */
  private watchForeground(): void {
    this.foregroundTimer = this.options.clock.setTimeout(() => {
      const { status } = this.current;
      if (READY_STATUSES.has(status) || status === 'working') this.look();
      if (!this.final) this.watchForeground();
    }, FOREGROUND_LOOK_MS);
  }

  private requestLook(): void {
    const now = this.options.clock.now();
    const due = this.lastLookAt + this.minIntervalMs;
    if (now >= due) this.look();
    else this.armAt(due);
  }

  private look(): void {
    if (this.final) return;
    const { screen, clock, detector } = this.options;
    const now = clock.now();
    this.lastLookAt = now;
    if (screen.inSynchronizedUpdate) {
      this.syncSince ??= now;
      if (now - this.syncSince < MAX_SYNCHRONIZED_HOLD_MS) return; // the closing write triggers the next look
    } else {
      this.syncSince = undefined;
    }
    let changed = false;
    if (this.dirty) {
      this.dirty = false;
      const read = { lines: screen.lines(), title: screen.title };
      // Rows the screen hands back unchanged are the same strings: the settle text is the last one.
      if (!this.lastRead || !sameRead(read, this.lastRead)) {
        const text = settleText(detector, read.lines, read.title);
        changed = text !== this.lastText;
        if (changed) {
          this.lastText = text;
          this.lastLines = read.lines;
          this.lastChangeAt = now;
        }
      }
      this.lastRead = read;
    }
    const lines = this.lastLines;
    const title = screen.title;
    if (changed) {
      this.changedSinceSubmit = true;
      // A submitted message the screen answered is a turn, even one over before the screen could
      // show work (a quick command); an Enter the program never took (Gemini drops one while it
      // initializes) is none: its ready screen is still idle, not done.
      if (this.submitUnanswered) this.hasWorked = true;
      this.submitUnanswered = false;
    }
    const quietMs = now - this.lastChangeAt;
    // (A microsecond of slack: recorded times are floats, and a timer due "now" must count as due.)
    const settled = quietMs >= detector.settleMs - 0.001;
    // A moving screen is looked at again once it has had time to settle: the last frame decides.
    if (changed) this.armAt(now + detector.settleMs);
    const foregroundIsLeader = this.options.foregroundIsLeader?.();
    const verdict = detector.classify({ lines, title, altScreen: screen.altScreen, changed, quietMs, foregroundIsLeader }, this.memo);
    this.verdict = verdict;
    if (verdict.status !== 'unknown') this.unrecognisedSince = undefined;
    else this.unrecognisedSince ??= now;
    this.options.onLook?.();
    // A screen no rule recognises is no evidence either way (a redraw, a banner): keep what we know.
    if (verdict.status === 'unknown' && this.current.status !== 'unknown') return;
    if (this.reportHold && verdict.status === 'working' && this.current.status === this.reportHold.status && now < this.reportHold.until) {
      // The hooks said what comes next (a dialog decided, not yet drawn): the screen has not caught up.
      this.armAt(this.reportHold.until);
      return;
    }
    this.reportHold = undefined;
    if (verdict.coming) {
      // A message the program queued to send by itself: its turn is coming, as after a submit
      // (Gemini CLI clears the queue, then draws a ready screen for a moment before the turn).
      this.awaitingTurn = { until: now + this.turnStartMs, from: this.awaitingTurn?.from ?? this.current.status };
    }
    if (this.awaitingTurn) {
      const { until, from } = this.awaitingTurn;
      const shown =
        (WORK_STATUSES.has(verdict.status) && verdict.status !== 'error' && !verdict.coming) ||
        // A new turn that failed at once (submitted from a ready prompt: this error is not the old one).
        (verdict.status === 'error' && from !== 'error' && this.changedSinceSubmit && settled);
      if (shown || now >= until) {
        this.awaitingTurn = undefined;
      } else if (!verdict.coming) {
        // The prompt redrawn before the turn is: still the turn being started.
        this.armAt(until);
        return;
      }
    }
    if (now < this.submitHoldUntil) {
      if (!READY_STATUSES.has(verdict.status) && verdict.status !== 'error') {
        this.submitHoldUntil = Number.NEGATIVE_INFINITY; // the screen has caught up with the keypress
      } else if (!this.changedSinceSubmit || !settled || detector.submitLagMs !== undefined) {
        // Still the screen from before the Enter, or one mid-redraw: wait for a settled answer.
        const answerDue = this.changedSinceSubmit && detector.submitLagMs === undefined;
        this.armAt(answerDue ? Math.min(this.submitHoldUntil, this.lastChangeAt + detector.settleMs) : this.submitHoldUntil);
        return;
      }
    }
    if (READY_STATUSES.has(verdict.status) && !settled) {
      this.armAt(this.lastChangeAt + detector.settleMs);
      return;
    }
    if (WORK_STATUSES.has(verdict.status)) this.hasWorked = true;
    if (verdict.status === 'idle' && detector.doneAfterWork && this.hasWorked) {
      this.commit({ ...verdict, status: 'done' });
    } else {
      this.commit(verdict);
    }
  }

  private commit(verdict: Verdict): void {
    if (verdict.status === this.current.status) return;
    if (!SUBMITTABLE.has(verdict.status)) this.forgetTyped();
    const { coming: _coming, ...change } = verdict;
    this.current = { at: this.options.clock.now(), ...change };
    if (!isHookRule(verdict.rule)) this.screenSaidAt = this.current.at;
    this.options.onChange(this.current);
  }

  private armAt(due: number): void {
    if (this.timer && this.timerDue <= due) return;
    this.cancelTimer();
    this.timerDue = due;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      this.look();
    }, due - this.options.clock.now());
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }
}

function sameRead(a: { lines: string[]; title: string }, b: { lines: string[]; title: string }): boolean {
  return a.title === b.title && a.lines.length === b.lines.length && a.lines.every((line, row) => line === b.lines[row]);
}

/** The rule of a status an agent's hook reported (`hook.<event>`). */
export function hookRule(event: string): string {
  return `hook.${event}`;
}

function isHookRule(rule: string): boolean {
  return rule.startsWith('hook.');
}
