/**
 * `drover logs NAME --text` (the recording as a person would read it) and `drover diff NAME` (what
 * the agent changed, by git), through the real binary and daemon, on a shell agent in a git repository.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/client.ts';
import { MAX_BUFFER_ROWS } from '../../src/protocol/schema.ts';
import { privateDaemon } from '../helpers/drover.ts';

const { root, run, remove } = privateDaemon('logs', { PS1: 'ready$ ' });
afterAll(remove);

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

    // The same over the socket, as the TUI's views ask for them: the transcript, the diff, and the
    // terminal's buffer (scrollback and screen) by range.
    const client = await connect(path.join(root, 'run', 'drover', 'drover.sock'));
    try {
      const { lines: transcribed } = await client.call('agents.transcript', { agent: 'editor' });
      expect(transcribed).toEqual(expect.arrayContaining(['line-1', 'line-60']));
      const changes = await client.call('agents.diff', { agent: 'editor' });
      expect(changes).toMatchObject({ cwd: repo, untracked: ['new.txt'] });
      expect(changes.diff.split('\n')).toContain('+two');
      expect(changes.diff).not.toContain('\x1b['); // no colour: the TUI colours it itself

      const last = await client.call('agents.buffer', { agent: 'editor', count: 200, styled: true });
      expect(last.total).toBeGreaterThan(60); // more than the screen's 35 rows: the scrollback is there
      expect(last.lines).toEqual(expect.arrayContaining(['line-1', 'line-60']));
      expect(last.styled).toHaveLength(last.lines.length);
      const at = last.start + last.lines.indexOf('line-10');
      const range = await client.call('agents.buffer', { agent: 'editor', start: at, count: 3 });
      expect(range).toEqual({ total: last.total, start: at, lines: ['line-10', 'line-11', 'line-12'] });
      await expect(client.call('agents.buffer', { agent: 'editor', count: MAX_BUFFER_ROWS + 1 })).rejects.toThrow(`at most ${MAX_BUFFER_ROWS} rows`);
    } finally {
      await client.close();
    }

    expect((await run('spawn', 'shell', '--name', 'outside', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    const refused = await run('diff', 'outside');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim()).toBe(`drover: outside works in ${root}, which is not in a git repository: nothing to diff`);
    const viaSocket = await connect(path.join(root, 'run', 'drover', 'drover.sock'));
    await expect(viaSocket.call('agents.diff', { agent: 'outside' })).rejects.toThrow(`outside works in ${root}, which is not in a git repository: nothing to diff`);
    await viaSocket.close();
  }, 90_000);
});
