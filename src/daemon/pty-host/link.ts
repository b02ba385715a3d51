/**
 * The daemon's side of the PTY host: finds the host (starting one, detached, when none answers),
 * says hello, and gives the engine its terminals — new ones it spawns, and those held from before
 * this daemon, to adopt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net, { type Socket } from 'node:net';
import type { Log } from '../../errors.ts';
import type { Adoptable, Backlog, HeldTerminal, TerminalHolder, TerminalLaunch } from '../../engine/held-terminal.ts';
import { frame, MAX_DAEMON_FRAME_BYTES, onLines } from '../../protocol/framing.ts';
import { droverArgv } from '../../protocol/launch.ts';
import { ptyHostLogPath, ptyHostSocketPath, type Env } from '../../store/paths.ts';
import { checkLaunch, CommandNotFoundError, foregroundProcessGroupOf, PtyError, type PtyExit } from '../../terminal/pty.ts';
import { HOST_PROTOCOL_VERSION, type HelloResult, type HostBacklog, type HostCall, type HostEvent, type HostNotice, type HostReply, type HostTerminalInfo } from './protocol.ts';

/** How long a starting host gets to answer (a loaded machine takes seconds to start Node). */
const HOST_START_LIMIT_MS = 60_000;

export class PtyHostLink implements TerminalHolder {
  adoptable: readonly Adoptable[] = [];
  hostPid = 0;
  private readonly terminals = new Map<string, RemoteTerminal>();
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private closedByUs = false;
  /** Settles when the connection has ended: detached, or the host died (then with the ids of the terminals that ended with it). */
  readonly closed: Promise<string[]>;

  /** Connects to this user's host, starting one if none answers. */
  static async open(env: Env, log: Log): Promise<PtyHostLink> {
    const socketPath = ptyHostSocketPath(env, HOST_PROTOCOL_VERSION);
    let socket = await tryConnect(socketPath);
    if (!socket) {
      const host = startHost(env);
      const started = Date.now();
      while (!(socket = await tryConnect(socketPath))) {
        if (host.exitCode !== null) {
          // Another daemon's host may have won the socket: it answers now.
          socket = await tryConnect(socketPath);
          if (socket) break;
          const last = readFileSync(ptyHostLogPath(env), 'utf8').trimEnd().split('\n').at(-1);
          throw new PtyError(`the PTY host could not start (${last ?? `exit code ${host.exitCode}`}): see ${ptyHostLogPath(env)}`);
        }
        if (Date.now() - started > HOST_START_LIMIT_MS) {
          throw new PtyError(`the PTY host did not answer at ${socketPath} within ${HOST_START_LIMIT_MS / 1000} s: see ${ptyHostLogPath(env)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const link = new PtyHostLink(socket, log);
    const hello = await link.call<HelloResult>({ method: 'hello', params: { version: HOST_PROTOCOL_VERSION } });
    link.adopt(hello);
    return link;
  }

  private constructor(private readonly socket: Socket, private readonly log: Log) {
    socket.on('error', (error) => log(`PTY host connection: ${error.message}`));
    onLines(socket, MAX_DAEMON_FRAME_BYTES, (line) => this.received(JSON.parse(line) as HostEvent | HostReply), () => socket.destroy());
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        const error = new PtyError('the PTY host connection closed');
        for (const { reject } of this.pending.values()) reject(error);
        this.pending.clear();
        const lost = this.closedByUs ? [] : [...this.terminals.values()].filter((terminal) => !terminal.exit);
        if (!this.closedByUs) {
          // The host died: its terminals went with it (their programs got SIGHUP).
          log(`the PTY host is gone: ${lost.length} terminal(s) ended with it`);
          for (const terminal of lost) terminal.ended({ code: null, signal: 'SIGHUP' });
        }
        resolve(lost.map((terminal) => terminal.id));
      });
    });
  }

  /** Whether the host still answers (a spawn after its death needs a new link). */
  get open(): boolean {
    return !this.socket.destroyed;
  }

  async spawn(launch: TerminalLaunch): Promise<HeldTerminal> {
    // Checked here, synchronously: "not found" is said before anything is spawned, in this daemon's words.
    const { file, cwd, env } = checkLaunch(launch);
    const command = [launch.command, ...launch.args].join(' ');
    // Known before the reply: output may follow it in the same read, before this function resumes.
    const terminal = new RemoteTerminal(this, { terminal: launch.id, pid: 0, cols: launch.cols, rows: launch.rows, recording: launch.recording, token: launch.token });
    this.terminals.set(launch.id, terminal);
    try {
      const { pid } = await this.call<{ pid: number }>({
        method: 'spawn',
        params: { terminal: launch.id, file, args: launch.args, cwd, env, cols: launch.cols, rows: launch.rows, recording: launch.recording, command, token: launch.token },
      });
      terminal.pid = pid;
      return terminal;
    } catch (error) {
      this.terminals.delete(launch.id);
      throw error;
    }
  }

  /** Leaves the host and its terminals running (a daemon restart, or a crash, does the same). */
  async detach(): Promise<void> {
    this.closedByUs = true;
    this.socket.end();
    await this.closed;
  }

  notify(message: HostNotice): void {
    if (!this.socket.destroyed) this.socket.write(frame(message));
  }

  call<T>(message: Omit<HostCall, 'id'>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(frame({ ...message, id }));
    });
  }

  private adopt(hello: HelloResult): void {
    this.hostPid = hello.pid;
    this.adoptable = hello.terminals.map((info) => {
      const terminal = new RemoteTerminal(this, info);
      this.terminals.set(info.terminal, terminal);
      if (info.exit) terminal.ended(info.exit);
      return {
        terminal,
        attach: async (): Promise<Backlog> => {
          const backlog = await this.call<HostBacklog>({ method: 'attach', params: { terminal: info.terminal } });
          if (!backlog.exact) this.log(`terminal ${info.terminal}: printed more than the host keeps since its last checkpoint; its screen is rebuilt from the newest output`);
          return backlog;
        },
      };
    });
  }

  private received(message: HostEvent | HostReply): void {
    if ('id' in message) {
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!call) return;
      if ('error' in message) {
        const { message: text, commandNotFound } = message.error;
        call.reject(commandNotFound ? new CommandNotFoundError(commandNotFound, text) : new PtyError(`PTY host: ${text}`));
      } else call.resolve(message.result);
      return;
    }
    const terminal = this.terminals.get(message.terminal);
    if (!terminal) return;
    switch (message.event) {
      case 'data':
        terminal.output(message.data);
        return;
      case 'exit':
        terminal.ended(message.exit);
        return;
      case 'recording':
        terminal.recording = message.file;
        return;
    }
  }

  forgotten(id: string): void {
    this.terminals.delete(id);
  }
}

/** A terminal in the host, as the engine uses a Pty of its own. */
class RemoteTerminal implements HeldTerminal {
  readonly id: string;
  pid: number;
  readonly token: string;
  readonly exited: Promise<PtyExit>;
  recording: string;
  cols: number;
  rows: number;
  exit: PtyExit | undefined;
  private resolveExit!: (exit: PtyExit) => void;
  private readonly listeners = new Set<(data: string) => void>();
  /** Output that came before anyone listened (an adopted agent's pipeline is still being built). */
  private early: string[] = [];

  constructor(private readonly link: PtyHostLink, info: Omit<HostTerminalInfo, 'exit'>) {
    this.id = info.terminal;
    this.pid = info.pid;
    this.token = info.token;
    this.recording = info.recording;
    this.cols = info.cols;
    this.rows = info.rows;
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  onData(listener: (data: string) => void): () => void {
    this.listeners.add(listener);
    const early = this.early.splice(0);
    for (const data of early) listener(data);
    return () => this.listeners.delete(listener);
  }

  output(data: string): void {
    if (this.listeners.size === 0) this.early.push(data);
    for (const listener of this.listeners) listener(data);
  }

  ended(exit: PtyExit): void {
    if (this.exit) return;
    this.exit = exit;
    this.resolveExit(exit);
  }

  write(data: string): void {
    if (!this.exit) this.link.notify({ method: 'write', params: { terminal: this.id, data } });
  }

  resize(cols: number, rows: number): void {
    if (this.exit || (cols === this.cols && rows === this.rows)) return;
    this.cols = cols;
    this.rows = rows;
    this.link.notify({ method: 'resize', params: { terminal: this.id, cols, rows } });
  }

  foregroundProcessGroup(): number | undefined {
    return foregroundProcessGroupOf(this.pid);
  }

  kill(options: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<PtyExit> {
    if (!this.exit) this.link.notify({ method: 'kill', params: { terminal: this.id, signal: options.signal ?? 'SIGTERM', graceMs: options.graceMs ?? 3000 } });
    return this.exited;
  }

  checkpoint(offset: number, screen: string): void {
    if (!this.exit) this.link.notify({ method: 'checkpoint', params: { terminal: this.id, offset, screen } });
  }

  forget(): void {
    this.link.notify({ method: 'forget', params: { terminal: this.id } });
    this.link.forgotten(this.id);
  }
}

function tryConnect(socketPath: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', () => resolve(undefined));
  });
}

/** Starts `drover pty-host` in its own session (setsid), as the daemon itself is: it outlives its starter. */
function startHost(env: Env): ChildProcess {
  const log = openSync(ptyHostLogPath(env), 'a', 0o600);
  const { command, args } = droverArgv(['pty-host']);
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  closeSync(log);
  child.unref();
  return child;
}
