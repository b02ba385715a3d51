/**
 * D10 through the real binary and daemon, on Claude Code's real screens (a recorded session
 * standing in, as in approvals-e2e): a policy's command is matched whole against each command of
 * the request, so `rm` no longer allows `rm /tmp/…`; the request waits for a person.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, privateDaemon } from '../helpers/drover.ts';
import { FIXTURES, replayingAgent } from '../helpers/fixtures.ts';
import { until } from '../helpers/until.ts';

const { root, env, json, remove } = privateDaemon('policy');
afterAll(remove);

describe('policies through the daemon', () => {
  it('match a command whole: a policy for `rm` leaves `rm FILE` to a person', async () => {
    mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
    const claude = replayingAgent(path.join(FIXTURES, 'claude', 'deny-120x35.cast'));
    const policies = [{ id: 'bare-rm', action: 'allow', provider: 'claude', command: 'rm' }];
    writeFileSync(path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify({ providers: { claude }, policies }));
    expect((await drover(['spawn', 'claude', '--name', 'reviewer', '--cwd', root], { env, timeout: 30_000 })).exitCode).toBe(0);
    await json('send', 'reviewer', 'Delete the file please', '--wait');
    const [request] = await until(async () => {
      const list = await json('approvals', '--all');
      return list.length ? list : undefined;
    }, 'a request');
    expect(request.summary).toMatch(/^rm -f \/tmp\//);
    // Decided at once: a person is told (no policy covered it), or the policy's answer is typed.
    const asked = `reviewer asks: Bash command: ${request.summary} (drover approve ${request.id} / drover deny ${request.id})`;
    await until(async () => {
      const told = (await json('inbox')).some((m: { body: string }) => m.body === asked);
      const [now] = await json('approvals', '--all');
      return told || now.state !== 'pending';
    }, 'the decision');
    expect((await json('approvals', '--all')).map((a: { state: string }) => a.state)).toEqual(['pending']);
    expect((await json('inbox')).map((m: { body: string }) => m.body)).toContain(asked);
  }, 60_000);
});
