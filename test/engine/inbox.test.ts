/**
 * The inbox on real agents: a real Supervisor and store file, bash (and two small programs that
 * misbehave on purpose) in real PTYs. What each agent received is read from what it did with it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Approvals } from '../../src/engine/approvals.ts';
import { Inbox, InboxError } from '../../src/engine/inbox.ts';
import { Notices } from '../../src/engine/notices.ts';
import { READY_STATUSES, type Status } from '../../src/status/status.ts';
import { Supervisor } from '../../src/engine/supervisor.ts';
import { configSchema } from '../../src/store/config.ts';
import type { Message } from '../../src/store/state.ts';
import { Store } from '../../src/store/store.ts';
import { AsciicastWriter } from '../../src/terminal/asciicast.ts';
import { realClock } from '../../src/terminal/clock.ts';
import { until } from '../helpers/until.ts';

const BASH = ['--norc', '--noprofile', '-i'];

let dir: string;
let store: Store;
let supervisor: Supervisor;
let inbox: Inbox;

async function open(providers: Record<string, unknown> = {}): Promise<void> {
  store = await Store.open(path.join(dir, 'state.json'));
  supervisor = new Supervisor({ store, providers: configSchema.parse({ providers }).providers, stateDir: dir, cols: 80, rows: 24 });
  inbox = new Inbox({ store, supervisor });
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'drover-inbox-'));
  await open();
});

afterEach(async () => {
  await supervisor.stopAll();
  // Exit statuses and the notices they cause are written after the exits: let them land.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await store.idle();
  rmSync(dir, { recursive: true, force: true });
});

const statusOf = (name: string): Status => supervisor.get(name).record.status;
const message = (id: string): Message => inbox.list({ all: true }).find((m) => m.id === id)!;

/** Notices as the daemon wires them (an Approvals beside them, whose settled requests take theirs out). */
function noticesOn(): Notices {
  return new Notices(supervisor, inbox, new Approvals({ store, supervisor, policies: [], notify: () => {} }));
}

async function spawnBash(name: string): Promise<void> {
  await supervisor.spawn({ provider: 'shell', name, cwd: dir, args: BASH, env: { PS1: 'ready$ ' } });
  await until(() => statusOf(name) === 'idle', `${name} idle`);
}

describe('the inbox', () => {
  it('delivers messages queued to a working agent one per ready transition, in order, each once', async () => {
    await spawnBash('worker');
    const log = path.join(dir, 'received.log');
    const statuses: Status[] = [];
    supervisor.onStatus((record, change) => record.name === 'worker' && statuses.push(change.status));
    const pastedWhile = new Map<string, Status>();
    inbox.onChange((m) => m.state === 'delivering' && !pastedWhile.has(m.id) && pastedWhile.set(m.id, supervisor.get('worker').live!.status.status));

    supervisor.get('worker').live!.typeKeys('sleep 1\r');
    await until(() => statusOf('worker') === 'working', 'working');
    const sent: Message[] = [];
    for (const n of [1, 2, 3]) sent.push(await inbox.send({ from: 'user', to: 'worker', body: `sleep 0.3; echo message-${n} >> ${log}` }));
    expect(sent.map((m) => m.state)).toEqual(['pending', 'pending', 'pending']);
    // Persisted before "queued" was said: a fresh read of the file has them.
    expect((await Store.open(store.file)).read().inbox.map((m) => m.id)).toEqual(sent.map((m) => m.id));

    await until(() => sent.every((m) => message(m.id).state === 'delivered'), 'all delivered', 20_000);
    await until(() => READY_STATUSES.has(statusOf('worker')), 'the last command done');
    expect(readFileSync(log, 'utf8')).toBe('message-1\nmessage-2\nmessage-3\n');
    expect(sent.map((m) => message(m.id).attempts)).toEqual([1, 1, 1]);
    // Each paste went into a ready agent, and each came after a turn of work had ended.
    expect([...pastedWhile.values()]).toEqual(['done', 'done', 'done']);
    expect(statuses).toEqual(['working', 'done', 'working', 'done', 'working', 'done', 'working', 'done']);
  });

  it('refuses an unknown receiver and a message to oneself, and keeps user messages in the user inbox', async () => {
    await spawnBash('solo');
    await expect(inbox.send({ from: 'user', to: 'nobody', body: 'hi' })).rejects.toThrow('no such agent: nobody (see drover ls)');
    await expect(inbox.send({ from: 'solo', to: 'solo', body: 'hi' })).rejects.toThrow('solo cannot send a message to itself');
    const toUser = await inbox.send({ from: 'solo', to: 'user', body: 'finished the report' });
    expect(toUser).toMatchObject({ from: 'solo', to: 'user', state: 'delivered' });
    expect(inbox.list().map((m) => m.id)).toEqual([toUser.id]);
  });

  it('fails a message whose paste never shows, without pasting it again, and holds the queue', async () => {
    // A program at a prompt that shows nothing it is sent (its terminal does not echo).
    await open({ mute: { base: 'shell', command: 'bash', args: ['--norc', '--noprofile', '-c', 'stty -echo; printf "ready$ "; exec cat > /dev/null'] } });
    await supervisor.spawn({ provider: 'mute', name: 'mute', cwd: dir });
    await until(() => statusOf('mute') === 'idle', 'mute idle');
    const first = await inbox.send({ from: 'user', to: 'mute', body: 'first' });
    const second = await inbox.send({ from: 'user', to: 'mute', body: 'second' });
    await until(() => message(first.id).state === 'failed', 'first failed');
    expect(message(first.id)).toMatchObject({ attempts: 1, error: `the pasted text did not show on its screen within 3 s: check mute, then drover inbox retry ${first.id}` });
    const recorded = readFileSync(supervisor.get('mute').record.recording, 'utf8');
    expect(recorded.split('\\u001b[200~first').length - 1).toBe(1); // typed once
    expect(message(second.id).state).toBe('pending');
  });

  it('sends the submit key again, a bounded number of times, when the screen does not answer it', async () => {
    // A program that shows what it is sent but ignores Enter.
    const ignoresEnter = `process.stdin.setRawMode(true); process.stdout.write('ready$ '); process.stdin.on('data', (d) => process.stdout.write(String(d).replace(/[\\r\\n]|\\x1b\\[20[01]~/g, '')));`;
    await open({ deaf: { base: 'shell', command: process.execPath, args: ['-e', ignoresEnter] } });
    await supervisor.spawn({ provider: 'deaf', name: 'deaf', cwd: dir });
    await until(() => statusOf('deaf') === 'idle', 'deaf idle');
    const sent = await inbox.send({ from: 'user', to: 'deaf', body: 'hello' });
    await until(() => message(sent.id).state === 'failed', 'failed', 30_000);
    expect(message(sent.id).error).toBe(`it did not start its turn after the submit key (sent 3 times, 5 s apart): check deaf, then drover inbox retry ${sent.id}`);
    expect(message(sent.id).submittedAt).toBeDefined();
    const input = readFileSync(supervisor.get('deaf').record.recording, 'utf8');
    expect(input.split('"i","\\r"').length - 1).toBe(3);

    // The user looked, and retries: queued again, and tried at its next ready moment.
    const retried = await inbox.retry(sent.id.slice(0, 4));
    expect(retried).toMatchObject({ id: sent.id, state: 'pending' });
    await expect(inbox.retry(sent.id)).rejects.toThrow(`message ${sent.id} is pending: only a failed message can be retried`);
  }, 45_000);

  it('takes a command that runs silently as submitted: one Enter, delivered', async () => {
    await spawnBash('sleeper');
    const screenAt = new Map<string, string[]>();
    inbox.onChange((m) => screenAt.set(m.state, supervisor.get('sleeper').live!.snapshot().lines.map((line) => line.trim())));
    const sent = await inbox.send({ from: 'user', to: 'sleeper', body: 'sleep 4; echo done-sleeping' });
    await until(() => ['delivered', 'failed'].includes(message(sent.id).state), 'the delivery decided', 20_000);
    expect(message(sent.id)).toMatchObject({ state: 'delivered', attempts: 1 });
    // Taken while the command still ran, on its shell's word, not on the output at its end.
    expect(screenAt.get('delivered')).not.toContain('done-sleeping'); // (a row of its own: the command typed has it too)
    await until(() => statusOf('sleeper') === 'done', 'the command done');
    const input = readFileSync(supervisor.get('sleeper').record.recording, 'utf8');
    expect(input.split('"i","\\r"').length - 1).toBe(1);
  });

  it('after a daemon crash, re-queues what was never submitted and settles the rest from the recording', async () => {
    const recording = path.join(dir, 'gone.cast');
    const writer = new AsciicastWriter(recording, { width: 80, height: 24 }, realClock);
    writer.input('\x1b[200~submitted\x1b[201~');
    writer.input('\r');
    writer.input('\x1b[200~pasted only\x1b[201~');
    await writer.close();
    const now = new Date().toISOString();
    await store.update((state) => {
      state.agents.push({ id: 'g1', name: 'gone', provider: 'shell', cwd: dir, args: [], env: {}, status: 'idle', createdAt: now, startedAt: now, statusAt: now, recording });
      const base = { from: 'user', to: 'gone', createdAt: now, state: 'delivering' as const, attempts: 1 };
      state.inbox.push({ ...base, id: 'never', body: 'never submitted' });
      state.inbox.push({ ...base, id: 'sub', body: 'submitted', submittedAt: now });
      state.inbox.push({ ...base, id: 'half', body: 'pasted only', submittedAt: new Date(Date.parse(now) + 1000).toISOString() });
    });
    expect(await supervisor.recoverAfterRestart()).toEqual({ adopted: 0, lost: 1 });
    expect(await inbox.recoverAfterRestart()).toEqual({ requeued: 1, delivered: 1, failed: 1 });
    expect(message('never').state).toBe('pending');
    expect(message('sub').state).toBe('delivered');
    expect(message('half')).toMatchObject({ state: 'failed', error: expect.stringContaining("gone's recording does not show it submitted") });
  });

  it('tells the user once per episode: done, exited; not done while the next message waits', async () => {
    noticesOn();
    await spawnBash('noisy');
    await inbox.send({ from: 'user', to: 'noisy', body: 'sleep 0.3' });
    await inbox.send({ from: 'user', to: 'noisy', body: 'true' });
    await until(() => inbox.list({ all: true }).filter((m) => m.to === 'noisy').every((m) => m.state === 'delivered'), 'delivered');
    await until(() => statusOf('noisy') === 'done', 'done');
    supervisor.get('noisy').live!.typeKeys('exit 3\r');
    await until(() => statusOf('noisy') === 'exited', 'exited');
    await until(() => inbox.list({ all: true }).filter((m) => m.to === 'user').length === 2, 'two notices');
    expect(inbox.list({ all: true }).filter((m) => m.to === 'user').map((m) => `${m.from}: ${m.body}`)).toEqual(['system: noisy is done', 'system: noisy exited (code 3)']);
    // "exit 3" was work after the turn: the done notice left by itself; the exit stays.
    expect(inbox.list().filter((m) => m.to === 'user').map((m) => m.body)).toEqual(['noisy exited (code 3)']);
  });

  it('takes a notice out when its agent works again; the user dismisses one, or every one read', async () => {
    noticesOn();
    await spawnBash('w');
    const user = (all = false) => inbox.list({ all }).filter((m) => m.to === 'user');
    await inbox.send({ from: 'user', to: 'w', body: 'true' });
    await until(() => user().length === 1, 'the first done notice');
    const [firstDone] = user();
    expect(firstDone).toMatchObject({ body: 'w is done', about: { agent: supervisor.get('w').record.id, status: 'done' } });
    const note = await inbox.notify('a notice about nothing in particular');

    supervisor.get('w').live!.typeKeys('true\r');
    await until(() => message(firstDone!.id).dismissedAt !== undefined, 'the first done notice gone once w worked');
    await until(() => user().some((m) => m.body === 'w is done'), 'the second done notice');
    const secondDone = user().find((m) => m.body === 'w is done')!;
    expect(secondDone.id).not.toBe(firstDone!.id);

    // Dismissing what was read leaves what was not.
    expect(await inbox.dismiss({ read: true })).toEqual([]);
    const [read] = await inbox.markRead([note.id.slice(0, 6)]);
    expect(read!.readAt).toEqual(expect.any(String));
    expect((await inbox.dismiss({ read: true })).map((m) => m.id)).toEqual([note.id]);
    expect(user().map((m) => m.id)).toEqual([secondDone.id]);
    expect((await inbox.dismiss({ refs: [secondDone.id] })).map((m) => m.id)).toEqual([secondDone.id]);
    expect(user()).toEqual([]);
    expect(user(true).map((m) => m.id)).toEqual([firstDone!.id, note.id, secondDone.id]);
    expect(user(true).every((m) => m.dismissedAt)).toBe(true);

    // Only the user's own messages, and ids or "read", not both.
    const toAgent = inbox.list({ all: true }).find((m) => m.to === 'w')!;
    await expect(inbox.dismiss({ refs: [toAgent.id] })).rejects.toThrow(new InboxError(`message ${toAgent.id} is to w, not in your inbox: only your own messages are read or dismissed`));
    await expect(inbox.dismiss({ refs: [note.id], read: true })).rejects.toThrow(InboxError);
    // Persisted: a fresh read of the file has the same.
    await store.idle();
    const reopened = await Store.open(path.join(dir, 'state.json'));
    expect(reopened.read().inbox.filter((m) => m.to === 'user').map((m) => [m.id, Boolean(m.dismissedAt)])).toEqual(user(true).map((m) => [m.id, true]));
  });
});
