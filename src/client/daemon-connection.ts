/**
 * How every verb reaches the daemon: connect, and when nothing answers start one detached (its own
 * session, output to a log file), the way tmux does, then connect again.
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { droverArgv } from '../protocol/launch.ts';
import { liveLockHolder } from '../store/lock.ts';
import { daemonLogPath, ensurePrivateDir, runtimeDir, socketPath, stateDir, type Env } from '../store/paths.ts';
import { connect, NoDaemonError, type Client } from './client.ts';

/** The daemon refused to start: its own one-line reason (e.g. a damaged state file). */
export class DaemonStartError extends UserError {}

/** The daemon prints its refusal as its last line, "drover: …". */
function lastLine(file: string): string | undefined {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const last = lines.at(-1);
  return last?.startsWith('drover: ') ? last.slice('drover: '.length) : undefined;
}

/**
 * A daemon that is still starting is waited for as long as its process lives (a busy machine can
 * take many seconds to load it), up to this bound; one that exits is asked for its reason.
 */
const START_LIMIT_MS = 120_000;
/** After this long, the caller is told the daemon is still starting. */
const SLOW_START_MS = 1500;

export interface StartOptions {
  /** Told once when the daemon takes a while to start (the TUI and the verbs say so). */
  onSlowStart?: (log: string) => void;
}

export function connectOrStart(env: Env = process.env, options: StartOptions = {}): Promise<Client> {
  return openOrStart(env, (socket) => connect(socket), options);
}

/**
 * What connectOrStart does, with "connecting" left to the caller: `open` throws NoDaemonError while
 * nothing answers. `drover dial-stdio` opens the bare socket and relays it.
 */
export async function openOrStart<T>(env: Env, open: (socket: string) => Promise<T>, options: StartOptions = {}): Promise<T> {
  const socket = socketPath(env);
  try {
    return await open(socket);
  } catch (error) {
    if (!(error instanceof NoDaemonError)) throw error;
  }
  ensurePrivateDir(stateDir(env));
  const logFile = daemonLogPath(env);
  const log = openSync(logFile, 'a', 0o600);
  const { command, args } = droverArgv(['daemon']);
  const child = spawn(command, args, {
    detached: true, // setsid: the daemon outlives this terminal and its ssh session
    stdio: ['ignore', log, log],
    // This machine's daemon: the hosts a verb or the TUI was pointed at are not its business.
    env: { ...process.env, ...env, DROVER_HOST: undefined },
  });
  child.unref();
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      return await open(socket);
    } catch (error) {
      if (!(error instanceof NoDaemonError)) throw error;
    }
    // Ours may have lost the lock to another starter's daemon (the TUI reconnecting, a second verb)
    // that is still starting — adopting agents can take seconds: wait for that one as for our own.
    if (child.exitCode !== null && liveLockHolder(runtimeDir(env)) === undefined) {
      try {
        return await open(socket);
      } catch {
        throw new DaemonStartError(lastLine(logFile) ?? `the daemon exited with code ${child.exitCode}: see ${logFile}`);
      }
    }
    if (Date.now() - started > START_LIMIT_MS) {
      throw new NoDaemonError(`${socket} (the daemon has not answered in ${START_LIMIT_MS / 1000} s: see ${logFile})`);
    }
    if (!told && Date.now() - started > SLOW_START_MS) {
      told = true;
      options.onSlowStart?.(logFile);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
