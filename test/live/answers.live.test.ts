/**
 * Exact last responses, any length, from each real CLI (against the mock model, launched by the
 * real `drover` and its daemon on private XDG dirs): the person's own MCP client (`drover mcp`
 * with no agent in its environment, the SDK's client over stdio) hands a task to a worker of that
 * CLI; the mock answers with 60 paragraphs, far taller than the 120×35 screen, so the screen alone
 * cannot give it. The handoff's result, `read_last_response` and `drover last` must be that text
 * exactly, read from the CLI's own transcript.
 * Lives under tmp/ of the worktree (not /tmp): Gemini CLI refuses a settings file below a
 * world-writable folder. Skips CLIs not installed (npm run agents:install).
 */
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { agentBinary, type Provider } from '../agents/paths.ts';
import { DROVER_BIN } from '../helpers/drover.ts';
import { startMockServer } from '../../src/doctor/mock-model/server.ts';
import { LONG_ANSWER } from './answers.ts';
import { liveFolder, liveDrover, endLive, drover, droverJson, screenOf } from './live-drover.ts';

const CLIS: Provider[] = ['claude', 'codex', 'gemini', 'qwen', 'opencode', 'copilot'];

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.each(CLIS)('%s: a last response taller than the screen', (id) => {
  it.skipIf(!agentBinary(id))('comes back whole and exact: handoff, read_last_response, drover last', { timeout: 900_000 }, async () => {
    const folder = liveFolder(`answers-${id}`);
    const { root } = folder;
    const mock = await startMockServer({ port: 0, scenario: { turns: [{ text: LONG_ANSWER, delay_ms_per_word: 2 }], default: { text: 'Nothing more to do.' } } });
    const h = liveDrover(id, folder, mock.url);
    const { env, prepared } = h;
    const mcp = new McpClient({ name: 'person', version: '1' });
    cleanup.push(async () => {
      await mcp.close().catch(() => {});
      await endLive(h, root, mock);
    });
    // The person's MCP client: their environment, no agent in it; its folder is the project.
    await mcp.connect(new StdioClientTransport({ command: process.execPath, args: [DROVER_BIN, 'mcp'], env, cwd: prepared.cwd }));

    const call = async (name: string, args: Record<string, unknown>) => {
      const result = (await mcp.callTool({ name, arguments: args }, undefined, { timeout: 800_000 })) as { content: Array<{ text: string }>; isError?: boolean };
      expect(result.isError, result.content[0]!.text).toBeFalsy();
      return JSON.parse(result.content[0]!.text);
    };
    const handed = await call('handoff', { provider: id, task: 'Please explain at length', name: 'worker', timeout_s: 780 });
    expect(handed.status, `the worker's outcome; screen:\n${await screenOf(h, 'worker')}`).toBe('done');
    expect(handed.response).toBe(LONG_ANSWER);

    // Far taller than the screen: its first paragraph is long gone from it.
    const screen = await screenOf(h, 'worker');
    expect(screen).not.toContain('Paragraph 1 of the long answer');
    expect(await call('read_last_response', { agent: 'worker' })).toEqual({ agent: 'worker', status: 'done', response: LONG_ANSWER, source: 'transcript' });
    const last = await drover(h, 'last', 'worker');
    expect(last.exitCode).toBe(0);
    expect(last.stdout).toBe(LONG_ANSWER); // execa strips the final newline
    expect(await droverJson(h, 'last', 'worker')).toMatchObject({ name: 'worker', text: LONG_ANSWER, source: 'transcript' });
  });
});
