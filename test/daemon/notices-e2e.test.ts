/**
 * The user's notices through the real `drover` binary and daemon, on real shell agents: listed as
 * new, then read once listed; dismissed by id or all read at once; and gone by themselves when
 * their cause is: the agent works again, is restarted, or is removed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/protocol/schema.ts';
import { privateDaemon } from '../helpers/drover.ts';
import { until } from '../helpers/until.ts';

const { root, run, json, remove } = privateDaemon('notices');
afterAll(remove);

/** The user's own messages, listed (all: dismissed too). */
const notices = async (all = false): Promise<MessageView[]> =>
  ((await json('inbox', ...(all ? ['--all'] : []))) as MessageView[]).filter((m) => m.to === 'user');

const noticeSaying = (body: string) => until(async () => (await notices()).find((m) => m.body === body), `the notice "${body}"`);
const goneFromInbox = (id: string) => until(async () => !(await notices()).some((m) => m.id === id), `notice ${id} gone`);

describe('drover inbox: notices', () => {
  it('lists a notice as new, then read; dismisses by id and every read one; refuses what is not yours', async () => {
    expect((await run('spawn', 'shell', '--name', 'w', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    await json('send', 'w', 'true', '--wait');
    const done = await noticeSaying('w is done');
    expect(done.readAt).toBeUndefined();
    expect((await notices()).find((m) => m.id === done.id)?.readAt).toBeUndefined();

    const listed = await run('inbox');
    expect(listed.stdout).toMatch(new RegExp(`^${done.id} .* system → user +new +w is done$`, 'm'));
    // Showing it was reading it (a listing as JSON, for a program, is not).
    expect((await notices()).find((m) => m.id === done.id)?.readAt).toEqual(expect.any(String));
    expect((await run('inbox')).stdout).toMatch(new RegExp(`^${done.id} .* read +w is done$`, 'm'));

    const dismissed = await json('inbox', 'dismiss', '--read');
    expect(dismissed.map((m: MessageView) => m.id)).toEqual([done.id]);
    expect(await notices()).toEqual([]);
    expect((await run('inbox', '--all')).stdout).toMatch(new RegExp(`^${done.id} .* dismissed +w is done$`, 'm'));

    const toAgent = ((await json('inbox', '--all')) as MessageView[]).find((m) => m.to === 'w')!;
    expect((await run('inbox', 'dismiss', toAgent.id)).stderr).toBe(
      `drover: message ${toAgent.id} is to w, not in your inbox: only your own messages are read or dismissed`,
    );
    expect((await run('inbox', 'dismiss', 'zzzz')).stderr).toBe('drover: no message zzzz (see drover inbox)');
    expect((await run('inbox', 'dismiss')).exitCode).toBe(2);

    // By id (a prefix is enough), read or not.
    await json('send', 'w', 'true', '--wait');
    const again = await noticeSaying('w is done');
    expect((await run('inbox', 'dismiss', again.id.slice(0, 5))).stdout).toBe(`dismissed 1 message(s): ${again.id}`);
    expect(await notices()).toEqual([]);
  }, 60_000);

  it('takes a notice out by itself when its agent works again, is restarted, or is removed', async () => {
    expect((await run('spawn', 'shell', '--name', 'v', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    await json('send', 'v', 'true', '--wait');
    const done = await noticeSaying('v is done');
    await json('send', 'v', 'sleep 0.5', '--wait');
    await goneFromInbox(done.id);

    await json('send', 'v', 'exit 3');
    const exited = await noticeSaying('v exited (code 3)');
    expect((await run('restart', 'v')).exitCode).toBe(0);
    await goneFromInbox(exited.id);

    expect((await run('kill', 'v', '--force')).exitCode).toBe(0);
    const killed = await until(async () => (await notices()).find((m) => m.body.startsWith('v exited')), 'the notice of the kill');
    expect((await run('rm', 'v')).exitCode).toBe(0);
    await goneFromInbox(killed.id);
    const all = await notices(true);
    expect([done.id, exited.id, killed.id].map((id) => all.find((m) => m.id === id)?.dismissedAt)).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
  }, 60_000);
});
