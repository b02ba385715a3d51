/**
 * One live agent: its program in a PTY, the bytes into a Screen (and a recording), the screen into
 * a StatusTracker — the pipeline `drover replay` runs on a virtual clock, on the real one — with
 * what drover asks of it: its status, what its screen says (through its provider's reader), keys
 * typed and messages submitted, and the reports of its own hooks.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AgentProvider } from '../providers/types.ts';
import type { Explanation } from '../status/rules.ts';
import type { PermissionPrompt } from '../status/permission.ts';
import { settleText, type Verdict } from '../status/detector.ts';
import type { Status, StatusChange } from '../status/status.ts';
import { RotatingAsciicast } from '../terminal/asciicast.ts';
import { realClock, sleep, type Clock } from '../terminal/clock.ts';
import { Pty, type PtyExit, type TerminalProcess } from '../terminal/pty.ts';
import { DEFAULT_SCROLLBACK, Screen, type ScreenSnapshot } from '../terminal/screen.ts';
import type { Backlog, HeldTerminal } from './held-terminal.ts';
import { StatusTracker } from './status-tracker.ts';

/** The statuses within a turn: working again after one of these is the same turn going on. */
const IN_TURN: ReadonlySet<Status> = new Set<Status>(['working', 'needs_permission', 'needs_input']);

export interface LiveAgentOptions {
  /** The agent's id in the store (tests may leave it out). */
  id?: string;
  provider: AgentProvider;
  command?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  cols: number;
  rows: number;
  /** Record the session as asciicast v2 here (a held terminal's holder records it instead). */
  recordTo?: string;
  /**
   * The program runs in a terminal another process holds (the PTY host), started there or adopted
   * from a previous daemon: then `backlog` redraws its screen so far and `status` is what the store
   * last said of it, kept until the screen says otherwise.
   */
  held?: { terminal: HeldTerminal; backlog?: Backlog; status?: Status };
  clock?: Clock;
  /** The secret this launch's hooks and MCP server present (see `authenticate`). */
  token?: string;
  /**
   * Told each status change; `kill()` resolves only once the handling of the exit has (the
   * supervisor stores it).
   */
  onStatus?: (change: StatusChange) => Promise<void> | void;
}

/** A recording continues in a new file past this size; the newest few are kept. */
const MAX_RECORDING_BYTES = 64 * 1024 * 1024;
const RECORDINGS_KEPT = 4;

/** How long a bracketed paste gets to show, and to finish drawing before the submit key follows it. */
const PASTE_SHOWN_MS = 3000;
const PASTE_SETTLE_MS = 150;
/**
 * How long the agent gets to show that the submit key started its turn, and how many times the
 * key is sent (never the paste). Claude Code took 4.4 s to draw the turn of a first prompt given
 * at spawn on a loaded machine; a CLI whose screen lags its keys more says so (`submitLagMs`).
 */
const TAKEN_MS = 5000;
const SUBMIT_TRIES = 3;
/** Screen changes are announced at most this often (a spinner redraws at 60 Hz). */
const SCREEN_EVENT_MS = 33;
/**
 * A held terminal is told the screen after about this much output (UTF-16 units), so its holder
 * keeps only the output since for a later daemon to replay (serializing a screen costs a few ms).
 */
const CHECKPOINT_UNITS = 512 * 1024;

/**
 * How a submitted message went: taken (the screen answered the submit key), or not, at which
 * step. A paste that never showed is not retried: it may still land, and a second would double it.
 */
export type SubmitOutcome = { taken: true } | { taken: false; step: 'paste' | 'submit'; reason: string };

export class LiveAgent {
  readonly id: string;
  readonly provider: AgentProvider;
  readonly pty: TerminalProcess;
  readonly screen: Screen;
  readonly tracker: StatusTracker;
  readonly exited: Promise<PtyExit>;
  private readonly statusListeners = new Set<(change: StatusChange) => void>();
  private readonly outputListeners = new Set<(data: string) => void>();
  private readonly screenListeners = new Set<() => void>();
  private readonly lookListeners = new Set<() => void>();
  private readonly recorder: RotatingAsciicast | undefined;
  private readonly clock: Clock;
  /** The owner's handling of the latest status change (see `kill`). */
  private statusHandled: Promise<void> = Promise.resolve();
  /** When (epoch ms) its hooks last reported anything: the CLI is at a turn. */
  private reportedAt = Number.NEGATIVE_INFINITY;
  private lastStatus: Status | undefined;
  /**
   * When its latest turn began (epoch ms): its status last went to working from one that is not a
   * turn's (ready, starting, error). A transcript last written before it holds no answer to that turn.
   */
  turnStartedAt: number | undefined;
  private screenEvent: NodeJS.Timeout | undefined;
  /** Output units parsed since the program started, and at the last checkpoint (held terminals). */
  private parsedUnits = 0;
  private checkpointedUnits = 0;

  constructor(private readonly options: LiveAgentOptions) {
    const { provider, cols, rows } = options;
    this.id = options.id ?? 'agent';
    this.provider = provider;
    const clock = (this.clock = options.clock ?? realClock);
    const { launch } = provider.integrate;
    const command = options.command ?? launch.command;
    const args = options.args ?? launch.args;
    const { held } = options;
    this.pty = held?.terminal ?? new Pty({ command, args, cols, rows, cwd: options.cwd, env: { ...(options.env ?? process.env), ...launch.env } });
    this.screen = new Screen({ cols: held?.terminal.cols ?? cols, rows: held?.terminal.rows ?? rows });
    if (held?.backlog) {
      this.screen.write(held.backlog.data);
      this.parsedUnits = this.checkpointedUnits = held.backlog.offset;
    }
    this.recorder =
      options.recordTo && !held
        ? new RotatingAsciicast(
            options.recordTo,
            { width: cols, height: rows, timestamp: Math.floor(Date.now() / 1000), command: [command, ...args].join(' ') },
            clock,
            { maxBytes: MAX_RECORDING_BYTES, keep: RECORDINGS_KEPT, restore: () => this.screen.serialize() },
          )
        : undefined;
    this.tracker = new StatusTracker({
      screen: this.screen,
      detector: provider.detect,
      clock,
      onChange: (change) => this.statusChanged(change),
      onLook: () => {
        for (const listener of this.lookListeners) listener();
      },
      // Only providers that listen to the process table pay for reading it.
      foregroundIsLeader: provider.detect.signal ? () => this.pty.foregroundProcessGroup() === this.pty.pid : undefined,
      initialStatus: held?.status,
    });
    this.pty.onData((data) => {
      // Forwarded once parsed: a client that attaches gets the screen so far, then every later byte, exactly once.
      this.screen.write(data, () => {
        for (const listener of this.outputListeners) listener(data);
        if (held) this.checkpointIfDue(held.terminal, data.length);
      });
      this.recorder?.output(data);
    });
    this.screen.onParsed(() => {
      this.screenEvent ??= setTimeout(() => {
        this.screenEvent = undefined;
        for (const listener of this.screenListeners) listener();
      }, SCREEN_EVENT_MS);
    });
    this.exited = this.pty.exited.then(async (exit) => {
      await this.screen.flush();
      this.tracker.exited(exit.code, exit.signal);
      clearTimeout(this.screenEvent);
      await this.recorder?.close();
      return exit;
    });
  }

  get status(): StatusChange {
    return this.tracker.latest;
  }

  /** The terminal another process holds for it (the PTY host), if it is not this process's own. */
  get heldTerminal(): HeldTerminal | undefined {
    return this.options.held?.terminal;
  }

  /** What its screen said at the last look, whatever the hooks reported. */
  get screenStatus(): Status | undefined {
    return this.tracker.lastVerdict?.status;
  }

  /** The file the terminal is being recorded to now (recordings rotate when they grow large). */
  get recording(): string | undefined {
    return this.options.held?.terminal.recording ?? this.recorder?.current;
  }

  onStatus(listener: (change: StatusChange) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The program's raw output, each chunk once the screen has parsed it. */
  onOutput(listener: (data: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** The screen changed (coalesced: at most every 33 ms). */
  onScreenChange(listener: () => void): () => void {
    this.screenListeners.add(listener);
    return () => this.screenListeners.delete(listener);
  }

  /** Whether `token` is this launch's secret (compared in constant time). */
  authenticate(token: string): boolean {
    const expected = Buffer.from(this.options.token ?? '');
    const given = Buffer.from(token);
    return expected.length > 0 && expected.length === given.length && timingSafeEqual(expected, given);
  }

  /**
   * A status the agent's own hooks reported at `at` (epoch ms, when the hook started), put on this
   * agent's clock: the tracker drops it when the screen has said something since.
   */
  reported(verdict: Verdict, at: number): void {
    this.reportedAt = Math.max(this.reportedAt, at);
    this.tracker.reported(verdict, this.clock.now() - (Date.now() - at));
  }

  /** The permission dialog on its screen now, as its provider reads it. */
  permissionPrompt(): PermissionPrompt | undefined {
    return this.provider.read.permissionPrompt(this.screen.lines());
  }

  /** Its answer in its latest turn, as its provider reads it from screen and scrollback. */
  lastResponse(): string | undefined {
    return this.provider.read.lastResponse?.(this.screen.history(DEFAULT_SCROLLBACK + this.screen.rows), this.screen.cols);
  }

  /** The provider's rules on its screen now: the first match is the winner. */
  explain(): Explanation {
    return this.provider.detect.explain(this.screen.lines(), this.screen.title);
  }

  snapshot(styled = false): ScreenSnapshot {
    return this.screen.snapshot({ styled });
  }

  /** How long until its screen has been still for its settle time (0: it has). */
  msUntilSettled(): number {
    return Math.max(0, this.provider.detect.settleMs - this.tracker.quietMs);
  }

  /** Raw keystrokes, as typed. */
  typeKeys(data: string): void {
    this.recorder?.input(data);
    this.tracker.input(data);
    this.pty.write(data);
  }

  /**
   * A message, the provider's way, confirmed on the screen: pasted; once the paste shows, the
   * submit key (again, a bounded number of times, while the agent does not show that its turn
   * started). `beforeSubmitKey` runs between the two (the inbox records that the submit is going out).
   */
  async submitMessage(text: string, options: { beforeSubmitKey?: () => Promise<void> } = {}): Promise<SubmitOutcome> {
    const [paste, ...submitKeys] = this.provider.integrate.submit(text);
    const beforePaste = this.settleText();
    this.typeKeys(paste!);
    if (!(await this.until(() => this.settleText() !== beforePaste, PASTE_SHOWN_MS))) {
      return { taken: false, step: 'paste', reason: `the pasted text did not show on its screen within ${PASTE_SHOWN_MS / 1000} s` };
    }
    if (submitKeys.length === 0) return { taken: true };
    await sleep(this.clock, PASTE_SETTLE_MS);
    await options.beforeSubmitKey?.();
    const pasted = this.settleText();
    const erred = this.tracker.lastVerdict?.status === 'error';
    const keyAt = Date.now();
    // Taken once the agent shows its turn started: its screen reads work (or a new error) on a
    // screen other than the pasted one, or its hooks report. A mere change is no proof: Gemini CLI
    // took an Enter right after a paste as a newline in its input box, and the message sat there.
    // A signal that tells the truth at once (a shell: its child holds the terminal, or the command
    // was over before a look could see it) takes any change as the answer.
    const answered = () => {
      const verdict = this.tracker.lastVerdict?.status;
      const moved = this.settleText() !== pasted;
      if (this.reportedAt >= keyAt) return true;
      if (verdict === 'working' && (moved || this.provider.detect.signal)) return true;
      if (moved && (verdict === 'needs_permission' || verdict === 'needs_input' || (verdict === 'error' && !erred))) return true;
      return moved && this.provider.detect.signal !== undefined;
    };
    const wait = Math.max(TAKEN_MS, this.provider.detect.submitLagMs ?? 0);
    for (let attempt = 0; attempt < SUBMIT_TRIES; attempt++) {
      for (const keys of submitKeys) this.typeKeys(keys);
      if (await this.until(answered, wait)) return { taken: true };
    }
    return { taken: false, step: 'submit', reason: `it did not start its turn after the submit key (sent ${SUBMIT_TRIES} times, ${wait / 1000} s apart)` };
  }

  /**
   * Resolves true once `predicate` holds — checked now, after each parse, each look of the status
   * tracker and each status change — and false after `ms` or on exit.
   */
  until(predicate: () => boolean, ms: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        offParsed();
        this.lookListeners.delete(check);
        offStatus();
        timer.cancel();
        resolve(value);
      };
      const check = () => {
        if (predicate()) finish(true);
      };
      const offParsed = this.screen.onParsed(check);
      this.lookListeners.add(check);
      const offStatus = this.onStatus(check);
      const timer = this.clock.setTimeout(() => finish(false), ms);
      void this.exited.then(() => finish(false));
    });
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.screen.resize(cols, rows);
    this.recorder?.resize(cols, rows);
  }

  /**
   * Hangs up its terminal, as closing a terminal window would; SIGKILL if it is still there after
   * `graceMs`. Resolves once its exit has been handled (stored, for the supervisor's agents).
   */
  async kill(graceMs = 3000): Promise<PtyExit> {
    await this.pty.kill({ signal: 'SIGHUP', graceMs });
    return this.handled();
  }

  /** Resolves once the program has ended and its exit has been handled (stored, for the supervisor's agents). */
  async handled(): Promise<PtyExit> {
    const exit = await this.exited;
    await this.statusHandled;
    return exit;
  }

  dispose(): void {
    clearTimeout(this.screenEvent);
    this.tracker.dispose();
    this.screen.dispose();
  }

  /** Called once each chunk is parsed: the screen now is the screen as of `parsedUnits`. */
  private checkpointIfDue(terminal: HeldTerminal, units: number): void {
    this.parsedUnits += units;
    if (this.parsedUnits - this.checkpointedUnits < CHECKPOINT_UNITS) return;
    this.checkpointedUnits = this.parsedUnits;
    terminal.checkpoint(this.parsedUnits, this.screen.serialize({ scrollback: DEFAULT_SCROLLBACK }));
  }

  private settleText(): string {
    return settleText(this.provider.detect, this.screen.lines(), this.screen.title);
  }

  private statusChanged(change: StatusChange): void {
    if (change.status === 'working' && !(this.lastStatus && IN_TURN.has(this.lastStatus))) this.turnStartedAt = Date.now();
    this.lastStatus = change.status;
    const handled = this.options.onStatus?.(change);
    // The owner's handler reports its own failures; here it only marks when the change is handled.
    if (handled) this.statusHandled = handled.catch(() => {});
    for (const listener of this.statusListeners) listener(change);
  }
}
