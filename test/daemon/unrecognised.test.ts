/**
 * A screen no rule recognises is visible, not silently kept: an agent whose program draws nothing
 * its provider's rules know (here bash launched under Gemini CLI's rules, as a CLI update that
 * moved what the rules anchor on would look) is flagged by `drover ls` and `drover explain`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateDaemon } from '../helpers/drover.ts';
import { until } from '../helpers/until.ts';

const { root, run, remove } = privateDaemon('unrecognised', { PS1: 'ready$ ' });
afterAll(remove);

describe('an unrecognised screen', () => {
  it('is flagged in ls and explain once no rule has recognised it for 10 s', async () => {
    mkdirSync(path.join(root, 'config', 'drover'), { recursive: true });
    const mystery = { base: 'gemini', command: 'bash', args: ['--norc', '--noprofile', '-i'] };
    writeFileSync(path.join(root, 'config', 'drover', 'config.json'), JSON.stringify({ providers: { mystery } }));
    expect((await run('spawn', 'mystery', '--name', 'm1', '--cwd', root)).exitCode).toBe(0);
    const early = JSON.parse((await run('status', 'm1', '--json')).stdout);
    expect(early.unrecognisedMs).toBeUndefined();

    let agent = early;
    await until(async () => (agent = JSON.parse((await run('status', 'm1', '--json')).stdout)).unrecognisedMs, () => `m1 flagged unrecognised, still ${JSON.stringify(agent)}`, 30_000);
    expect(agent).toMatchObject({ status: 'starting', unrecognisedMs: expect.any(Number) });
    expect(agent.unrecognisedMs).toBeGreaterThanOrEqual(10_000);
    expect((await run('ls')).stdout).toMatch(/^m1 .* \(screen unrecognised for \d+ s: drover explain m1\)$/m);
    expect((await run('explain', 'm1')).stdout).toMatch(/^no rule has recognised m1's screen for \d+ s: it stays "starting", the last status drover could tell/m);
  }, 60_000);
});
