/**
 * D20: `drover kill` ends the agent's whole process group, also a child that ignores SIGHUP after
 * the agent itself has exited on it. Through the real binary, daemon and PTY.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateDaemon } from '../helpers/drover.ts';
import { until } from '../helpers/until.ts';

const { root, run, remove } = privateDaemon('killgroup');
afterAll(remove);

/** Running, not dead or a zombie waiting for a parent that may not reap it. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('drover kill', () => {
  it("takes a child that ignores SIGHUP along with the agent's process group", async () => {
    const pidFile = path.join(root, 'child.pid');
    // No job control (bash -c): the child stays in the agent's group; it ignores the hangup, bash does not.
    const script = `(trap '' HUP; exec sleep 300) & echo $! > ${pidFile}; wait`;
    const spawned = await run('spawn', 'shell', '--name', 'stubborn', '--cwd', root, '--', '-c', script);
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    const child = await until(() => {
      try {
        return Number(readFileSync(pidFile, 'utf8').trim()) || undefined;
      } catch {
        return undefined;
      }
    }, 'the child pid');
    expect(running(child)).toBe(true);
    const killed = await run('kill', 'stubborn', '--json');
    expect(killed.exitCode, killed.stderr).toBe(0);
    expect(JSON.parse(killed.stdout)).toMatchObject({ status: 'exited' });
    await until(() => !running(child), 'the child gone', 10_000);
  }, 60_000);
});
