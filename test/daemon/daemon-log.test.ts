/**
 * D18: the background daemon's log is bounded (rotated to daemon.log.1 past MAX_LOG_BYTES) and holds
 * no per-byte parser noise from an agent's binary output. D26: `drover replay` of a recording full
 * of binary output writes nothing to stderr. Through the real binary and daemon.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LOG_BYTES } from '../../src/daemon/daemon-log.ts';
import { drover, privateDirs } from '../helpers/drover.ts';
import { until } from '../helpers/until.ts';

const roots: string[] = [];
function privateRoot() {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-log-'));
  roots.push(root);
  const env = privateDirs(root);
  return { root, env, log: path.join(env.XDG_STATE_HOME, 'drover', 'daemon.log') };
}

afterAll(async () => {
  for (const root of roots) {
    await drover(['daemon', 'stop'], { env: privateDirs(root), timeout: 30_000 });
    rmSync(root, { recursive: true, force: true });
  }
});

describe("the daemon's log", () => {
  it("holds nothing of an agent's binary output", async () => {
    const { root, env, log } = privateRoot();
    // Random bytes, then a full reset so the marker reads plainly whatever state they left.
    const script = `head -c 300000 /dev/urandom; printf '\\033c'; echo printed-all; sleep 300`;
    const spawned = await drover(['spawn', 'shell', '--name', 'noisy', '--cwd', root, '--', '-c', script], { env, timeout: 30_000 });
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    await until(async () => (await drover(['screen', 'noisy'], { env, timeout: 30_000 })).stdout.includes('printed-all'), 'the output parsed');
    const text = readFileSync(log, 'utf8');
    expect(text).toContain('listening on');
    expect(text).not.toContain('Parsing error');
    expect(statSync(log).size).toBeLessThan(4096);
  }, 60_000);

  it('is rotated to daemon.log.1 past its bound, one older part kept', async () => {
    const { env, log } = privateRoot();
    mkdirSync(path.dirname(log), { recursive: true });
    // A few bytes short of the bound: the daemon's first line crosses it.
    const old = `${'x'.repeat(MAX_LOG_BYTES - 11)}\n`;
    writeFileSync(log, old);
    expect((await drover(['ls'], { env, timeout: 30_000 })).exitCode).toBe(0);
    await until(async () => readFileSync(log, 'utf8').includes('listening on'), 'the daemon started');
    expect(readFileSync(`${log}.1`, 'utf8')).toBe(old);
    expect(statSync(log).size).toBeLessThan(4096);
  }, 60_000);
});

describe('drover replay', () => {
  it('of a recording full of binary output writes nothing to stderr', async () => {
    const { root } = privateRoot();
    const cast = path.join(root, 'binary.cast');
    const header = JSON.stringify({ version: 2, width: 80, height: 24 });
    const events = Array.from({ length: 20 }, (_, i) => JSON.stringify([i * 0.1, 'o', randomBytes(4000).toString('latin1')]));
    writeFileSync(cast, [header, ...events, JSON.stringify([2.5, 'o', '\u001bcreplayed-all'])].join('\n') + '\n');
    const replayed = await drover(['replay', cast, '--format', 'screen'], { timeout: 30_000 });
    expect(replayed.exitCode, replayed.stderr).toBe(0);
    expect(replayed.stderr).toBe('');
    expect(replayed.stdout).toContain('replayed-all');
  }, 60_000);
});
