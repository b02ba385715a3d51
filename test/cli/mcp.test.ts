/**
 * `drover mcp` as an agent's MCP client starts it: over stdio with the SDK's own client, against a
 * real daemon and real bash agents, with the id and token a real agent's environment carries.
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
import { callTool, writtenSoFar } from '../helpers/mcp.ts';
import { until } from '../helpers/until.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-mcp-'));
const env = droverDirs(root);
let daemon: Client;
let mcp: McpClient;

beforeAll(async () => {
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
  const sh = { base: 'shell', command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'ready$ ' } };
  writeFileSync(path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify({ providers: { sh } }));
  daemon = await connectOrStart(env);
  for (const name of ['lead', 'peer']) await daemon.call('agents.spawn', { provider: 'sh', name, cwd: root });
  await until(async () => (await daemon.call('agents.list')).agents.every((a) => a.status === 'idle'), 'agents idle');
  // What an MCP server started by `lead` gets: lead's own id and token, from lead's environment.
  const ids = path.join(root, 'lead.env');
  await daemon.call('agents.keys', { agent: 'lead', keys: `echo "$DROVER_AGENT_ID $DROVER_HOOK_TOKEN $DROVER_SOCKET" > ${ids}\r` });
  const [agent, token, socket] = (await until(() => writtenSoFar(ids).trim(), 'the ids')).split(' ');
  mcp = new McpClient({ name: 'test', version: '1' });
  await mcp.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [DROVER_BIN, 'mcp'],
      env: { PATH: process.env.PATH!, HOME: root, DROVER_AGENT_ID: agent!, DROVER_HOOK_TOKEN: token!, DROVER_SOCKET: socket! },
    }),
  );
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await stopDaemon(daemon);
  rmSync(root, { recursive: true, force: true });
});

describe('drover mcp', () => {
  it('initializes over stdio and lists its tools', async () => {
    expect(mcp.getServerVersion()).toMatchObject({ name: 'drover' });
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['assign', 'get_status', 'handoff', 'list_agents', 'read_last_response', 'send_message']);
    expect(tools.find((t) => t.name === 'handoff')!.inputSchema.required).toEqual(['provider', 'task']);
  });

  it("an agent's MCP server cannot answer approvals or read screens: the person's tools are not its own", async () => {
    for (const name of ['approve', 'deny', 'approvals', 'read_screen']) {
      const result = await callTool(mcp, name, name === 'read_screen' ? { agent: 'peer' } : { id: 'anything' });
      expect(result.isError, name).toBe(true);
      expect(result.text).toMatch(new RegExp(`Tool ${name} not found`));
    }
  });

  it('lists agents and sends a message that arrives, from the calling agent; never to itself', async () => {
    const agents = (await callTool(mcp, 'list_agents')).json();
    expect(agents.map((a: { name: string }) => a.name)).toEqual(['lead', 'peer']);
    const log = path.join(root, 'peer.log');
    const sent = await callTool(mcp, 'send_message', { to: 'peer', body: `echo from-lead >> ${log}` });
    expect(sent.isError).toBe(false);
    await until(() => writtenSoFar(log) === 'from-lead\n', 'the message run by peer');
    // The command can run before drover has seen its screen answer the submit key and stored that.
    const stored = await until(async () => {
      const message = (await daemon.call('inbox.list', { all: true })).messages.find((m) => m.id === sent.json().queued);
      return message?.state === 'delivering' ? undefined : message;
    }, 'the delivery settled');
    expect(stored).toMatchObject({ from: 'lead', to: 'peer', state: 'delivered' });

    const self = await callTool(mcp, 'send_message', { to: 'lead', body: 'hello me' });
    expect(self).toMatchObject({ isError: true, text: 'lead cannot send a message to itself' });
    expect(await callTool(mcp, 'get_status', { agent: 'nobody' })).toMatchObject({ isError: true, text: 'no such agent: nobody (see drover ls)' });
  });

  it('refuses a message over 256 KiB, naming the limit', async () => {
    const result = await callTool(mcp, 'send_message', { to: 'peer', body: 'x'.repeat(300_000) });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/256 KiB/);
    // The daemon holds the bound itself, whatever client sends.
    await expect(daemon.call('inbox.send', { to: 'peer', body: 'x'.repeat(300_000) })).rejects.toThrow(/256 KiB/);
    expect((await daemon.call('inbox.list', { all: true })).messages.some((m) => m.body.length >= 300_000)).toBe(false);
  });

  it('hands off a task and returns the worker\'s answer when it is done', async () => {
    const result = await callTool(mcp, 'handoff', { provider: 'sh', task: 'echo handed-$((6*7))', name: 'helper', timeout_s: 20 });
    expect(result.json()).toEqual({ worker: 'helper', status: 'done', response: 'handed-42' });
    expect((await callTool(mcp, 'read_last_response', { agent: 'helper' })).json()).toEqual({ agent: 'helper', status: 'done', response: 'handed-42', source: 'screen' });
  }, 30_000);

  it('refuses a handoff timeout past what a timer can wait (D21), before any worker starts', async () => {
    const before = (await daemon.call('agents.list')).agents.length;
    const result = await callTool(mcp, 'handoff', { provider: 'sh', task: 'true', name: 'never', timeout_s: 3_000_000 });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/timeout_s/);
    expect(result.text).toMatch(/2073600/);
    expect((await daemon.call('agents.list')).agents.length).toBe(before);
  });

  it('assigns a task, returns at once, and puts the answer in the caller\'s inbox when the worker is done', async () => {
    const assigned = (await callTool(mcp, 'assign', { provider: 'sh', task: 'sleep 0.5; echo assigned-$((6*7))' })).json();
    expect(assigned).toMatchObject({ worker: 'sh-1', status: 'starting' });
    const answer = await until(
      async () => (await daemon.call('inbox.list', { all: true })).messages.find((m) => m.from === 'sh-1' && m.to === 'lead'),
      'the answer in lead\'s inbox',
    );
    expect(answer.body).toBe('assigned-42');
  }, 30_000);
});
