/**
 * A program in a pseudo-terminal (node-pty), with the checks a person would want before it starts
 * (does the program exist, does the folder exist) and a kill that asks nicely first.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import nodePty from 'node-pty';
import type { IPty } from 'node-pty';
import { UserError } from '../errors.ts';

export interface PtyOptions {
  command: string;
  args?: string[];
  cols: number;
  rows: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface PtyExit {
  code: number | null;
  signal: string | null;
}

export class PtyError extends UserError {}

/**
 * A program in a terminal, wherever the terminal is held: a Pty of this process, or one another
 * process holds for it (the daemon's agents live in the PTY host, so they outlive the daemon).
 */
export interface TerminalProcess {
  readonly pid: number;
  /** Settles when the program has ended. */
  readonly exited: Promise<PtyExit>;
  readonly exit: PtyExit | undefined;
  onData(listener: (data: string) => void): () => void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  foregroundProcessGroup(): number | undefined;
  /** SIGTERM (or `signal`), then SIGKILL to the whole process group after `graceMs`. */
  kill(options?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<PtyExit>;
}

/** The program to launch is not on PATH (or not executable): the caller may say how to install it. */
export class CommandNotFoundError extends PtyError {
  constructor(readonly command: string, message: string) {
    super(message);
  }
}

export class Pty implements TerminalProcess {
  readonly pid: number;
  /** Settles when the program has ended. */
  readonly exited: Promise<PtyExit>;
  private readonly pty: IPty;
  private exitInfo: PtyExit | undefined;

  constructor(options: PtyOptions) {
    const { file, cwd, env } = checkLaunch(options);
    this.pty = nodePty.spawn(file, options.args ?? [], {
      name: env.TERM ?? 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd,
      env,
    });
    this.pid = this.pty.pid;
    this.exited = new Promise((resolve) => {
      this.pty.onExit(({ exitCode, signal }) => {
        this.exitInfo = { code: signal ? null : exitCode, signal: signal ? signalName(signal) : null };
        resolve(this.exitInfo);
      });
    });
  }

  get exit(): PtyExit | undefined {
    return this.exitInfo;
  }

  get cols(): number {
    return this.pty.cols;
  }

  get rows(): number {
    return this.pty.rows;
  }

  onData(listener: (data: string) => void): () => void {
    const subscription = this.pty.onData(listener);
    return () => subscription.dispose();
  }

  write(data: string): void {
    if (!this.exitInfo) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.exitInfo && (cols !== this.pty.cols || rows !== this.pty.rows)) this.pty.resize(cols, rows);
  }

  foregroundProcessGroup(): number | undefined {
    return foregroundProcessGroupOf(this.pid);
  }

  /** Stops reading the program's output (it blocks once the terminal's buffer is full) until `resume`. */
  pause(): void {
    if (!this.exitInfo) this.pty.pause();
  }

  resume(): void {
    if (!this.exitInfo) this.pty.resume();
  }

  /**
   * SIGTERM (or `signal`), then SIGKILL to the whole process group after `graceMs`, or as soon as
   * the program itself has exited: what is left in its group ignored the signal, and goes too.
   */
  async kill(options: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<PtyExit> {
    if (this.exitInfo) return this.exitInfo;
    this.signalGroup(options.signal ?? 'SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), options.graceMs ?? 3000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
      this.signalGroup('SIGKILL');
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    for (const target of [-this.pid, this.pid]) {
      try {
        process.kill(target, signal);
      } catch {
        // Already gone.
      }
    }
  }
}

/**
 * The process group in the foreground of the terminal `pid` runs in (Linux /proc), or undefined
 * when unknown. Equal to `pid` when the program itself (e.g. a shell at its prompt) has the terminal.
 */
export function foregroundProcessGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; tpgid is the 8th field overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const tpgid = Number(fields[5]);
    return tpgid > 0 ? tpgid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a launch needs checked before anything is spawned, the way a shell would: the folder
 * exists, the program is found. Returns the program's path and the environment to give it.
 */
export function checkLaunch(options: PtyOptions): { file: string; cwd: string; env: Record<string, string> } {
  const cwd = options.cwd ?? process.cwd();
  checkDirectory(cwd);
  const env = cleanEnv(options.env ?? process.env);
  return { file: resolveCommand(options.command, env.PATH ?? '', cwd), cwd, env };
}

function checkDirectory(cwd: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch {
    throw new PtyError(`working directory does not exist: ${cwd} (create it or pass another --cwd)`);
  }
  if (!isDirectory) throw new PtyError(`working directory is not a directory: ${cwd}`);
}

/** Finds the program the way a shell would, so "not found" is reported before anything is spawned. */
export function resolveCommand(command: string, searchPath: string, cwd: string): string {
  if (command.includes('/')) {
    const file = path.resolve(cwd, command);
    if (isExecutable(file)) return file;
    throw new CommandNotFoundError(command, `program not found or not executable: ${command}`);
  }
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    if (isExecutable(file)) return file;
  }
  throw new CommandNotFoundError(command, `command not found: ${command} (install it or add its folder to PATH)`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  out.TERM ??= 'xterm-256color';
  return out;
}

function signalName(signal: number): string {
  const entry = Object.entries(osConstants.signals).find(([, value]) => value === signal);
  return entry ? entry[0] : String(signal);
}
