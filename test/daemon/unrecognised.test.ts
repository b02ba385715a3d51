/**
 * A screen no rule recognises is visible, not silently kept: an agent whose program draws nothing
 * its provider's rules know (here bash launched under Gemini CLI's rules, as a CLI update that
 * moved what the rules anchor on would look) is flagged by `drover ls` and `drover explain`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, privateDirs } from '../helpers/drover.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-unrecognised-'));
const env = privateDirs(root, { PS1: 'ready$ ' });
const run = (...args: string[]) => drover(args, { env, timeout: 30_000 });

afterAll(async () => {
  await run('daemon', 'stop');
  rmSync(root, { recursive: true, force: true });
});

describe('an unrecognised screen', () => {
  it('is flagged in ls and explain once no rule has recognised it for 10 s', async () => {
    mkdirSync(path.join(root, 'config', 'drover'), { recursive: true });
    const mystery = { base: 'gemini', command: 'bash', args: ['--norc', '--noprofile', '-i'] };
    writeFileSync(path.join(root, 'config', 'drover', 'config.json'), JSON.stringify({ providers: { mystery } }));
    expect((await run('spawn', 'mystery', '--name', 'm1', '--cwd', root)).exitCode).toBe(0);
    const early = JSON.parse((await run('status', 'm1', '--json')).stdout);
    expect(early.unrecognisedMs).toBeUndefined();

    const deadline = Date.now() + 30_000;
    let agent = early;
    while (!agent.unrecognisedMs && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      agent = JSON.parse((await run('status', 'm1', '--json')).stdout);
    }
    expect(agent).toMatchObject({ status: 'starting', unrecognisedMs: expect.any(Number) });
    expect(agent.unrecognisedMs).toBeGreaterThanOrEqual(10_000);
    expect((await run('ls')).stdout).toMatch(/^m1 .* \(screen unrecognised for \d+ s: drover explain m1\)$/m);
    expect((await run('explain', 'm1')).stdout).toMatch(/^no rule has recognised m1's screen for \d+ s: it stays "starting", the last status drover could tell/m);
  }, 60_000);
});
