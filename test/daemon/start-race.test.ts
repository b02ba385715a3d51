/**
 * Two starters at once (the TUI reconnecting while a verb runs, after the daemon was killed): the
 * verb's own daemon loses the lock to the other one, which is still starting. The verb waits for the
 * winner instead of failing with the loser's "another drover daemon is running".
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { drover, DROVER_BIN, privateDirs } from '../helpers/drover.ts';
import { alive } from '../helpers/processes.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-race-'));
const env = privateDirs(root);
const runtime = path.join(root, 'run', 'drover');
const daemonLog = path.join(root, 'state', 'drover', 'daemon.log');

let winnerPid: number | undefined;
afterAll(async () => {
  await drover(['daemon', 'stop'], { env, timeout: 20_000 });
  // A failed run may leave the winner starting after the stop found no daemon to ask.
  if (winnerPid !== undefined && alive(winnerPid)) process.kill(winnerPid, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

it('a verb whose daemon lost the lock to one still starting waits for that one and answers', { timeout: 90_000 }, async () => {
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  // The winner: holds the lock from the start (its pid in daemon.pid), becomes the daemon only when
  // told — exec keeps the pid, as a daemon slow to load keeps its lock while it adopts agents.
  const go = path.join(root, 'go');
  const winner = spawn('sh', ['-c', `while [ ! -e '${go}' ]; do sleep 0.05; done; exec '${process.execPath}' '${DROVER_BIN}' daemon`], {
    env,
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  winner.unref();
  winnerPid = winner.pid;
  writeFileSync(path.join(runtime, 'daemon.pid'), `${winner.pid}\n`, { mode: 0o600 });

  const ls = drover(['ls', '--json'], { env, timeout: 60_000 });
  // The verb's own daemon starts, finds the lock held by a live process, and exits.
  await vi.waitFor(() => expect(existsSync(daemonLog) && readFileSync(daemonLog, 'utf8')).toMatch(/another drover daemon \(pid \d+\) is running/), { timeout: 30_000, interval: 50 });
  expect(existsSync(path.join(runtime, 'drover.sock'))).toBe(false);

  writeFileSync(go, '');
  const result = await ls;
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual([]);
  expect(readFileSync(path.join(runtime, 'daemon.pid'), 'utf8').trim()).toBe(String(winner.pid));
});
