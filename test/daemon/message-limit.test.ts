/**
 * A message body is bounded (256 KiB): a larger one is refused with one line naming the limit,
 * before it is stored or broadcast to every client. Through the real binary and daemon.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { privateDaemon } from '../helpers/drover.ts';

const { root, run, remove } = privateDaemon('msglimit', { PS1: 'ready$ ' });
afterAll(remove);

describe('message size', () => {
  it('refuses a body over 256 KiB in one line naming the limit, and stores nothing', async () => {
    const spawned = await run('spawn', 'shell', '--name', 'worker', '--cwd', root, '--json', '--', '--norc', '--noprofile', '-i');
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    // Three words of 100 KB (one argument may hold at most 128 KiB): 300 KB, under a frame's 1 MiB.
    const word = 'x'.repeat(100_000);
    const sent = await run('send', 'worker', word, word, word);
    expect(sent.exitCode).toBe(2);
    expect(sent.stderr.trim().split('\n')).toHaveLength(1);
    expect(sent.stderr).toMatch(/256 KiB/);
    const inbox = await run('inbox', '--all', '--json');
    expect(inbox.exitCode, inbox.stderr).toBe(0);
    expect(JSON.parse(inbox.stdout)).toEqual([]);
    // A body at the limit still goes.
    const fits = await run('send', 'worker', 'x'.repeat(100_000), 'x'.repeat(100_000), 'x'.repeat(62_142));
    expect(fits.exitCode, fits.stderr).toBe(0);
  }, 60_000);
});
