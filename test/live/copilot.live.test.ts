/**
 * Copilot CLI through the real drover and its daemon (private XDG dirs, a throwaway HOME, the mock
 * model): drover's hooks, loaded as a plugin for this launch only, report the session id with the
 * agent's token; `drover resume` relaunches the exited agent into that session, with its history.
 * Skips when Copilot CLI is not installed (npm run agents:install -- copilot).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { State } from '../../src/store/state.ts';
import { prepareAgent } from '../agents/homes.ts';
import { agentBinary } from '../agents/paths.ts';
import { killLeftovers } from '../helpers/processes.ts';
import { startMockServer } from '../../src/doctor/mock-model/server.ts';
import { drover, privateEnv, screenOf, send, spawn, stopDaemon, untilStatus } from './live-drover.ts';
import { until } from '../helpers/until.ts';

const installed = Boolean(agentBinary('copilot'));
const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

it.skipIf(!installed)('copilot: hooks report its session id, and drover resume brings the session back', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-live-copilot-'));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  const mock = await startMockServer({
    port: 0,
    scenario: { turns: [{ text: 'Hello from the first session.' }], default: { text: 'Welcome back.' } },
  });
  cleanup.push(() => mock.close());
  const agentRoot = path.join(root, 'agent');
  mkdirSync(agentRoot);
  const prepared = prepareAgent('copilot', { mockUrl: mock.url, root: agentRoot });
  const h = { env: privateEnv(root), prepared };
  cleanup.push(() => killLeftovers(prepared.home));
  cleanup.push(() => stopDaemon(h));
  const config = { providers: { copilot: { command: prepared.command, args: prepared.args, env: prepared.env } } };
  mkdirSync(path.join(h.env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
  writeFileSync(path.join(h.env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify(config));

  await spawn(h, 'copilot', 'pilot');
  await send(h, 'pilot', 'Please say hello');
  await untilStatus(h, 'pilot', (s) => s === 'done', 90_000);
  const sessionId = await until(() => agentRecord(h.env, 'pilot').sessionId, 'the session id from the hooks', 30_000);
  expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

  expect((await drover(h, 'kill', 'pilot')).exitCode).toBe(0);
  await untilStatus(h, 'pilot', (s) => s === 'exited', 30_000);
  expect((await drover(h, 'resume', 'pilot')).exitCode).toBe(0);
  await untilStatus(h, 'pilot', (s) => s === 'idle' || s === 'done', 90_000);
  // The resumed session shows the earlier turn, and the model is asked with it in the history.
  await until(async () => (await screenOf(h, 'pilot')).includes('Hello from the first session.'), 'the earlier answer on screen', 30_000);
  await send(h, 'pilot', 'Are you still there?');
  await untilStatus(h, 'pilot', (s) => s === 'done', 90_000);
  expect(agentRecord(h.env, 'pilot').sessionId).toBe(sessionId);
  const asked = mock.log.filter((entry) => entry.role === 'main').at(-1);
  expect(asked?.snippet).toContain('Are you still there?');
});

function agentRecord(env: Record<string, string>, name: string): State['agents'][number] {
  const state = JSON.parse(readFileSync(path.join(env.XDG_STATE_HOME!, 'drover', 'state.json'), 'utf8')) as State;
  return state.agents.find((a) => a.name === name)!;
}
