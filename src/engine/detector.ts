/**
 * Turns a screen into a status, event-driven: a look is taken after the emulator parses a write
 * (at most once per `minIntervalMs`, with a trailing look so the last frame is always judged) and
 * when a settle timer armed by a write comes due. A silent program costs nothing.
 *
 * Hysteresis is policy here, not in the rules: a busy or blocking state is entered at once; a ready
 * state (idle/done) only after the screen has stayed unchanged for the provider's settle time.
 */
import type { Clock, Timer } from '../terminal/clock.ts';
import type { Screen } from '../terminal/screen.ts';
import type { StatusProvider, Verdict } from '../providers/types.ts';
import { READY_STATUSES, type Status, type StatusChange } from './status.ts';

export interface StatusTrackerOptions {
  screen: Screen;
  provider: StatusProvider;
  clock: Clock;
  onChange: (change: StatusChange) => void;
  /** Looks closer together than this are merged into one (bounds CPU under a spinner). */
  minIntervalMs?: number;
  /** Live agents: whether the launched program holds the terminal's foreground (shells). */
  foregroundIsLeader?: () => boolean | undefined;
}

/** States that show the agent has taken a turn, so a later ready screen means `done`. */
const WORK_STATUSES: ReadonlySet<Status> = new Set(['working', 'needs_permission', 'needs_input', 'error']);

/** A frame held open by DEC 2026 longer than this is judged anyway: the program may have died mid-frame. */
const MAX_SYNCHRONIZED_HOLD_MS = 1000;

export class StatusTracker {
  private current: StatusChange;
  private lastText: string | undefined;
  private lastLines: string[] = [];
  /** Something was parsed since the last look: only then is the screen read again. */
  private dirty = false;
  private lastChangeAt: number;
  private lastLookAt = Number.NEGATIVE_INFINITY;
  private syncSince: number | undefined;
  private timer: Timer | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private readonly minIntervalMs: number;
  private readonly unsubscribe: () => void;
  private final = false;
  private hasWorked = false;

  constructor(private readonly options: StatusTrackerOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 20;
    this.lastChangeAt = options.clock.now();
    this.current = { at: this.lastChangeAt, status: options.provider.initialStatus, rule: 'initial' };
    this.unsubscribe = options.screen.onParsed(() => {
      this.dirty = true;
      this.requestLook();
    });
  }

  get status(): Status {
    return this.current.status;
  }

  get latest(): StatusChange {
    return this.current;
  }

  /** The process ended: final, whatever the screen says. */
  exited(code: number | null, signal: string | null): void {
    this.cancelTimer();
    this.commit({ status: 'exited', rule: 'process.exit', detail: signal ? `signal ${signal}` : `code ${code}` });
    this.final = true;
  }

  dispose(): void {
    this.cancelTimer();
    this.unsubscribe();
  }

  private requestLook(): void {
    const now = this.options.clock.now();
    const due = this.lastLookAt + this.minIntervalMs;
    if (now >= due) this.look();
    else this.armAt(due);
  }

  private look(): void {
    if (this.final) return;
    const { screen, clock, provider } = this.options;
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
      const lines = screen.lines();
      const text = `${screen.title}\u0000${lines.join('\n')}`;
      changed = text !== this.lastText;
      if (changed) {
        this.lastText = text;
        this.lastLines = lines;
        this.lastChangeAt = now;
      }
    }
    const lines = this.lastLines;
    const title = screen.title;
    const quietMs = now - this.lastChangeAt;
    // A moving screen is looked at again once it has had time to settle: the last frame decides.
    if (changed) this.armAt(now + provider.settleMs);
    const foregroundIsLeader = this.options.foregroundIsLeader?.();
    const verdict = provider.classify({ lines, title, altScreen: screen.altScreen, changed, quietMs, foregroundIsLeader });
    // A screen no rule recognises is no evidence either way (a redraw, a banner): keep what we know.
    if (verdict.status === 'unknown' && this.current.status !== 'unknown') return;
    // (A microsecond of slack: recorded times are floats, and a timer due "now" must count as due.)
    if (READY_STATUSES.has(verdict.status) && quietMs < provider.settleMs - 0.001) {
      this.armAt(this.lastChangeAt + provider.settleMs);
      return;
    }
    if (verdict.status === 'idle' && provider.doneAfterWork && this.hasWorked) {
      this.commit({ ...verdict, status: 'done' });
    } else {
      this.commit(verdict);
    }
  }

  private commit(verdict: Verdict): void {
    if (WORK_STATUSES.has(verdict.status)) this.hasWorked = true;
    if (verdict.status === this.current.status) return;
    this.current = { at: this.options.clock.now(), ...verdict };
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
