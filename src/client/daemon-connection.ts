/**
 * How every verb reaches the daemon: connect, and when nothing answers start one detached (its own
 * session, output to a log file), the way tmux does, then connect again.
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { droverArgv } from '../protocol/launch.ts';
import { daemonLogPath, ensurePrivateDir, socketPath, stateDir, type Env } from '../store/paths.ts';
import { connect, NoDaemonError, type Client } from './client.ts';

/** The daemon refused to start: its own one-line reason (e.g. a damaged state file). */
export class DaemonStartError extends UserError {}

/** The daemon prints its refusal as its last line, "drover: …". */
function lastLine(file: string): string | undefined {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const last = lines.at(-1);
  return last?.startsWith('drover: ') ? last.slice('drover: '.length) : undefined;
}

const START_TIMEOUT_MS = 10_000;

export async function connectOrStart(env: Env = process.env): Promise<Client> {
  const socket = socketPath(env);
  try {
    return await connect(socket);
  } catch (error) {
    if (!(error instanceof NoDaemonError)) throw error;
  }
  ensurePrivateDir(stateDir(env));
  const log = openSync(daemonLogPath(env), 'a', 0o600);
  const { command, args } = droverArgv(['daemon']);
  const child = spawn(command, args, {
    detached: true, // setsid: the daemon outlives this terminal and its ssh session
    stdio: ['ignore', log, log],
    env: { ...process.env, ...env },
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      return await connect(socket);
    } catch (error) {
      if (!(error instanceof NoDaemonError) || Date.now() > deadline) {
        throw new NoDaemonError(`${socket} (it did not start: see ${daemonLogPath(env)})`);
      }
      if (child.exitCode !== null) throw new DaemonStartError(lastLine(daemonLogPath(env)) ?? `the daemon exited with code ${child.exitCode}: see ${daemonLogPath(env)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

