/**
 * Work the daemon starts and does not await (a status written to the store after a change, a
 * notice, an approval check) must not be able to end it: a failure there is logged, and the daemon
 * keeps serving. The store's writes are made to fail on purpose; everything else is real: the
 * daemon on its socket, a shell in a PTY, a client.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Client } from '../../src/client/client.ts';
import { applyScreenUpdate, type ScreenUpdate } from '../../src/client/screen-update.ts';
import type { ScreenState } from '../../src/protocol/schema.ts';
import { runDaemon, type RunningDaemon } from '../../src/daemon/daemon.ts';
import type { Status } from '../../src/status/status.ts';
import { Store } from '../../src/store/store.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-background-'));
const env = { ...process.env, XDG_STATE_HOME: path.join(root, 'state'), XDG_RUNTIME_DIR: path.join(root, 'run'), HOME: root };
let daemon: RunningDaemon | undefined;
let client: Client | undefined;

afterAll(async () => {
  await client?.close();
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Resolves with the first logged line that matches. */
function logWatcher() {
  const lines: string[] = [];
  const waiting: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  return {
    log: (line: string) => {
      lines.push(line);
      for (const w of waiting) if (w.pattern.test(line)) w.resolve(line);
    },
    next: (pattern: RegExp) =>
      new Promise<string>((resolve) => {
        const seen = lines.find((line) => pattern.test(line));
        if (seen) resolve(seen);
        else waiting.push({ pattern, resolve });
      }),
  };
}

function statusEvent(c: Client, agent: string, status: Status): Promise<void> {
  return new Promise((resolve) => {
    const off = c.on('event.status', (event) => {
      if (event.agent === agent && event.status === status) {
        off();
        resolve();
      }
    });
  });
}

/** Resolves once the agent's screen (now, or in a later event.screen) matches every pattern. */
async function screenShowing(c: Client, agent: string, ...patterns: RegExp[]): Promise<void> {
  const matches = (lines: string[]) => patterns.every((p) => p.test(lines.join('\n')));
  // Updates handled before the subscribe call's reply (whose screen they apply to) wait for it.
  const early: ScreenUpdate[] = [];
  let screen: ScreenState | undefined;
  let found: () => void = () => {};
  const shown = new Promise<void>((resolve) => (found = resolve));
  const off = c.on('event.screen', ({ agent: id, ...update }) => {
    if (id !== agent) return;
    if (!screen) return void early.push(update);
    screen = applyScreenUpdate(screen, update);
    if (screen && matches(screen.lines)) found();
  });
  const { agent: _id, ...now } = await c.call('agents.subscribe', { agent });
  screen = early.reduce<ScreenState | undefined>((base, update) => base && applyScreenUpdate(base, update), now);
  if (screen && matches(screen.lines)) found();
  await shown;
  off();
}

/** Resolves with the next `event.state` that matches `wanted` (a problem, or its end). */
function stateEvent(c: Client, wanted: 'problem' | 'cleared') {
  return new Promise<{ writeProblem?: { message: string; since: number } }>((resolve) => {
    const off = c.on('event.state', (event) => {
      if ((wanted === 'problem') === Boolean(event.writeProblem)) {
        off();
        resolve(event);
      }
    });
  });
}

describe('a failing store write in the background', () => {
  it('is logged and retried until it lands; the daemon keeps serving and says why meanwhile', async () => {
    const stateFile = path.join(root, 'state', 'drover', 'state.json');
    const store = await Store.open(stateFile);
    // A real failing write: where the store writes its temp file stands a folder it cannot remove.
    const blocker = path.join(path.dirname(stateFile), '.state.json.tmp');
    const failWrites = (fail: boolean) => (fail ? mkdirSync(path.join(blocker, 'x'), { recursive: true }) : rmSync(blocker, { recursive: true }));
    const watcher = logWatcher();
    daemon = await runDaemon(env, watcher.log, { store, configFile: path.join(root, 'no-config.json') });
    client = await connect(daemon.socket);

    const spawned = await client.call('agents.spawn', { provider: 'shell', cwd: root, args: ['--norc', '--noprofile', '-i'], env: { PS1: 'ready$ ' } });
    expect(spawned.name).toBe('shell-1'); // named by the daemon
    if (spawned.status !== 'idle') await statusEvent(client, spawned.id, 'idle');

    // The next status changes (Enter on the prompt: working, then done) are written in the
    // background, and fail.
    const problem = stateEvent(client, 'problem');
    const told: Status[] = [];
    client.on('event.status', (event) => event.agent === spawned.id && told.push(event.status));
    failWrites(true);
    await client.call('agents.keys', { agent: spawned.id, keys: 'echo still-here\r' });
    expect(await watcher.next(/storing its status working failed \(trying again\)/)).toBeTruthy();
    expect((await problem).writeProblem?.message).toMatch(/directory/);

    // Still serving: the socket answers, the agent still runs and takes keys, and the list says
    // why its statuses are the last ones stored.
    expect(await client.call('ping')).toEqual({ pong: true });
    const listed = await client.call('agents.list');
    expect(listed.agents.map((a) => [a.name, a.status])).toEqual([['shell-1', 'idle']]);
    expect(listed.stateWriteProblem?.message).toMatch(/directory/);
    expect((await client.call('daemon.status')).stateWriteProblem?.message).toMatch(/directory/);
    await screenShowing(client, spawned.id, /^still-here$/m);
    expect(told).toEqual([]); // nothing told that is not stored

    // Writes work again: the held changes land, in order, and the problem is cleared.
    const cleared = stateEvent(client, 'cleared');
    const done = statusEvent(client, spawned.id, 'done');
    failWrites(false);
    await cleared;
    await done;
    expect(told).toEqual(['working', 'done']);
    const after = await client.call('agents.list');
    expect(after.stateWriteProblem).toBeUndefined();
    expect(after.agents[0]?.status).toBe('done');
    expect(await watcher.next(/its status working is stored after \d+ tries/)).toBeTruthy();

    const shown = screenShowing(client, spawned.id, /^back-again$/m);
    await client.call('agents.keys', { agent: spawned.id, keys: 'echo back-again\r' });
    await shown;
  }, 30_000);
});
