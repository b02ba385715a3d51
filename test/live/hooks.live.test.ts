/**
 * drover's hooks in each real CLI (not Claude's, tested in the daemon's end-to-end test; Copilot's
 * are another issue), launched by the real `drover` binary and its daemon on private XDG dirs
 * against the mock model:
 *   - the hooks drover injects into the launch reach the daemon with the agent's token: the
 *     session id they carry is stored, and (Codex, Qwen Code: their hook runs before the dialog is
 *     drawn) the permission dialog is `needs_permission` from the hook, with no flap after it;
 *   - a stale report (a dialog the screen does not show) is taken, then corrected by the screen;
 *   - `drover resume` starts the CLI again in that session: its screen shows the earlier turns.
 * Lives under the project's own tmp/ (not /tmp): Gemini CLI refuses a settings file below a world-writable folder.
 * Skips CLIs not installed (npm run agents:install).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Client } from '../../src/client/client.ts';
import type { AgentSummary, ApprovalView, EventParams } from '../../src/protocol/schema.ts';
import { agentLayout } from '../agents/homes.ts';
import { agentBinary, type Provider } from '../agents/paths.ts';
import { DROVER_BIN } from '../helpers/drover.ts';
import { startMockServer, type MockEvent } from '../../src/doctor/mock-model/server.ts';
import { liveFolder, liveDrover, endLive, drover, droverJson, pendingRequest, screenOf, send, spawn, untilStatus } from './live-drover.ts';
import { until } from '../helpers/until.ts';

/** Per CLI: whether its hook runs before its dialog is drawn, and the hook call that reports a dialog. */
const CLIS: Array<{ id: Provider; hookFirst: boolean; dialogEvent: string; dialogPayload: object }> = [
  { id: 'codex', hookFirst: true, dialogEvent: 'PermissionRequest', dialogPayload: {} },
  { id: 'gemini', hookFirst: false, dialogEvent: 'Notification', dialogPayload: { notification_type: 'ToolPermission' } },
  { id: 'qwen', hookFirst: true, dialogEvent: 'PermissionRequest', dialogPayload: {} },
  { id: 'opencode', hookFirst: false, dialogEvent: 'permission.asked', dialogPayload: {} },
];

const ANSWER = 'Hello from the mock model, answering the first turn.';
const DONE = 'The file has been created.';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.each(CLIS)('$id hooks, live', ({ id, hookFirst, dialogEvent, dialogPayload }) => {
  it.skipIf(!agentBinary(id))('reports with the token, says the dialog, is corrected by the screen, resumes', { timeout: 420_000 }, async () => {
    const folder = liveFolder(`hooks-${id}`);
    const { root, agentRoot } = folder;
    const target = path.join(agentLayout(agentRoot).outsideDir, 'hooked.txt');
    const mock = await startMockServer({
      port: 0,
      scenario: {
        turns: [
          { text: ANSWER, delay_ms_per_word: 60 },
          { text: 'I will create the file now.', tool: { shell: `touch ${target}` } },
          { text: DONE, delay_ms_per_word: 40 },
        ],
        default: { text: 'Nothing more to do.' },
      },
    });
    // The model's replies that ended: a turn is over when its reply is, whatever a lagging screen says.
    let repliesEnded = 0;
    mock.events.on('mock-event', (e: MockEvent) => {
      if (e.kind === 'turn-end' && e.role === 'main') repliesEnded++;
    });
    const turnOver = async (replies: number) => {
      await until(() => repliesEnded >= replies, `the model's reply #${replies} to end`, 120_000);
      await untilStatus(h, 'hooked', (s) => s === 'done', 90_000);
    };
    const h = liveDrover(id, folder, mock.url);
    const { env } = h;
    let client: Client | undefined;
    cleanup.push(async () => {
      await client?.close();
      await endLive(h, root, mock);
    });

    await spawn(h, id, 'hooked');
    const changes: Array<EventParams<'event.status'>> = [];
    client = await connect(path.join(env.XDG_RUNTIME_DIR, 'drover', 'drover.sock'));
    client.on('event.status', (change) => changes.push(change));
    const agentId = (await droverJson<AgentSummary>(h, 'status', 'hooked')).id;
    const sessionOf = () => readState(env).agents.find((a) => a.id === agentId)?.sessionId;

    // 1. A turn: its hooks carry the session id, taken only with the launch's token.
    await untilStatus(h, 'hooked', (s) => s === 'idle', 240_000);
    await send(h, 'hooked', 'Please say hello');
    await turnOver(1);
    const sessionId = await until(sessionOf, 'the session id from the hooks', 30_000);

    // 2. The permission dialog: from the hook where it runs before the dialog is drawn; no flap.
    const asked = changes.length;
    await send(h, 'hooked', 'Create the file please');
    const request = await pendingRequest(h, 'hooked');
    const dialog = changes.slice(asked).find((c) => c.agent === agentId && c.status === 'needs_permission');
    expect(dialog, 'needs_permission seen').toBeDefined();
    if (hookFirst) expect(dialog!.rule).toBe(`hook.${dialogEvent}`);
    // What the hook adds: how much sooner than the dialog drawn and read (its request filed).
    console.log(`${id}: needs_permission by ${dialog!.rule}, ${Date.parse(request.createdAt) - dialog!.at} ms before the dialog was read on screen`);
    const approvedFrom = changes.length;
    expect(await droverJson<ApprovalView>(h, 'approve', request.id)).toMatchObject({ state: 'approved' });
    const whileAsking = changes.slice(asked, approvedFrom).filter((c) => c.agent === agentId).map((c) => c.status);
    expect(whileAsking.slice(whileAsking.indexOf('needs_permission')), 'nothing but the dialog until it is answered').toEqual(['needs_permission']);
    await turnOver(3);
    expect(existsSync(target), 'the approved command ran').toBe(true);

    // 3. A stale report (a dialog long answered), with the agent's own token: taken at once, then
    // corrected by the screen, which shows the prompt.
    const summary = await droverJson<AgentSummary>(h, 'status', 'hooked');
    const stale = changes.length;
    await execa('node', [DROVER_BIN, 'hook', id, dialogEvent], { input: JSON.stringify(dialogPayload), env: hookEnv(summary.pid!), extendEnv: false });
    await until(() => changes.slice(stale).some((c) => c.status === 'needs_permission' && c.rule === `hook.${dialogEvent}`), 'the stale report taken', 10_000);
    await untilStatus(h, 'hooked', (s) => s === 'done', 10_000);

    // 4. Resume: the CLI again, in the session its hooks reported.
    expect((await drover(h, 'kill', 'hooked')).exitCode).toBe(0);
    await untilStatus(h, 'hooked', (s) => s === 'exited', 30_000);
    const resumed = await drover(h, 'resume', 'hooked');
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    await untilStatus(h, 'hooked', (s) => s === 'idle' || s === 'done', 120_000);
    await until(async () => (await screenOf(h, 'hooked')).includes(DONE), async () => `the earlier turn on the resumed screen:\n${await screenOf(h, 'hooked')}`, 30_000);
    expect(sessionOf()).toBe(sessionId);
  });
});

function readState(env: Record<string, string>): { agents: Array<{ id: string; sessionId?: string }> } {
  return JSON.parse(readFileSync(path.join(env.XDG_STATE_HOME, 'drover', 'state.json'), 'utf8'));
}

/** What the agent's own hooks get: drover's variables from its environment (with its token). */
function hookEnv(pid: number): Record<string, string> {
  const vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((v) => v.startsWith('DROVER_'));
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...Object.fromEntries(vars.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)])) };
}
