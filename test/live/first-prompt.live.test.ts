/**
 * The path users take: `drover spawn PROVIDER --prompt TEXT` with each real CLI, through the real
 * `drover` binary and its daemon on private XDG dirs, against the mock model (which stalls before
 * it answers, as a real model does). Asserted from the daemon's own events (a client on its
 * socket from before the spawn):
 *   - the status goes starting → (idle) → working → done, and nothing else: no `done` (or idle)
 *     between the submit and the model's answer, however late the CLI draws its turn;
 *   - exactly one "NAME is done" notice in the user's inbox;
 *   - the prompt is delivered once: one message, `delivered` on its first attempt, and exactly one
 *     model request carries it (the CLI really submitted it, once).
 * Lives under the project's own tmp/ (git-ignored; not /tmp): Gemini CLI refuses a settings file
 * below a world-writable folder.
 * Skips CLIs not installed (npm run agents:install).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Client } from '../../src/client/client.ts';
import type { AgentSummary, EventParams, MessageView } from '../../src/protocol/schema.ts';
import { agentBinary, PROVIDERS } from '../agents/paths.ts';
import { startMockServer, type MockEvent } from '../../src/doctor/mock-model/server.ts';
import { liveFolder, liveDrover, endLive, drover, droverJson, screenOf, untilStatus } from './live-drover.ts';
import { until } from '../helpers/until.ts';

const PROMPT = 'Please look at the project and say hello';
const ANSWER = 'Hello from the mock model, answering the first prompt.';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.each(PROVIDERS)('%s spawned with a first prompt, live', (id) => {
  it.skipIf(!agentBinary(id))('starting → working → done once, the prompt delivered once, one done notice', { timeout: 600_000 }, async () => {
    const folder = liveFolder(`first-prompt-${id}`);
    const { root } = folder;
    const mock = await startMockServer({
      port: 0,
      scenario: { turns: [{ stall_s: 2, text: ANSWER, delay_ms_per_word: 40 }], default: { text: 'Nothing more to do.' } },
    });
    const ended: MockEvent[] = [];
    mock.events.on('mock-event', (e: MockEvent) => {
      if (e.kind === 'turn-end' && e.role === 'main') ended.push(e);
    });
    const h = liveDrover(id, folder, mock.url);
    const { env, prepared } = h;
    let client: Client | undefined;
    cleanup.push(async () => {
      await client?.close();
      await endLive(h, root, mock);
    });

    // The daemon first (any verb starts it), so its events are heard from the spawn on.
    expect((await drover(h, 'ls')).exitCode).toBe(0);
    const changes: Array<EventParams<'event.status'>> = [];
    client = await connect(path.join(env.XDG_RUNTIME_DIR, 'drover', 'drover.sock'));
    client.on('event.status', (change) => changes.push(change));

    const name = `${id}-1`;
    const spawned = await droverJson<AgentSummary>(h, 'spawn', id, '--name', name, '--cwd', prepared.cwd, '--prompt', PROMPT);
    expect(spawned).toMatchObject({ name, provider: id });

    // The model's answer ends, and the agent is done after it.
    await until(() => ended.length >= 1, async () => `the model's answer; ${name}: ${sequence(changes, spawned.id).join(' → ')}; screen:\n${await screenOf(h, name)}`, 420_000);
    await untilStatus(h, name, (s) => s === 'done', 60_000);
    await until(async () => (await screenOf(h, name)).includes('answering the first prompt'), async () => `the answer on screen:\n${await screenOf(h, name)}`, 30_000);
    // The notice is filed after the status is stored: wait for it, then check nothing else came.
    const notices = async () => (await droverJson<MessageView[]>(h, 'inbox', '--all')).filter((m) => m.to === 'user' && m.body === `${name} is done`);
    await until(async () => (await notices()).length > 0, 'the done notice', 10_000);

    const seen = sequence(changes, spawned.id);
    const timeline = changes.filter((c) => c.agent === spawned.id).map((c) => `${c.status} ${c.rule}`).join(' → ');
    console.log(`${id}: ${timeline}`);
    // The spawn's own `starting`, idle at most once while the prompt goes in, then one turn.
    expect(spawned.status).toBe('starting');
    const afterStart = seen[0] === 'starting' ? seen.slice(1) : seen;
    expect(afterStart[0] === 'idle' ? afterStart.slice(1) : afterStart, timeline).toEqual(['working', 'done']);
    expect(await notices(), 'exactly one done notice').toHaveLength(1);

    const messages = (await droverJson<MessageView[]>(h, 'inbox', '--all')).filter((m) => m.to === name);
    expect(messages, 'the prompt, delivered once').toEqual([expect.objectContaining({ body: PROMPT, state: 'delivered', attempts: 1 })]);
    // How many submit keys it took (the inbox sends the key again, never the paste, until the turn shows).
    const recording = readFileSync((await droverJson<AgentSummary>(h, 'status', name)).recording!, 'utf8');
    console.log(`${id}: ${recording.split('"i","\\r"').length - 1} submit key(s) for ${recording.split('"i","\\u001b[200~').length - 1} paste(s)`);
    const asked = mock.log.filter((e) => e.kind === 'generate' && e.role === 'main' && (e.last_text ?? '').includes(PROMPT));
    expect(asked, 'one model request carries the prompt').toHaveLength(1);
  });
});

/** The agent's statuses as the daemon announced them, repeats merged. */
function sequence(changes: Array<EventParams<'event.status'>>, agent: string): string[] {
  return changes.filter((c) => c.agent === agent).map((c) => c.status).filter((s, i, all) => i === 0 || s !== all[i - 1]);
}
