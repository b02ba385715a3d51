/**
 * The approval queue on Claude Code's real screens: CI has no Claude, so a recorded session stands
 * in for it (test/helpers/replaying-agent.ts plays the recording and waits for the same keys). The
 * live proof against the real CLI is test/live/approvals.live.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Approvals } from '../../src/engine/approvals.ts';
import { Inbox } from '../../src/engine/inbox.ts';
import type { Status } from '../../src/status/status.ts';
import { Supervisor } from '../../src/engine/supervisor.ts';
import { configSchema, type Policy } from '../../src/store/config.ts';
import type { Approval } from '../../src/store/state.ts';
import { Store } from '../../src/store/store.ts';
import { FIXTURES, replayingAgent } from '../helpers/fixtures.ts';
import { until } from '../helpers/until.ts';

let dir: string;
let store: Store;
let supervisor: Supervisor;
let inbox: Inbox;
let approvals: Approvals;
let notices: string[];

/** Claude's provider (rules, parser, keys) on a recorded Claude session. */
async function open(recording: string, policies: Policy[] = []): Promise<void> {
  dir = mkdtempSync(path.join(tmpdir(), 'drover-approvals-'));
  store = await Store.open(path.join(dir, 'state.json'));
  const claude = replayingAgent(path.join(FIXTURES, 'claude', recording), '--same', '\\r=1');
  supervisor = new Supervisor({ store, providers: configSchema.parse({ providers: { claude } }).providers, stateDir: dir, cols: 120, rows: 35 });
  inbox = new Inbox({ store, supervisor });
  notices = [];
  approvals = new Approvals({ store, supervisor, policies, notify: (text) => notices.push(text) });
  await supervisor.spawn({ provider: 'claude', name: 'claude', cwd: dir });
}

afterEach(async () => {
  await supervisor.stopAll();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await store.idle();
  rmSync(dir, { recursive: true, force: true });
});

const status = (): Status => supervisor.get('claude').record.status;
/** Waits for `check`; the failure says claude's status then. */
const untilWithStatus = <T>(check: () => T | undefined | false, what: string) => until(check, () => `${what} (status ${status()})`);
const pending = () => approvals.list()[0];
const stored = (id: string): Approval => approvals.list({ all: true }).find((a) => a.id === id)!;

/** The two messages the recordings were made with; the second asks for a tool. */
async function askForTheTool(second: string): Promise<Approval> {
  await untilWithStatus(() => status() === 'idle', 'idle');
  if (second === 'Create the file please') {
    await inbox.send({ from: 'user', to: 'claude', body: 'Please say hello' });
    await untilWithStatus(() => status() === 'done', 'the first answer');
  }
  await inbox.send({ from: 'user', to: 'claude', body: second });
  await untilWithStatus(() => status() === 'needs_permission', 'the dialog');
  return untilWithStatus(pending, 'a request');
}

describe('the approval queue', () => {
  it('makes a request from the dialog, and an approval types the option once and sees the agent finish', async () => {
    await open('basic-120x35.cast');
    const request = await askForTheTool('Create the file please');
    expect(request).toMatchObject({ agent: supervisor.get('claude').record.id, tool: 'Bash command', state: 'pending' });
    expect(request.summary).toMatch(/^touch \/tmp\/\S+\/outside\/created\.txt$/);
    expect(request.options.map((o) => `${o.keys} ${o.choice}`)).toEqual(['1 once', '2 always', '3 other', '4 deny']);
    expect(request.screen).toContain('Do you want to proceed?');
    expect(notices).toEqual([`claude asks: Bash command: ${request.summary} (drover approve ${request.id} / drover deny ${request.id})`]);

    const approved = await approvals.answer(request.id.slice(0, 3), 'once');
    expect(approved).toMatchObject({ state: 'approved', decidedBy: 'user' });
    await untilWithStatus(() => status() === 'done', 'done after the tool ran');
    await expect(approvals.answer(request.id, 'deny')).rejects.toThrow(`request ${request.id} is already approved`);
    expect(store.read().audit.at(-1)).toMatchObject({ actor: 'user', action: 'approval.approved', detail: expect.stringContaining('once: Yes') });
  }, 40_000);

  it('denies with the agent\'s own "No"', async () => {
    await open('deny-120x35.cast');
    const request = await askForTheTool('Delete the file please');
    const denied = await approvals.answer(request.id, 'deny');
    expect(denied).toMatchObject({ state: 'denied', decidedBy: 'user' });
    await untilWithStatus(() => status() !== 'needs_permission', 'the dialog gone');
  }, 40_000);

  it('resolves a request answered inside the agent, and refuses to answer it again', async () => {
    await open('deny-120x35.cast');
    const request = await askForTheTool('Delete the file please');
    supervisor.get('claude').live!.typeKeys(request.options.find((o) => o.choice === 'deny')!.keys); // as if typed while attached
    await untilWithStatus(() => stored(request.id).state === 'resolved-in-agent', 'resolved in the agent');
    await expect(approvals.answer(request.id, 'once')).rejects.toThrow(`request ${request.id} is already resolved-in-agent`);
  }, 40_000);

  it("settles an agent's pending requests stale when its record goes (drover rm), with the reason and an audit entry", async () => {
    await open('deny-120x35.cast');
    const request = await askForTheTool('Delete the file please');
    const settled = await approvals.settlePendingFor(request.agent, 'claude was removed (drover rm)');
    expect(settled.map((a) => a.id)).toEqual([request.id]);
    expect(stored(request.id)).toMatchObject({ state: 'stale', decidedBy: 'system', reason: 'claude was removed (drover rm)' });
    expect(store.read().audit.some((e) => e.action === 'approval.stale' && e.detail.includes('drover rm'))).toBe(true);
    expect(await approvals.settlePendingFor(request.agent, 'again')).toEqual([]);
  }, 40_000);

  it('lets a policy answer with no person, and audits which rule did', async () => {
    await open('deny-120x35.cast', [{ id: 'no-deleting', action: 'deny', provider: 'claude', command: 'rm .*' }]);
    const request = await askForTheTool('Delete the file please');
    const decided = await untilWithStatus(() => stored(request.id).state !== 'pending' && stored(request.id), 'the policy decision');
    expect(decided).toMatchObject({ state: 'denied', decidedBy: 'policy:no-deleting', reason: 'policy no-deleting' });
    expect(store.read().audit.at(-1)).toMatchObject({ actor: 'policy:no-deleting', action: 'approval.denied' });
    // Nobody was asked; the user hears of the "no" the agent got.
    await untilWithStatus(() => notices.length > 0, 'the notice');
    expect(notices).toEqual([`claude was denied Bash command: ${request.summary} (policy no-deleting)`]);
  }, 40_000);
});
