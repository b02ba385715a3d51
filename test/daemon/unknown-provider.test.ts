/**
 * A stored agent whose provider drover no longer knows (a custom provider since removed from
 * config.json), with a message caught mid-delivery: the real daemon still starts, shows the agent
 * exited, and refuses to restart or resume it in one line naming the provider.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateDaemon } from '../helpers/drover.ts';

const { root, run, remove } = privateDaemon('unknown-provider');
afterAll(remove);

describe('an agent of a provider drover no longer knows', () => {
  it('loads as an inert record: the daemon starts, the agent shows exited, restart and resume are refused', async () => {
    const stateDir = path.join(root, 'state', 'drover');
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const at = '2026-01-01T00:00:00.000Z';
    const recording = path.join(stateDir, 'recordings', 'a1.cast');
    writeFileSync(
      path.join(stateDir, 'state.json'),
      JSON.stringify({
        schemaVersion: 1,
        agents: [
          { id: 'a1', name: 'old', provider: 'mytool', cwd: root, args: [], env: {}, status: 'working', createdAt: at, startedAt: at, statusAt: at, recording, sessionId: 's1' },
        ],
        inbox: [
          { id: 'm1', from: 'user', to: 'old', body: 'hello', createdAt: at, state: 'delivering', attempts: 1, submittedAt: at },
          { id: 'm2', from: 'user', to: 'old', body: 'again', createdAt: at, state: 'delivering', attempts: 1 },
        ],
        approvals: [],
        audit: [],
      }),
      { mode: 0o600 },
    );

    const ls = await run('ls', '--json');
    expect(ls.exitCode, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual([expect.objectContaining({ name: 'old', provider: 'mytool', status: 'exited' })]);

    const status = await run('status', 'old', '--json');
    expect(status.exitCode, status.stderr).toBe(0);
    for (const verb of ['restart', 'resume']) {
      const refused = await run(verb, 'old');
      expect(refused.exitCode, verb).toBe(2);
      expect(refused.stderr.trim().split('\n'), verb).toHaveLength(1);
      expect(refused.stderr, verb).toMatch(/"mytool".*config\.json/);
    }
    const inbox = await run('inbox', '--all', '--json');
    expect(inbox.exitCode, inbox.stderr).toBe(0);
    const states = Object.fromEntries(JSON.parse(inbox.stdout).map((m: { id: string; state: string }) => [m.id, m.state]));
    expect(states).toEqual({ m1: 'failed', m2: 'pending' });
  }, 60_000);
});
