/**
 * `drover mcp` started by a person's own MCP client (no agent in its environment): the real binary
 * over stdio with the SDK's client, against a real daemon, acting as the user — the agents' tools
 * plus approvals / approve / deny and read_screen. Claude Code's real screens come from recorded
 * sessions standing in for the CLI (test/helpers/replaying-agent.ts); the rest are bash agents.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOrStart } from '../../src/client/daemon-connection.ts';
import type { Client } from '../../src/client/client.ts';
import { DROVER_BIN, droverDirs, stopDaemon } from '../helpers/drover.ts';
import { FIXTURES, replayingAgent } from '../helpers/fixtures.ts';
import { callTool, writtenSoFar } from '../helpers/mcp.ts';
import { until } from '../helpers/until.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-mcp-user-'));
const env = droverDirs(root);
let daemon: Client;
let mcp: McpClient;

/** A Claude stand-in asked for a tool; its request as the person's `approvals` tool lists it. */
async function askedForTool(name: string, provider: string, prompt: string) {
  await daemon.call('agents.spawn', { provider, name, cwd: root });
  await until(async () => (await daemon.call('agents.get', { agent: name })).status === 'idle', `${name} idle`);
  await daemon.call('inbox.send', { to: name, body: prompt });
  return until(async () => {
    const pending = (await callTool(mcp, 'approvals')).json() as Array<{ id: string; agent: string; state: string }>;
    return pending.find((a) => a.agent === name);
  }, `${name}'s request`, 40_000);
}

beforeAll(async () => {
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
  const sh = { base: 'shell', command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'ready$ ' } };
  const claude = replayingAgent(path.join(FIXTURES, 'claude', 'deny-120x35.cast'));
  const approver = { base: 'claude', ...replayingAgent(path.join(FIXTURES, 'claude', 'basic-120x35.cast'), '--same', '\\r=1') };
  writeFileSync(path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify({ providers: { sh, claude, approver } }));
  daemon = await connectOrStart(env);
  await daemon.call('agents.spawn', { provider: 'sh', name: 'peer', cwd: root });
  await until(async () => (await daemon.call('agents.get', { agent: 'peer' })).status === 'idle', 'peer idle');
  // The person's MCP client starts `drover mcp` with their own environment: no agent in it.
  mcp = new McpClient({ name: 'person', version: '1' });
  await mcp.connect(new StdioClientTransport({ command: process.execPath, args: [DROVER_BIN, 'mcp'], env: { PATH: process.env.PATH!, HOME: root, ...env }, cwd: root }));
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await stopDaemon(daemon);
  rmSync(root, { recursive: true, force: true });
});

describe("drover mcp for the person (the user's own MCP client)", () => {
  it("starts without an agent's environment, acting as the user, with the person's tools too", async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['approvals', 'approve', 'assign', 'deny', 'get_status', 'handoff', 'list_agents', 'read_last_response', 'read_screen', 'send_message'],
    );
    expect(tools.find((t) => t.name === 'approve')!.inputSchema.required).toEqual(['id']);
  });

  it('reads a screen, and sends a message from `user` that the agent runs', async () => {
    expect((await callTool(mcp, 'read_screen', { agent: 'peer' })).text).toContain('ready$');
    const log = path.join(root, 'peer.log');
    const sent = await callTool(mcp, 'send_message', { to: 'peer', body: `echo from-person >> ${log}` });
    expect(sent.isError).toBe(false);
    await until(() => writtenSoFar(log) === 'from-person\n', 'the message run by peer');
    const message = await until(async () => {
      const found = (await daemon.call('inbox.list', { all: true })).messages.find((m) => m.id === sent.json().queued);
      return found?.state === 'delivered' && found;
    }, 'the delivery settled');
    expect(message).toMatchObject({ from: 'user', to: 'peer' });
    expect((await callTool(mcp, 'read_screen', { agent: 'nobody' })).text).toBe('no such agent: nobody (see drover ls)');
  });

  it("denies a permission request with the agent's own no, decided by the user", async () => {
    const request = await askedForTool('reviewer', 'claude', 'Delete the file please');
    expect(request).toMatchObject({ provider: 'claude', tool: 'Bash command', state: 'pending', offers: ['once', 'always', 'other', 'deny'] });
    const denied = await callTool(mcp, 'deny', { id: request.id });
    expect(denied.json()).toMatchObject({ id: request.id, state: 'denied', decidedBy: 'user' });
    expect((await callTool(mcp, 'approvals')).json()).toEqual([]);
    expect((await callTool(mcp, 'approvals', { all: true })).json().map((a: { state: string }) => a.state)).toEqual(['denied']);
    expect(await callTool(mcp, 'approve', { id: request.id })).toMatchObject({ isError: true, text: `request ${request.id} is already denied` });
    const audit = (await daemon.call('approvals.list', { all: true })).approvals.find((a) => a.id === request.id);
    expect(audit).toMatchObject({ decidedBy: 'user' });
  }, 60_000);

  it('approves one (by an id prefix): the agent runs the tool and finishes', async () => {
    await daemon.call('agents.spawn', { provider: 'approver', name: 'maker', cwd: root });
    await until(async () => (await daemon.call('agents.get', { agent: 'maker' })).status === 'idle', 'maker idle');
    await daemon.call('inbox.send', { to: 'maker', body: 'Please say hello' });
    await until(async () => (await daemon.call('agents.get', { agent: 'maker' })).status === 'done', 'the first answer', 30_000);
    await daemon.call('inbox.send', { to: 'maker', body: 'Create the file please' });
    const request = await until(async () => ((await callTool(mcp, 'approvals')).json() as Array<{ id: string; agent: string }>).find((a) => a.agent === 'maker'), "maker's request", 40_000);
    const approved = await callTool(mcp, 'approve', { id: request.id.slice(0, 4) });
    expect(approved.json()).toMatchObject({ id: request.id, state: 'approved', decidedBy: 'user' });
    await until(async () => (await callTool(mcp, 'get_status', { agent: 'maker' })).json().status === 'done', 'done after the tool ran', 30_000);
  }, 90_000);

  it("hands off a task as the user (in this server's folder) and returns the worker's answer", async () => {
    const result = await callTool(mcp, 'handoff', { provider: 'sh', task: 'echo person-$((6*7))', name: 'helper', timeout_s: 20 });
    expect(result.json()).toEqual({ worker: 'helper', status: 'done', response: 'person-42' });
    expect((await daemon.call('agents.get', { agent: 'helper' })).cwd).toBe(root);
    const delivered = (await daemon.call('inbox.list', { all: true })).messages.find((m) => m.to === 'helper');
    expect(delivered).toMatchObject({ from: 'user', body: 'echo person-$((6*7))' });
  }, 30_000);

  it('inside an agent\'s terminal with its environment stripped, it is refused, never the user', async () => {
    const ids = path.join(root, 'inside.out');
    // `env -u` strips the agent's variables; the process still shares peer's Unix session.
    await daemon.call('agents.keys', {
      agent: 'peer',
      keys: `env -u DROVER_AGENT_ID -u DROVER_HOOK_TOKEN -u DROVER_SOCKET XDG_RUNTIME_DIR=${env.XDG_RUNTIME_DIR} XDG_STATE_HOME=${env.XDG_STATE_HOME} node ${DROVER_BIN} mcp < /dev/null > /dev/null 2> ${ids}; echo "exit $?" >> ${ids}\r`,
    });
    const out = await until(() => (writtenSoFar(ids).includes('exit ') ? writtenSoFar(ids) : undefined), 'the refused mcp');
    expect(out).toMatch(/^drover: .*agent.*\nexit 2\n$/s);
  }, 30_000);
});
