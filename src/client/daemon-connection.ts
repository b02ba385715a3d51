/**
 * How every verb reaches the daemon: connect, and when nothing answers start one detached (its own
 * session, output to a log file), the way tmux does, then connect again.
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { socketPath } from '../daemon/daemon.ts';
import { ensurePrivateDir, stateDir, type Env } from '../store/paths.ts';
import { connect, NoDaemonError, type Client } from './client.ts';

/** The daemon refused to start: its own one-line reason (e.g. a damaged state file). */
export class DaemonStartError extends Error {}

/** The daemon prints its refusal as its last line, "drover: …". */
function lastLine(file: string): string | undefined {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const last = lines.at(-1);
  return last?.startsWith('drover: ') ? last.slice('drover: '.length) : undefined;
}

const DROVER_BIN = fileURLToPath(new URL('../../bin/drover.js', import.meta.url));
const START_TIMEOUT_MS = 10_000;

export function daemonLogPath(env: Env = process.env): string {
  return path.join(stateDir(env), 'daemon.log');
}

export async function connectOrStart(env: Env = process.env): Promise<Client> {
  const socket = socketPath(env);
  try {
    return await connect(socket);
  } catch (error) {
    if (!(error instanceof NoDaemonError)) throw error;
  }
  ensurePrivateDir(stateDir(env));
  const log = openSync(daemonLogPath(env), 'a', 0o600);
  const child = spawn(process.execPath, [DROVER_BIN, 'daemon'], {
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

