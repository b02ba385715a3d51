/**
 * The inbox survives `kill -9` of the daemon: 1,000 messages sent to 5 real bash agents, the
 * daemon killed while sends and deliveries are under way, a new daemon started, which adopts the
 * agents from the PTY host. Every message
 * the daemon said it queued reaches its agent exactly once; none is pasted twice. What each agent
 * received is counted from what it did: each message appends its own token to the agent's log.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectOrStart } from '../../src/client/daemon-connection.ts';
import type { Client } from '../../src/client/client.ts';
import type { MessageView } from '../../src/protocol/schema.ts';
import { droverDirs, stopDaemon } from '../helpers/drover.ts';
import { alive } from '../helpers/processes.ts';
import { until } from '../helpers/until.ts';

const AGENTS = 5;
const MESSAGES = 1000;
/** The daemon is killed once this many sends have been acknowledged and deliveries are under way. */
const KILL_AFTER_ACKS = MESSAGES * 0.4;

const root = mkdtempSync(path.join(tmpdir(), 'drover-crash-'));
const env = droverDirs(root);
const names = Array.from({ length: AGENTS }, (_, i) => `bash-${i + 1}`);
const logOf = (name: string) => path.join(root, `${name}.log`);
const token = (name: string, n: number) => `${name}-m${String(n).padStart(4, '0')}`;

let client: Client | undefined;
afterAll(async () => {
  await stopDaemon(client);
  rmSync(root, { recursive: true, force: true });
});

function received(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) {
    let text = '';
    try {
      text = readFileSync(logOf(name), 'utf8');
    } catch {}
    for (const line of text.split('\n').filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return counts;
}

describe('the inbox across a daemon crash', () => {
  it('loses no queued message and pastes none twice when the daemon is killed with SIGKILL', async () => {
    mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
    // bash at a prompt; a short settle time so 1,000 turns take a minute, not five.
    const bash = { base: 'shell', command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'ready$ ' }, settleMs: 50 };
    writeFileSync(path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify({ providers: { bash } }));
    client = await connectOrStart(env);
    for (const name of names) await client.call('agents.spawn', { provider: 'bash', name, cwd: root });

    // One sender per agent, in order; the daemon is killed partway.
    const acknowledged = new Map<string, MessageView>();
    const unanswered = new Set<string>();
    const { pid } = await client.call('daemon.status');
    let killed = false;
    await Promise.all(
      names.map(async (name) => {
        for (let n = 0; n < MESSAGES / AGENTS; n++) {
          const body = `echo ${token(name, n)} >> ${logOf(name)}`;
          if (killed) {
            unanswered.add(body);
            continue;
          }
          try {
            acknowledged.set(body, await client!.call('inbox.send', { to: name, body }));
          } catch {
            unanswered.add(body); // sent, or not: the daemon died before answering
          }
          // Paced like a busy user or agent, so that deliveries run while sends still arrive.
          await new Promise((resolve) => setTimeout(resolve, 20));
          if (!killed && acknowledged.size >= KILL_AFTER_ACKS && received().size >= 2 * AGENTS) {
            killed = true;
            process.kill(pid, 'SIGKILL');
          }
        }
      }),
    );
    expect(killed).toBe(true);
    const beforeCrash = received();
    expect(beforeCrash.size).toBeGreaterThan(0); // deliveries were under way when it died

    // A new daemon; the agents went on in the PTY host, and it adopts them.
    await until(async () => !alive(pid), 'the killed daemon gone');
    client = await connectOrStart(env);
    const status = await client.call('daemon.status');
    expect(status.pid).not.toBe(pid);
    expect(status.running).toBe(AGENTS);
    // What the old daemon never answered is sent again only if it is not in the inbox.
    const stored = new Set((await client.call('inbox.list', { all: true })).messages.map((m) => m.body));
    let storedUnanswered = 0; // queued before the kill, though the reply never came
    for (const body of unanswered) {
      if (stored.has(body)) {
        storedUnanswered++;
        continue;
      }
      const to = body.split(' ')[1]!.replace(/-m\d+$/, '');
      acknowledged.set(body, await client.call('inbox.send', { to, body }));
    }

    const settled = async () => {
      const messages = (await client!.call('inbox.list', { all: true })).messages.filter((m) => m.to !== 'user');
      return messages.every((m) => m.state === 'delivered' || m.state === 'failed') ? messages : undefined;
    };
    await until(async () => (await settled()) !== undefined, 'every message delivered or failed', 240_000);
    // A message caught mid-delivery that its recording cannot confirm waits for the user, who
    // checks the agent and retries only what did not arrive.
    const failed = (await settled())!.filter((m) => m.state === 'failed');
    expect(failed.length).toBeLessThanOrEqual(AGENTS);
    const now = received();
    for (const message of failed) {
      expect(message.error).toMatch(/the daemon stopped while delivering it/);
      if (!now.has(message.body.split(' ')[1]!)) await client.call('inbox.retry', { id: message.id });
    }
    await until(async () => (await settled())?.every((m) => m.state === 'delivered') ?? false, 'retries delivered', 60_000);

    const counts = received();
    const expected = names.flatMap((name) => Array.from({ length: MESSAGES / AGENTS }, (_, n) => token(name, n)));
    expect(expected.filter((t) => counts.get(t) !== 1)).toEqual([]); // each exactly once
    expect([...counts.keys()].filter((t) => !expected.includes(t))).toEqual([]);
    expect(acknowledged.size + storedUnanswered).toBe(MESSAGES);
  }, 400_000);
});
