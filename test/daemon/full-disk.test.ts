/**
 * D6 on a real full disk: the state folder is a small tmpfs, filled to the last byte while an
 * agent works. The daemon (started in the background by the first verb, its log on that disk) and
 * the PTY host keep running; `drover ls` says in one line why statuses are not being saved; once
 * there is room again, the held status changes land and the log says how many lines it lost.
 * Needs root to mount the tmpfs.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Client } from '../../src/client/client.ts';
import type { EventParams } from '../../src/protocol/schema.ts';
import { drover, privateDirs } from '../helpers/drover.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-full-disk-'));
const env = privateDirs(root);
const disk = path.join(root, 'state');
const asRoot = process.getuid?.() === 0;
let client: Client | undefined;

afterAll(async () => {
  await client?.close();
  await drover(['daemon', 'stop'], { env, timeout: 30_000 });
  if (asRoot) execFileSync('umount', ['-l', disk]);
  rmSync(root, { recursive: true, force: true });
});

/** Writes zeros into `file` (appends, with `a`) until the disk refuses (ENOSPC). */
function fillDisk(file: string, flags = 'w'): void {
  const fd = openSync(file, flags);
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

function next<E extends 'event.state' | 'event.status'>(c: Client, event: E, matches: (params: EventParams<E>) => boolean) {
  return new Promise<void>((resolve) => {
    const off = c.on(event, (params) => {
      if (matches(params)) {
        off();
        resolve();
      }
    });
  });
}

describe('a full disk under the state folder', () => {
  it.runIf(asRoot)('holds status changes and says why; the daemon and the PTY host live on; nothing is lost once there is room', async () => {
    mkdirSync(disk, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', disk]);

    const spawned = await drover(['spawn', 'shell', '--name', 'sh', '--json', '--', '--norc', '--noprofile', '-i'], { env, timeout: 30_000 });
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    const { id } = JSON.parse(spawned.stdout) as { id: string };
    const socket = path.join(root, 'run', 'drover', 'drover.sock');
    client = await connect(socket);
    const c = client;
    const { ptyHostPid } = await c.call('daemon.status');
    expect(ptyHostPid).toBeGreaterThan(0);
    const settled = (await c.call('agents.get', { agent: id })).status;
    if (settled === 'starting') await next(c, 'event.status', (e) => e.agent === id && e.status !== 'starting');

    const full = next(c, 'event.state', (e) => e.writeProblem !== undefined);
    const filler = path.join(disk, 'filler');
    fillDisk(filler);
    // The daemon's log has room left in its last page: take that too, so its next lines fail.
    const daemonLog = path.join(disk, 'drover', 'daemon.log');
    fillDisk(daemonLog, 'a');
    // Output on the agent's screen (its recording can no longer grow) and a status change to store.
    await c.call('agents.keys', { agent: id, keys: 'echo on-a-full-disk\r' });
    await full;

    const ls = await drover(['ls'], { env, timeout: 30_000 });
    expect(ls.exitCode, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^sh\b/m);
    expect(ls.stderr.trim().split('\n')).toHaveLength(1);
    expect(ls.stderr).toMatch(/the state file cannot be written since .*no space left on device.*status changes are held and retried; free disk space/i);
    expect((await drover(['daemon', 'status'], { env, timeout: 30_000 })).exitCode).toBe(0);
    expect(() => process.kill(ptyHostPid!, 0)).not.toThrow();

    // Room again: the held changes land in order, the list stops warning, the log counts its losses.
    const room = next(c, 'event.state', (e) => e.writeProblem === undefined);
    const done = next(c, 'event.status', (e) => e.agent === id && e.status === 'done');
    rmSync(filler);
    await room;
    await done;
    const after = await drover(['ls', '--json'], { env, timeout: 30_000 });
    expect(after.stderr).toBe('');
    expect(JSON.parse(after.stdout)).toEqual([expect.objectContaining({ name: 'sh', status: 'done' })]);
    const log = readFileSync(daemonLog, 'utf8');
    expect(log).toMatch(/\(\d+ log line\(s\) could not be written: .*daemon\.log had no room\)/);
    expect(log).toContain('the state file takes writes again');
  }, 90_000);
});
