/**
 * drover's MCP server in a real agent: Claude Code against the mock model, launched by the real
 * `drover` binary and its daemon on private XDG dirs (the user's own config and state are never
 * read). drover registers `drover mcp` into the launch (--mcp-config); the mock's turns are the
 * MCP tool calls Claude makes. Claude asks before each MCP tool runs: the dialog is answered with
 * `drover approve`, through the approvals queue.
 *   - `send_message` from Claude (`lead`) to a bash agent (`peer`): the command arrives and runs,
 *     and the inbox says it came from lead;
 *   - `handoff` to a worker that is a second real Claude (the mock answers its task with a known
 *     text): the tool returns once the worker is done, with the worker's answer exactly as the
 *     model wrote it, read back from the worker's screen; what Claude sent the mock as the tool
 *     result (the mock's request log) holds it whole.
 * The same tools with Codex, Gemini CLI and Copilot CLI as the calling agent (each its own daemon
 * and mock): `send_message` to a bash agent, `assign` and `handoff` to bash workers (their last
 * response is their command's output). The tools' names are each CLI's own (read from what it
 * offers the model); a dialog the CLI shows before an MCP tool is answered with `drover approve`.
 * Skips CLIs not installed (npm run agents:install).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSummary, ApprovalView, MessageView } from '../../src/protocol/schema.ts';
import { prepareAgent, type PreparedAgent } from '../agents/homes.ts';
import { agentBinary, type Provider } from '../agents/paths.ts';
import { DROVER_BIN } from '../helpers/drover.ts';
import { killLeftovers } from '../helpers/processes.ts';
import { liveFolder, liveDrover, endLive, droverJson, spawn, send, statusOf, untilStatus, screenOf, pendingRequest, pendingFor, stopDaemon, privateEnv, type LiveDrover } from './live-drover.ts';
import { writtenSoFar } from '../helpers/mcp.ts';
import { until } from '../helpers/until.ts';
import { startMockServer, type MockEvent, type MockLogEntry, type MockServer } from '../../src/doctor/mock-model/server.ts';

const installed = Boolean(agentBinary('claude'));

/** The worker's answer: long enough that Claude wraps it on its 120-column screen. */
const WORKER_ANSWER =
  'The worker looked at the scratch project: it holds one README file in a repository with a single commit on main, ' +
  'so there is nothing left to do and the answer is forty-two.';

interface Harness {
  root: string;
  env: Record<string, string>;
  prepared: PreparedAgent;
  mock: MockServer;
  /** What peer's commands write. */
  peerLog: string;
}

describe.skipIf(!installed)('drover mcp in real Claude Code', () => {
  let h: Harness;

  beforeAll(async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'drover-mcp-live-'));
    const mock = await startMockServer({ port: 0 });
    const agentRoot = path.join(root, 'agent');
    mkdirSync(agentRoot);
    const prepared = prepareAgent('claude', { mockUrl: mock.url, root: agentRoot });
    const env = privateEnv(root);
    // `claude` launches the prepared CLI (throwaway HOME, mock URL, manual permission mode), for
    // lead and for the worker its handoff spawns; `sh` is a plain bash with a known prompt.
    const { command, args, env: claudeEnv } = prepared;
    const sh = { base: 'shell', command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'ready$ ' } };
    mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
    writeFileSync(path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify({ providers: { claude: { command, args, env: claudeEnv }, sh } }, null, 2));
    h = { root, env, prepared, mock, peerLog: path.join(prepared.cwd, 'peer.log') };
  });

  afterAll(async () => {
    if (!h) return;
    await stopDaemon(h);
    killLeftovers(h.prepared.home);
    await h.mock.close();
    // DROVER_LIVE_KEEP=1 keeps the daemon's state, log and the agents' recordings for a look.
    if (process.env.DROVER_LIVE_KEEP) console.log(`kept ${h.root}`);
    else rmSync(h.root, { recursive: true, force: true });
  });

  it('registers drover mcp into the launch: Claude starts it and calls send_message; the message reaches peer from lead', async () => {
    const body = `echo from-claude >> ${h.peerLog}`;
    h.mock.setScenario({
      turns: [
        { text: 'I will tell peer.', tool: { name: 'mcp__drover__send_message', input: { to: 'peer', body } } },
        { text: 'The message is on its way to peer.', delay_ms_per_word: 30 },
      ],
      default: { text: 'Nothing more to do.' },
    });
    await spawn(h, 'sh', 'peer');
    await spawn(h, 'claude', 'lead');

    // drover's launch of lead: its own MCP config, naming lead and the daemon's socket.
    const lead = await droverJson<AgentSummary>(h, 'status', 'lead');
    const config = JSON.parse(readFileSync(path.join(h.env.XDG_STATE_HOME, 'drover', 'agents', lead.id, 'claude-mcp.json'), 'utf8'));
    expect(config.mcpServers.drover).toMatchObject({
      type: 'stdio',
      command: process.execPath,
      args: [DROVER_BIN, 'mcp'],
      env: { DROVER_AGENT_ID: lead.id, DROVER_HOOK_TOKEN: expect.stringMatching(/\S/), DROVER_SOCKET: path.join(h.env.XDG_RUNTIME_DIR, 'drover', 'drover.sock') },
    });
    // Claude starts it, and it connects to the daemon: before that, Claude's first request says
    // drover's tools are "still connecting" (they are deferred tools, not in the request's list).
    await until(() => mcpServerRunning(lead.id), "lead's drover mcp process", 30_000);
    await until(async () => (await droverJson<{ clients: number }>(h, 'daemon', 'status')).clients >= 2, 'drover mcp connected to the daemon', 30_000);

    const from = h.mock.log.length;
    await send(h, 'lead', 'Please tell peer to write to its log');

    // Claude asks before running an MCP tool; the dialog names drover's tool and shows the call.
    const request = await pendingRequest(h, 'lead');
    expect(request.screen).toContain('drover — Send Message');
    expect(request.summary).toContain(body);
    expect(existsSync(h.peerLog), 'nothing sent before the answer').toBe(false);
    expect(await droverJson<ApprovalView>(h, 'approve', request.id)).toMatchObject({ state: 'approved' });

    await until(() => writtenSoFar(h.peerLog) === 'from-claude\n', async () => `peer to run the message; peer:\n${await screenOf(h, 'peer')}\nlead:\n${await screenOf(h, 'lead')}`, 60_000);
    const messages = await droverJson<MessageView[]>(h, 'inbox', '--all');
    expect(messages.filter((m) => m.to === 'peer')).toEqual([expect.objectContaining({ from: 'lead', to: 'peer', body, state: 'delivered' })]);

    // Claude got the tool's answer (the queued message) and ended its turn.
    await untilStatus(h, 'lead', (s) => s === 'done', 60_000);
    const result = toolResults(h.mock.log.slice(from));
    expect(result).toHaveLength(1);
    const queued = messages.find((m) => m.to === 'peer')!;
    expect(JSON.parse(result[0]!)).toEqual({ queued: queued.id, to: 'peer' });
  });

  it("handoff to a second Claude returns the worker's answer exactly, once the worker is done", async () => {
    const task = 'Look at the project and tell me what is left to do.';
    h.mock.setScenario({
      turns: [
        // lead's turn: the handoff; the tool blocks while the worker runs.
        { text: 'I will hand this to a worker.', tool: { name: 'mcp__drover__handoff', input: { provider: 'claude', task, name: 'worker', timeout_s: 150 } } },
        // The worker's turn: the next main request is the worker's, with the task as its prompt.
        { text: WORKER_ANSWER, delay_ms_per_word: 20 },
        // lead again, with the handoff's result.
        { text: 'The worker has answered.', delay_ms_per_word: 30 },
      ],
      default: { text: 'Nothing more to do.' },
    });
    const from = h.mock.log.length;
    await send(h, 'lead', 'Please hand the review to a worker');

    const request = await pendingRequest(h, 'lead');
    expect(request.screen).toContain('drover — Handoff');
    expect(request.summary).toContain(task);
    expect(await droverJson<ApprovalView>(h, 'approve', request.id)).toMatchObject({ state: 'approved' });

    // The worker: a real Claude in lead's folder, its task from lead.
    const worker = await until(async () => (await droverJson<AgentSummary[]>(h, 'ls')).find((a) => a.name === 'worker'), 'the worker', 30_000);
    expect(worker).toMatchObject({ provider: 'claude', cwd: h.prepared.cwd });
    await untilStatus(h, 'lead', (s) => s === 'done', 150_000);
    expect(await statusOf(h, 'worker')).toBe('done');

    const requests = h.mock.log.slice(from).filter((e) => e.kind === 'generate' && e.role === 'main');
    const workerPrompt = requests.find((e) => e.serve?.text === WORKER_ANSWER.slice(0, 80));
    expect(workerPrompt, 'the worker asked the model with its task').toMatchObject({ last_input: 'user:text' });
    expect(workerPrompt!.last_text).toContain(task);
    const delivered = (await droverJson<MessageView[]>(h, 'inbox', '--all')).filter((m) => m.to === 'worker');
    expect(delivered).toEqual([expect.objectContaining({ from: 'lead', body: task, state: 'delivered' })]);

    // What Claude sent back as the handoff's result: the worker's answer, whole.
    const results = toolResults(h.mock.log.slice(from));
    expect(results).toHaveLength(1);
    expect(JSON.parse(results[0]!)).toEqual({ worker: 'worker', status: 'done', response: WORKER_ANSWER });
    expect(await screenOf(h, 'lead')).toContain('The worker has answered.');
  });
});

describe.each(['codex', 'gemini', 'copilot'] as Provider[])('drover mcp in real %s', (id) => {
  it.skipIf(!agentBinary(id))('send_message, assign and handoff from the CLI: delivered, reported back, returned', { timeout: 600_000 }, async () => {
    const folder = liveFolder(`mcp-${id}`);
    const { root } = folder;
    const mock = await startMockServer({ port: 0, scenario: { turns: [{ text: 'Ready when you are.' }], default: { text: 'Nothing more to do.' } } });
    let repliesEnded = 0;
    mock.events.on('mock-event', (e: MockEvent) => {
      if (e.kind === 'turn-end' && e.role === 'main') repliesEnded++;
    });
    const sh = { base: 'shell', command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'ready$ ' } };
    const h = liveDrover(id, folder, mock.url, { sh });
    const { prepared } = h;
    try {
      await spawn(h, 'sh', 'peer');
      await spawn(h, id, 'lead');
      // Its MCP tools, as it offers them to the model (each CLI names them its own way): a first
      // prompt shows them (drover mcp may still be connecting at the first request: asked again).
      const named = (tool: string) =>
        mock.log.filter((e) => e.kind === 'generate' && e.role === 'main').flatMap((e) => e.tool_names ?? []).find((n) => n.includes('drover') && n.endsWith(tool));
      for (let asked = 1; asked <= 3 && !named('handoff'); asked++) {
        await send(h, 'lead', 'Hello');
        await until(() => repliesEnded >= asked, async () => `answer #${asked}; lead:\n${await screenOf(h, 'lead')}`, 180_000);
        await untilStatus(h, 'lead', (s) => s === 'done', 120_000);
      }
      const offered = [...new Set(mock.log.flatMap((e) => e.tool_names ?? []))];
      const tools = { send: named('send_message'), assign: named('assign'), handoff: named('handoff') };
      expect(tools, `drover's tools among ${JSON.stringify(offered)}`).toEqual({ send: expect.any(String), assign: expect.any(String), handoff: expect.any(String) });
      console.log(`${id}: drover's tools offered as ${JSON.stringify(tools)}`);

      // 1. send_message to peer: the command arrives and runs; the inbox says it came from lead.
      const peerLog = path.join(prepared.cwd, 'peer.log');
      const body = `echo from-${id} >> ${peerLog}`;
      mock.setScenario({
        turns: [{ text: 'I will tell peer.', tool: { name: tools.send!, input: { to: 'peer', body } } }, { text: 'The message is on its way to peer.' }],
        default: { text: 'Nothing more to do.' },
      });
      let from = mock.log.length;
      await send(h, 'lead', 'Please tell peer to write to its log');
      await untilApproving(h, () => writtenSoFar(peerLog) === `from-${id}\n`, 'peer to run the message');
      const toPeer = (await droverJson<MessageView[]>(h, 'inbox', '--all')).filter((m) => m.to === 'peer');
      expect(toPeer).toEqual([expect.objectContaining({ from: 'lead', to: 'peer', body, state: 'delivered' })]);
      await untilApproving(h, () => anyToolResult(mock.log.slice(from)), 'the tool result sent back to the model');
      await untilStatus(h, 'lead', (s) => s === 'done', 120_000);
      expect(anyToolResult(mock.log.slice(from))).toContain(toPeer[0]!.id);

      // 2. assign: a bash worker runs the task; the tool returns at once with the worker's name;
      // the worker's answer comes back to lead through its inbox, and lead gets it as a prompt.
      mock.setScenario({
        turns: [
          { text: 'I will assign it.', tool: { name: tools.assign!, input: { provider: 'sh', task: 'echo assigned-answer-7', name: 'helper' } } },
          { text: 'Assigned to helper.' },
          { text: 'Noted what helper found.' },
        ],
        default: { text: 'Nothing more to do.' },
      });
      from = mock.log.length;
      await send(h, 'lead', 'Please assign the check to a helper');
      const reported = await untilApproving(
        h,
        async () => (await droverJson<MessageView[]>(h, 'inbox', '--all')).find((m) => m.from === 'helper' && m.to === 'lead' && m.state === 'delivered'),
        "helper's answer delivered to lead",
      );
      expect(reported.body).toBe('assigned-answer-7');
      expect((await droverJson<AgentSummary>(h, 'status', 'helper')).provider).toBe('sh');
      expect(anyToolResult(mock.log.slice(from))).toContain('helper');
      await until(() => mock.log.slice(from).some((e) => e.kind === 'generate' && e.role === 'main' && (e.last_text ?? '').includes('assigned-answer-7')), 'lead to pass the report to its model', 120_000);
      await untilStatus(h, 'lead', (s) => s === 'done', 120_000);

      // 3. handoff: the tool waits for the bash worker and returns its answer.
      mock.setScenario({
        turns: [
          { text: 'I will hand it off.', tool: { name: tools.handoff!, input: { provider: 'sh', task: 'echo handed-answer-9', name: 'hand', timeout_s: 120 } } },
          { text: 'The worker has answered.' },
        ],
        default: { text: 'Nothing more to do.' },
      });
      from = mock.log.length;
      await send(h, 'lead', 'Please hand the check to a worker');
      const result = await untilApproving(h, () => anyToolResult(mock.log.slice(from)), 'the handoff result sent back to the model');
      expect(result).toContain('handed-answer-9');
      expect(result).toMatch(/\\?"status\\?":\s*\\?"done/);
      expect(await statusOf(h, 'hand')).toBe('done');
      await untilStatus(h, 'lead', (s) => s === 'done', 120_000);
      await until(async () => (await screenOf(h, 'lead')).includes('The worker has answered.'), async () => `the last answer on lead's screen:\n${await screenOf(h, 'lead')}`, 30_000);
    } finally {
      await endLive(h, root, mock);
    }
  });
});

/** Waits for `check`, answering "yes" to each dialog lead shows on the way (a CLI may ask before an MCP tool). */
async function untilApproving<T>(h: LiveDrover, check: () => T | undefined | false | Promise<T | undefined | false>, what: string): Promise<T> {
  return until(
    async () => {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      for (const request of await pendingFor(h, 'lead')) {
        console.log(`lead asks: ${request.tool}: ${request.summary} (approved with drover approve)`);
        await droverJson<ApprovalView>(h, 'approve', request.id);
      }
      return undefined;
    },
    async () => `${what}; lead:\n${await screenOf(h, 'lead')}`,
    180_000,
  );
}

/** The first tool result the CLI sent the mock in `log`, whole. */
function anyToolResult(log: MockLogEntry[]): string | undefined {
  return log.find((e) => e.kind === 'generate' && e.role === 'main' && e.last_input === 'user:tool_result')?.last_text;
}

// ---------------------------------------------------------------------------------------------

/** The tool results Claude sent the mock, whole, in order. */
function toolResults(log: MockLogEntry[]): string[] {
  return log.filter((e) => e.kind === 'generate' && e.role === 'main' && e.last_input === 'user:tool_result').map((e) => e.last_text ?? '');
}

/** A `drover mcp` process serving this agent (the id is in its environment, as its launch gave it). */
function mcpServerRunning(agentId: string): boolean {
  return readdirSync('/proc').some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!(argv.includes(DROVER_BIN) && argv.includes('mcp'))) return false;
      return readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`DROVER_AGENT_ID=${agentId}`);
    } catch {
      return false; // gone, or not ours to read
    }
  });
}

