/**
 * `drover logs NAME --text` (the recording as a person would read it) and `drover diff NAME` (what
 * the agent changed, by git), through the real binary and daemon, on a shell agent in a git repository.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, privateDirs } from '../helpers/drover.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-logs-'));
const env = privateDirs(root, { PS1: 'ready$ ' });
const run = (...args: string[]) => drover(args, { env, timeout: 30_000 });

afterAll(async () => {
  await run('daemon', 'stop');
  rmSync(root, { recursive: true, force: true });
});

describe('drover logs --text and drover diff', () => {
  it('gives the recording as text and the changes by git; a folder outside git is one line', async () => {
    const repo = path.join(root, 'repo');
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    writeFileSync(path.join(repo, 'tracked.txt'), 'one\n');
    await execa('git', ['-C', repo, 'add', '.']);
    await execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'first']);

    expect((await run('spawn', 'shell', '--name', 'editor', '--cwd', repo, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    const sent = await run('send', 'editor', 'echo two >> tracked.txt; echo fresh > new.txt; seq 1 60 | sed s/^/line-/', '--wait');
    expect(sent.exitCode, sent.stderr).toBe(0);

    const diff = await run('diff', 'editor');
    expect(diff.exitCode, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('+two');
    expect(diff.stdout).toContain('untracked files (new, not in git yet):\n  new.txt');
    expect((await run('diff', 'editor', '--', '--stat')).stdout).toContain('tracked.txt | 1 +');
    expect((await execa('git', ['-C', repo, 'status', '--porcelain'])).stdout).toBe(' M tracked.txt\n?? new.txt'); // untouched

    // The whole output, scrolled-off lines included (the screen holds 35 rows, the output 60 and more).
    let text = '';
    for (let tries = 0; !text.includes('line-60') && tries < 100; tries++) text = (await run('logs', 'editor', '--text')).stdout;
    const lines = text.split('\n');
    expect(lines).toContain('line-1');
    expect(lines).toContain('line-60');
    expect(lines.some((line) => line.startsWith('ready$ echo two >> tracked.txt'))).toBe(true);

    expect((await run('spawn', 'shell', '--name', 'outside', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    const refused = await run('diff', 'outside');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim()).toBe(`drover: outside works in ${root}, which is not in a git repository: nothing to diff`);
  }, 90_000);
});
