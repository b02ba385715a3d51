/**
 * One live agent: its program in a PTY, the bytes into a Screen (and a recording), the screen into
 * a StatusTracker. This is the pipeline `drover replay` runs on a virtual clock, on the real one.
 */
import { RotatingAsciicast } from '../terminal/asciicast.ts';
import { realClock, sleep, type Clock } from '../terminal/clock.ts';
import { Pty, type PtyExit } from '../terminal/pty.ts';
import { Screen } from '../terminal/screen.ts';
import type { AgentProvider } from '../providers/types.ts';
import { settleText, StatusTracker } from './detector.ts';
import type { StatusChange } from './status.ts';

export interface AgentOptions {
  provider: AgentProvider;
  command?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  cols: number;
  rows: number;
  /** Record the session as asciicast v2 here. */
  recordTo?: string;
  clock?: Clock;
}

/** A recording continues in a new file past this size; the newest few are kept. */
const MAX_RECORDING_BYTES = 64 * 1024 * 1024;
const RECORDINGS_KEPT = 4;

/** How long a bracketed paste gets to show, and to finish drawing before the submit key follows it. */
const PASTE_SHOWN_MS = 3000;
const PASTE_SETTLE_MS = 150;
/** How long the screen gets to answer the submit key, and how many times the key is sent. */
const TAKEN_MS = 3000;
const SUBMIT_TRIES = 3;

/**
 * How a submitted message went: taken (the screen answered the submit key), or not, at which
 * step. A paste that never showed is not retried: it may still land, and a second would double it.
 */
export type SubmitOutcome = { taken: true } | { taken: false; step: 'paste' | 'submit'; reason: string };

export class Agent {
  readonly pty: Pty;
  readonly screen: Screen;
  readonly tracker: StatusTracker;
  readonly exited: Promise<PtyExit>;
  private readonly listeners = new Set<(change: StatusChange) => void>();
  private readonly outputListeners = new Set<(data: string) => void>();
  private readonly recorder: RotatingAsciicast | undefined;
  private readonly clock: Clock;

  constructor(readonly options: AgentOptions) {
    const { provider, cols, rows } = options;
    const clock = (this.clock = options.clock ?? realClock);
    const command = options.command ?? provider.launch.command;
    const args = options.args ?? provider.launch.args;
    this.pty = new Pty({ command, args, cols, rows, cwd: options.cwd, env: { ...(options.env ?? process.env), ...provider.launch.env } });
    this.screen = new Screen({ cols, rows });
    this.recorder = options.recordTo
      ? new RotatingAsciicast(
          options.recordTo,
          { width: cols, height: rows, timestamp: Math.floor(Date.now() / 1000), command: [command, ...args].join(' ') },
          clock,
          { maxBytes: MAX_RECORDING_BYTES, keep: RECORDINGS_KEPT, restore: () => this.screen.serialize() },
        )
      : undefined;
    this.tracker = new StatusTracker({
      screen: this.screen,
      provider,
      clock,
      onChange: (change) => {
        for (const listener of this.listeners) listener(change);
      },
      // Only providers that listen to the process table pay for reading it.
      foregroundIsLeader: provider.signal ? () => this.pty.foregroundProcessGroup() === this.pty.pid : undefined,
    });
    this.pty.onData((data) => {
      // Forwarded once parsed: a client that attaches gets the screen so far, then every later byte, exactly once.
      this.screen.write(data, () => {
        for (const listener of this.outputListeners) listener(data);
      });
      this.recorder?.output(data);
    });
    this.exited = this.pty.exited.then(async (exit) => {
      await this.screen.flush();
      this.tracker.exited(exit.code, exit.signal);
      await this.recorder?.close();
      return exit;
    });
  }

  get status(): StatusChange {
    return this.tracker.latest;
  }

  onStatus(listener: (change: StatusChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The program's raw output, each chunk once the screen has parsed it. */
  onOutput(listener: (data: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** Raw keystrokes, as typed. */
  write(data: string): void {
    this.recorder?.input(data);
    this.tracker.input(data);
    this.pty.write(data);
  }

  /**
   * A message, the provider's way, confirmed on the screen: pasted; once the paste shows, the
   * submit key (again, a bounded number of times, while the screen does not answer it).
   * `beforeSubmitKey` runs between the two (the inbox records that the submit is going out).
   */
  async submit(text: string, options: { beforeSubmitKey?: () => Promise<void> } = {}): Promise<SubmitOutcome> {
    const [paste, ...submitKeys] = this.options.provider.submit(text);
    const beforePaste = this.settleText();
    this.write(paste!);
    if (!(await this.until(() => this.settleText() !== beforePaste, PASTE_SHOWN_MS))) {
      return { taken: false, step: 'paste', reason: `the pasted text did not show on its screen within ${PASTE_SHOWN_MS / 1000} s` };
    }
    if (submitKeys.length === 0) return { taken: true };
    await sleep(this.clock, PASTE_SETTLE_MS);
    await options.beforeSubmitKey?.();
    const pasted = this.settleText();
    for (let attempt = 0; attempt < SUBMIT_TRIES; attempt++) {
      for (const keys of submitKeys) this.write(keys);
      if (await this.until(() => this.settleText() !== pasted, TAKEN_MS)) return { taken: true };
    }
    return { taken: false, step: 'submit', reason: `its screen did not change after the submit key (sent ${SUBMIT_TRIES} times)` };
  }

  private settleText(): string {
    return settleText(this.options.provider, this.screen.lines(), this.screen.title);
  }

  /** Resolves true once `predicate` holds after a parse (or now), false after `ms` or on exit. */
  private until(predicate: () => boolean, ms: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        stop();
        timer.cancel();
        resolve(value);
      };
      const stop = this.screen.onParsed(() => {
        if (predicate()) finish(true);
      });
      const timer = this.clock.setTimeout(() => finish(false), ms);
      void this.exited.then(() => finish(false));
    });
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.screen.resize(cols, rows);
    this.recorder?.resize(cols, rows);
  }

  /** Hangs up its terminal, as closing a terminal window would; SIGKILL if it is still there after `graceMs`. */
  async kill(graceMs = 3000): Promise<PtyExit> {
    await this.pty.kill({ signal: 'SIGHUP', graceMs });
    return this.exited;
  }

  dispose(): void {
    this.tracker.dispose();
    this.screen.dispose();
  }
}
