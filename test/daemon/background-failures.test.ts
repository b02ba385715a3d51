/**
 * Work the daemon starts and does not await (a status written to the store after a change, a
 * notice, an approval check) must not be able to end it: a failure there is logged, and the daemon
 * keeps serving. The store's writes are made to fail on purpose; everything else is real: the
 * daemon on its socket, a shell in a PTY, a client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Client } from '../../src/client/client.ts';
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
  const changed = new Promise<void>((resolve) => {
    const off = c.on('event.screen', (event) => {
      if (event.agent === agent && matches(event.lines)) {
        off();
        resolve();
      }
    });
  });
  const now = await c.call('agents.subscribe', { agent });
  if (!matches(now.lines)) await changed;
}

describe('a failing store write in the background', () => {
  it('is logged, and the daemon keeps serving its clients and agents', async () => {
    const store = await Store.open(path.join(root, 'state', 'drover', 'state.json'));
    let failWrites = false;
    const update = store.update.bind(store);
    store.update = ((fn) => (failWrites ? Promise.reject(new Error('disk full (injected)')) : update(fn))) as Store['update'];
    const watcher = logWatcher();
    daemon = await runDaemon(env, watcher.log, { store, configFile: path.join(root, 'no-config.json') });
    client = await connect(daemon.socket);

    const spawned = await client.call('agents.spawn', { provider: 'shell', cwd: root, args: ['--norc', '--noprofile', '-i'], env: { PS1: 'ready$ ' } });
    expect(spawned.name).toBe('shell-1'); // named by the daemon
    if (spawned.status !== 'idle') await statusEvent(client, spawned.id, 'idle');

    // The next status change (Enter on the prompt: working) is written in the background, and fails.
    failWrites = true;
    await client.call('agents.keys', { agent: spawned.id, keys: 'echo still-here\r' });
    expect(await watcher.next(/storing its status working failed: Error: disk full \(injected\)/)).toBeTruthy();

    // Still serving: the socket answers, the agent still runs and takes keys.
    expect(await client.call('ping')).toEqual({ pong: true });
    const { agents } = await client.call('agents.list');
    expect(agents.map((a) => a.name)).toEqual(['shell-1']);
    failWrites = false;
    const shown = screenShowing(client, spawned.id, /^still-here$/m, /^back-again$/m);
    await client.call('agents.keys', { agent: spawned.id, keys: 'echo back-again\r' });
    await shown;
  }, 30_000);
});
