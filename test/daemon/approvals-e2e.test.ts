/**
 * The approval and inbox verbs through the real `drover` binary and daemon, on Claude Code's real
 * screens: a recorded session stands in for the CLI in CI (test/helpers/replaying-agent.ts). The
 * same flow against the real Claude Code is test/live/approvals.live.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateDaemon } from '../helpers/drover.ts';
import { FIXTURES, replayingAgent } from '../helpers/fixtures.ts';
import { until } from '../helpers/until.ts';

const { root, env, run, json, remove } = privateDaemon('approve');
afterAll(remove);

describe('drover approvals / approve / deny / inbox', () => {
  it('lists a permission request across agents and answers it without attaching', async () => {
    mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
    const claude = replayingAgent(path.join(FIXTURES, 'claude', 'deny-120x35.cast'));
    writeFileSync(path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify({ providers: { claude } }));
    expect((await run('spawn', 'claude', '--name', 'reviewer', '--cwd', root)).exitCode).toBe(0);

    const sent = await json('send', 'reviewer', 'Delete the file please', '--wait');
    expect(sent).toMatchObject({ to: 'reviewer', state: 'delivered' });
    const [request] = await until(async () => {
      const list = await json('approvals');
      return list.length ? list : undefined;
    }, 'a request');
    expect(request).toMatchObject({ agentName: 'reviewer', provider: 'claude', tool: 'Bash command', state: 'pending' });
    expect(request.summary).toMatch(/^rm /);
    expect((await run('approvals')).stdout).toContain(`${request.id}`);

    const unknown = await run('approve', 'zzzz');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe('drover: no approval request zzzz (see drover approvals)');

    const denied = await json('deny', request.id);
    expect(denied).toMatchObject({ id: request.id, state: 'denied', decidedBy: 'user' });
    expect(await json('approvals')).toEqual([]);
    expect((await json('approvals', '--all')).map((a: { state: string }) => a.state)).toEqual(['denied']);
    const again = await run('approve', request.id);
    expect(again.stderr).toBe(`drover: request ${request.id} is already denied`);

    // The user's inbox told them about the request when it came, and the notice left once it was answered.
    const asks = `reviewer asks: Bash command: ${request.summary} (drover approve ${request.id} / drover deny ${request.id})`;
    const notice = (await json('inbox', '--all')).find((m: { body: string }) => m.body === asks);
    expect(notice).toMatchObject({ from: 'system', to: 'user', about: { approval: request.id }, dismissedAt: expect.any(String) });
    expect((await json('inbox')).map((m: { body: string }) => m.body)).not.toContain(asks);
  }, 60_000);
});
