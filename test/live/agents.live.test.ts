/**
 * Each installed agent CLI, launched the way drover launches agents (a PTY, the emulator, the
 * status tracker on the real clock), against the mock model: drover must report idle at its
 * prompt, working during a turn, done after it, needs_permission on a tool call, and working →
 * done after approving with the keys its own prompt parser found. Skips CLIs not installed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveAgent } from '../../src/engine/live-agent.ts';
import type { Status } from '../../src/status/status.ts';
import { getProvider } from '../../src/providers/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';
import { agentLayout, prepareAgent } from '../agents/homes.ts';
import { agentBinary, PROVIDERS } from '../agents/paths.ts';
import { startMockServer, type MockEvent } from '../../src/doctor/mock-model/server.ts';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** When `agent` reached `status` (epoch ms), told by its own status changes: no polling between. */
async function reached(agent: LiveAgent, status: Status, timeoutMs: number): Promise<number> {
  if (!(await agent.until(() => agent.status.status === status, timeoutMs))) {
    throw new Error(`no ${status} within ${timeoutMs} ms; status ${agent.status.status}; screen:\n${agent.screen.lines().join('\n')}`);
  }
  return Date.now();
}

/** When the mock model finished streaming its next main reply after `after`. */
function turnEnd(events: MockEvent[], after: number): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      const end = events.find((e) => e.kind === 'turn-end' && e.role === 'main' && e.at >= after);
      if (end) resolve(end.at);
      else setTimeout(check, 20);
    };
    check();
  });
}

describe.each(PROVIDERS)('%s, live', (id) => {
  it.skipIf(!agentBinary(id))('reports idle, working, done, needs_permission, working, done as it happens', async () => {
    const root = mkdtempSync(path.join(tmpdir(), `drover-live-${id}-`));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const { outsideDir, cwd } = agentLayout(root);
    // Copilot CLI asks before every command, and twice (path access, then the command) for one
    // outside the project: one dialog is asked for here.
    const target = path.join(id === 'copilot' ? cwd : outsideDir, 'live.txt');
    const mock = await startMockServer({
      port: 0,
      scenario: {
        turns: [
          { text: 'Hello from the mock model, streamed slowly so the turn takes a while.', delay_ms_per_word: 120 },
          { text: 'I will create the file now.', tool: { shell: `touch ${target}` } },
          { text: 'The file has been created.', delay_ms_per_word: 50 },
        ],
      },
    });
    const events: MockEvent[] = [];
    mock.events.on('mock-event', (e: MockEvent) => events.push(e));
    cleanup.push(() => mock.close());

    const prepared = prepareAgent(id, { mockUrl: mock.url, root });
    const provider = getProvider(id) as AgentProvider;
    const agent = new LiveAgent({ provider, command: prepared.command, args: prepared.args, env: prepared.env, cwd: prepared.cwd, cols: 120, rows: 35 });
    cleanup.push(async () => {
      await agent.kill(500);
      agent.dispose();
    });

    await reached(agent, 'idle', 90_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const submitted = Date.now();
    await agent.submitMessage('Please say hello');
    await reached(agent, 'working', 5_000);
    const streamed = await turnEnd(events, submitted);
    const done = await reached(agent, 'done', 20_000);
    // Copilot CLI draws the answer behind the stream and runs git before it is ready: its own wind-down.
    expect(done - streamed, 'done soon after the reply ended').toBeLessThan(id === 'copilot' ? 6_000 : 2_000);

    await agent.submitMessage('Create the file please');
    await reached(agent, 'needs_permission', 60_000);
    // A person reads the dialog before answering; keys sent the instant it is drawn can be lost
    // (Claude ignores a digit typed before its dialog takes input).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const prompt = provider.read.permissionPrompt(agent.screen.lines());
    expect(prompt, 'the permission dialog parses').toBeDefined();
    // The command, or (opencode's "Access external directory") the folder outside the project.
    expect(prompt!.summary).toMatch(/touch|outside/);
    const once = prompt!.options.find((o) => o.choice === 'once');
    expect(once, `an allow-once option among ${JSON.stringify(prompt!.options)}`).toBeDefined();
    agent.typeKeys(once!.keys);
    await reached(agent, 'working', 5_000);
    await reached(agent, 'done', 60_000);
    expect(existsSync(target), 'the approved command ran').toBe(true);
  });
});
