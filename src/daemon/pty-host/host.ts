/**
 * The PTY host: the small process that holds every agent's terminal, so agents outlive the daemon
 * (a crash, kill -9, an upgrade), as VS Code's pty host keeps terminals across window reloads.
 *
 * It knows no agents, rules, store or UI: it starts programs in PTYs, records each terminal to its
 * asciicast file (complete while no daemon is attached), keeps what a new daemon needs to redraw
 * each screen — the last screen a daemon checkpointed and the output since, bounded — and streams
 * output to the one daemon attached. It exits once no daemon is attached and no program runs.
 */
import { chmodSync } from 'node:fs';
import net, { type Socket } from 'node:net';
import { UserError, type Log } from '../../errors.ts';
import { frame, MAX_DAEMON_FRAME_BYTES, onLines } from '../../protocol/framing.ts';
import { removeStaleSocket } from '../../store/lock.ts';
import { ensurePrivateDir, ptyHostSocketPath, runtimeDir, type Env } from '../../store/paths.ts';
import { RotatingAsciicast } from '../../terminal/asciicast-writer.ts';
import { realClock } from '../../terminal/clock.ts';
import { CommandNotFoundError, Pty, type PtyExit } from '../../terminal/pty.ts';
import { HOST_PROTOCOL_VERSION, type HelloResult, type HostBacklog, type HostCall, type HostEvent, type HostNotice, type HostSpawn, type HostTerminalInfo } from './protocol.ts';

/** Output kept per terminal beyond its last checkpoint (UTF-16 units): what a new daemon replays. */
const MAX_TAIL_UNITS = 4 * 1024 * 1024;
/** Output queued to a slow daemon past this pauses every terminal until it drains (as a terminal would block). */
const DAEMON_HIGH_WATER = 8 * 1024 * 1024;
/** A host nobody attaches to (its daemon died starting) does not stay. */
const UNCLAIMED_EXIT_MS = 30_000;
/** With no daemon and no program left, how long the host waits to tell the next daemon how its programs ended. */
const EXITS_KEPT_MS = 10 * 60_000;
/** A recording continues in a new file past this size; the newest few are kept. */
const MAX_RECORDING_BYTES = 64 * 1024 * 1024;
const RECORDINGS_KEPT = 4;

export class HostError extends UserError {}

/** One terminal: the program, its recording, and the output a new screen is rebuilt from. */
class HeldTerminal {
  readonly pty: Pty;
  readonly recorder: RotatingAsciicast;
  /** Output units since the program started. */
  offset = 0;
  /** The screen as of `tailStart` (a daemon's checkpoint), when the tail follows it without a gap. */
  private checkpoint: string | undefined;
  private tail: string[] = [];
  private tailUnits = 0;
  private gap = false;
  /** Output goes to the daemon once it has this terminal's backlog. */
  streaming = false;
  exit: PtyExit | undefined;

  constructor(readonly spec: HostSpawn) {
    this.pty = new Pty({ command: spec.file, args: spec.args, cwd: spec.cwd, env: spec.env, cols: spec.cols, rows: spec.rows });
    this.recorder = new RotatingAsciicast(
      spec.recording,
      { width: spec.cols, height: spec.rows, timestamp: Math.floor(Date.now() / 1000), command: spec.command },
      realClock,
      { maxBytes: MAX_RECORDING_BYTES, keep: RECORDINGS_KEPT, restore: () => this.backlog().data },
    );
  }

  info(): HostTerminalInfo {
    const { terminal, token } = this.spec;
    return { terminal, pid: this.pty.pid, cols: this.pty.cols, rows: this.pty.rows, recording: this.recorder.current, token, ...(this.exit ? { exit: this.exit } : {}) };
  }

  output(data: string): void {
    this.offset += data.length;
    this.tail.push(data);
    this.tailUnits += data.length;
    while (this.tailUnits > MAX_TAIL_UNITS && this.tail.length > 1) {
      this.tailUnits -= this.tail.shift()!.length;
      this.gap = true;
    }
    this.recorder.output(data);
  }

  checkpointAt(offset: number, screen: string): void {
    const tailStart = this.offset - this.tailUnits;
    if (offset < tailStart || offset > this.offset) return; // not a point of the output kept
    let drop = offset - tailStart;
    while (drop > 0) {
      const first = this.tail[0]!;
      if (first.length <= drop) {
        this.tail.shift();
        drop -= first.length;
        this.tailUnits -= first.length;
      } else {
        this.tail[0] = first.slice(drop);
        this.tailUnits -= drop;
        drop = 0;
      }
    }
    this.checkpoint = screen;
    this.gap = false;
  }

  backlog(): HostBacklog {
    const tail = this.tail.join('');
    if (this.tail.length > 1) this.tail = [tail]; // joined once, kept joined
    return { data: this.gap ? tail : (this.checkpoint ?? '') + tail, offset: this.offset, exact: !this.gap };
  }
}

export interface RunningHost {
  socket: string;
  /** Settles when the host has exited its serving (no daemon, no program left). */
  stopped: Promise<void>;
  /** Writes out and ends every recording (the output each has gathered included): the host is about to end. */
  closeRecordings(): Promise<void>;
}

export async function runPtyHost(env: Env, log: Log): Promise<RunningHost> {
  ensurePrivateDir(runtimeDir(env));
  const socketPath = ptyHostSocketPath(env, HOST_PROTOCOL_VERSION);
  if ((await removeStaleSocket(socketPath)) === 'live') throw new HostError(`a PTY host already serves ${socketPath}`);
  const terminals = new Map<string, HeldTerminal>();
  let daemon: Socket | undefined;
  let paused = false;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));

  const send = (message: HostEvent | { id: number; result?: unknown; error?: unknown }) => {
    if (!daemon || daemon.destroyed) return;
    daemon.write(frame(message));
    if (!paused && daemon.writableLength > DAEMON_HIGH_WATER) {
      paused = true;
      for (const held of terminals.values()) held.pty.pause();
    }
  };
  const resumeAll = () => {
    if (!paused) return;
    paused = false;
    for (const held of terminals.values()) held.pty.resume();
  };
  let lingering: NodeJS.Timeout | undefined;
  const exitNow = () => {
    log('no daemon and no program left: the PTY host exits');
    server.close();
    resolveStopped();
  };
  const exitIfUnused = () => {
    if (daemon || [...terminals.values()].some((held) => !held.exit)) return;
    if (terminals.size === 0) return exitNow();
    // Exits no daemon has taken yet: kept a while for the next one (the store wants the codes).
    lingering ??= setTimeout(exitNow, EXITS_KEPT_MS);
  };

  const spawn = (spec: HostSpawn): { pid: number } => {
    if (terminals.has(spec.terminal)) throw new HostError(`terminal ${spec.terminal} is already held`);
    const held = new HeldTerminal(spec);
    held.streaming = true; // its daemon has seen all of it: nothing was printed yet
    terminals.set(spec.terminal, held);
    let recording = held.recorder.current;
    held.pty.onData((data) => {
      held.output(data);
      if (!held.streaming) return;
      send({ event: 'data', terminal: spec.terminal, data });
      if (held.recorder.current !== recording) send({ event: 'recording', terminal: spec.terminal, file: (recording = held.recorder.current) });
    });
    void held.pty.exited.then(async (exit) => {
      await held.recorder.close().catch((error: Error) => log(`terminal ${spec.terminal}: its recording failed: ${error.message}`));
      held.exit = exit;
      log(`terminal ${spec.terminal} (pid ${held.pty.pid}) ended: code ${exit.code}, signal ${exit.signal}`);
      if (held.streaming) send({ event: 'exit', terminal: spec.terminal, exit });
      exitIfUnused();
    });
    log(`terminal ${spec.terminal}: pid ${held.pty.pid}, ${spec.file}`);
    return { pid: held.pty.pid };
  };

  const heldOrThrow = (terminal: string) => {
    const held = terminals.get(terminal);
    if (!held) throw new HostError(`no terminal ${terminal} in the PTY host`);
    return held;
  };

  const call = (message: HostCall, socket: Socket): unknown => {
    if (message.method !== 'hello' && socket !== daemon) throw new HostError('not the attached daemon: say hello first');
    switch (message.method) {
      case 'hello': {
        if (message.params.version !== HOST_PROTOCOL_VERSION) throw new HostError(`host protocol ${message.params.version} asked, this host speaks ${HOST_PROTOCOL_VERSION}`);
        if (daemon && daemon !== socket) {
          log('a new daemon attached: the previous connection is closed');
          daemon.destroy();
        }
        daemon = socket;
        clearTimeout(lingering);
        lingering = undefined;
        for (const held of terminals.values()) held.streaming = false; // until the new daemon has its backlog
        resumeAll();
        return { version: HOST_PROTOCOL_VERSION, pid: process.pid, terminals: [...terminals.values()].map((held) => held.info()) } satisfies HelloResult;
      }
      case 'spawn':
        return spawn(message.params);
      case 'attach': {
        const held = heldOrThrow(message.params.terminal);
        held.streaming = true;
        return held.backlog();
      }
    }
  };

  const notice = (message: HostNotice, socket: Socket): void => {
    if (socket !== daemon) return;
    const held = terminals.get(message.params.terminal);
    if (!held) return; // ended and forgotten meanwhile
    switch (message.method) {
      case 'write':
        held.recorder.input(message.params.data);
        held.pty.write(message.params.data);
        return;
      case 'resize':
        held.pty.resize(message.params.cols, message.params.rows);
        held.recorder.resize(message.params.cols, message.params.rows);
        return;
      case 'kill':
        void held.pty.kill({ signal: message.params.signal, graceMs: message.params.graceMs });
        return;
      case 'checkpoint':
        held.checkpointAt(message.params.offset, message.params.screen);
        return;
      case 'forget':
        if (held.exit) terminals.delete(message.params.terminal);
        return;
    }
  };

  const server = net.createServer((socket) => {
    socket.on('error', (error) => log(`daemon connection: ${error.message}`));
    socket.on('drain', () => {
      if (socket === daemon) resumeAll();
    });
    socket.on('close', () => {
      if (socket !== daemon) return;
      daemon = undefined;
      resumeAll(); // no reader now: output goes to the recordings and the backlogs only
      log('the daemon detached');
      exitIfUnused();
    });
    onLines(
      socket,
      MAX_DAEMON_FRAME_BYTES,
      (line) => {
        let message: HostCall | HostNotice;
        try {
          message = JSON.parse(line) as HostCall | HostNotice;
        } catch {
          log('a line that is not JSON: ignored');
          return;
        }
        if (!('id' in message)) {
          try {
            notice(message, socket);
          } catch (error) {
            log(`${message.method}: ${(error as Error).message}`);
          }
          return;
        }
        try {
          socket.write(frame({ id: message.id, result: call(message, socket) }));
        } catch (error) {
          const commandNotFound = error instanceof CommandNotFoundError ? { commandNotFound: error.command } : {};
          socket.write(frame({ id: message.id, error: { message: (error as Error).message, ...commandNotFound } }));
        }
      },
      () => socket.destroy(),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // 0600 from its first moment (see the daemon's server).
    const umask = process.umask(0o177);
    try {
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(umask);
    }
  });
  chmodSync(socketPath, 0o600);
  server.on('error', (error) => log(`socket server: ${error.message}`));
  const unclaimed = setTimeout(exitIfUnused, UNCLAIMED_EXIT_MS);
  unclaimed.unref();
  log(`drover PTY host ${process.pid} (protocol ${HOST_PROTOCOL_VERSION}) listening on ${socketPath}`);
  const closeRecordings = async () => {
    await Promise.all([...terminals.values()].map((held) => held.recorder.close().catch(() => {})));
  };
  return { socket: socketPath, stopped, closeRecordings };
}
