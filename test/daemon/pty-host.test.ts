/**
 * Agents outlive the daemon: their terminals are held by the PTY host. Through the real binary,
 * on private XDG dirs: kill -9 of the daemon while agents run (printing, working, waiting on a
 * permission dialog of Claude Code's real screens); 20 kill -9s during a run of messages;
 * `drover daemon restart` from another copy of drover; config.json edited while the daemon runs;
 * and the host itself killed.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectOrStart } from '../../src/client/daemon-connection.ts';
import type { Client } from '../../src/client/client.ts';
import { drover, DROVER_BIN, privateDirs } from '../helpers/drover.ts';
import { FIXTURES, replayingAgent } from '../helpers/fixtures.ts';
import { alive } from '../helpers/processes.ts';
import { until } from '../helpers/until.ts';

const roots: string[] = [];
afterEach(async () => {
  // Each test's daemon stops its agents, and the host then exits by itself.
  for (const root of roots.splice(0)) await drover(['daemon', 'stop'], { env: privateDirs(root), timeout: 30_000 });
});
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function setUp(config: object = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-host-'));
  roots.push(root);
  const env = privateDirs(root, { PS1: 'ready$ ' });
  mkdirSync(path.join(root, 'config', 'drover'), { recursive: true });
  const configFile = path.join(root, 'config', 'drover', 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const run = (...args: string[]) => drover(args, { env, timeout: 30_000 });
  const json = async (...args: string[]) => {
    const result = await run(...args, '--json');
    if (result.exitCode !== 0) throw new Error(`drover ${args.join(' ')}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };
  const daemonPid = () => Number(readFileSync(path.join(root, 'run', 'drover', 'daemon.pid'), 'utf8'));
  return { root, env, run, json, configFile, daemonPid };
}

async function killDaemon(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await until(async () => !alive(pid), 'the killed daemon gone', 10_000);
}

/** bash at a prompt that says when it is ready; a short settle time keeps many turns quick. */
const bash = { base: 'shell', command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'ready$ ' }, settleMs: 50 };
const printer = (n: number) => ['--', '-c', `i=0; while true; do i=$((i+1)); echo printer-${n} $i; sleep 0.2; done`];

describe('the PTY host', () => {
  it('keeps 5 agents running through kill -9 of the daemon; the next daemon adopts them with their screens, messages and approvals', async () => {
    const claude = replayingAgent(path.join(FIXTURES, 'claude', 'deny-120x35.cast'));
    const { root, run, json, daemonPid } = setUp({ providers: { claude, bash } });
    expect((await run('spawn', 'claude', '--name', 'reviewer', '--cwd', root)).exitCode).toBe(0);
    await json('send', 'reviewer', 'Delete the file please', '--wait');
    const [request] = await until(async () => {
      const list = await json('approvals');
      return list.length ? list : undefined;
    }, 'a permission request', 30_000);
    for (const n of [1, 2, 3]) expect((await run('spawn', 'shell', '--name', `printer-${n}`, '--cwd', root, ...printer(n))).exitCode).toBe(0);
    expect((await run('spawn', 'bash', '--name', 'busy', '--cwd', root)).exitCode).toBe(0);
    await until(async () => (await json('status', 'busy')).status === 'idle', 'busy at its prompt', 30_000);
    const log = path.join(root, 'busy.log');
    // Working when the daemon dies, with a message queued behind the work.
    await json('send', 'busy', `sleep 2; echo first >> ${log}`, '--wait');
    const queued = await json('send', 'busy', `echo queued-before-the-kill >> ${log}`);
    expect(queued.state).toBe('pending');
    await until(async () => (await json('status', 'printer-3')).status !== 'starting' && (await run('screen', 'printer-3')).stdout.includes('printer-3 3'), 'the printers printing', 30_000);

    const before = await json('ls');
    const reviewerScreen = (await run('screen', 'reviewer')).stdout;
    await killDaemon(daemonPid());
    for (const agent of before) expect(alive(agent.pid), agent.name).toBe(true);

    const after = await json('ls'); // starts the next daemon, which adopts them before it answers
    expect(after.map((a: { name: string; pid: number }) => [a.name, a.pid])).toEqual(before.map((a: { name: string; pid: number }) => [a.name, a.pid]));
    expect(after.find((a: { name: string }) => a.name === 'reviewer').status).toBe('needs_permission');
    for (const agent of after) expect(agent.status, agent.name).not.toBe('exited');
    expect((await run('screen', 'reviewer')).stdout).toBe(reviewerScreen);
    // The printers went on printing while no daemon watched: their screens follow.
    const printed = (await run('screen', 'printer-1')).stdout;
    await until(async () => (await run('screen', 'printer-1')).stdout !== printed, 'printer-1 still printing', 30_000);

    // The request made before the kill is still pending, and answerable.
    expect((await json('approvals')).map((a: { id: string }) => a.id)).toEqual([request.id]);
    expect(await json('deny', request.id)).toMatchObject({ id: request.id, state: 'denied' });

    // The message queued before the kill is delivered once, after the work it waited behind.
    await until(async () => (await json('inbox', '--all')).find((m: { id: string }) => m.id === queued.id)?.state === 'delivered', 'the queued message delivered', 30_000);
    await until(async () => readFileSync(log, 'utf8').includes('queued-before-the-kill'), 'its command run', 30_000);
    expect(readFileSync(log, 'utf8')).toBe('first\nqueued-before-the-kill\n');
  }, 180_000);

  it('loses no agent and no message, and delivers none twice, through 20 kill -9s of the daemon', async () => {
    const { root, env, json } = setUp({ providers: { bash } });
    const names = ['a1', 'a2', 'a3'];
    const MESSAGES = 200;
    const logOf = (name: string) => path.join(root, `${name}.log`);
    for (const name of names) await json('spawn', 'bash', '--name', name, '--cwd', root);
    const pids = (await json('ls')).map((a: { pid: number }) => a.pid);

    let client: Client | undefined;
    const stored = async (body: string) => ((await client!.call('inbox.list', { all: true })).messages.some((m) => m.body === body));
    /** Sends once: a send the daemon died answering is sent again only if the inbox does not have it. */
    const send = async (to: string, body: string) => {
      for (let unanswered = false; ; ) {
        try {
          client ??= await connectOrStart(env);
          if (unanswered && (await stored(body))) return;
          await client.call('inbox.send', { to, body });
          return;
        } catch {
          unanswered = true;
          client = undefined;
        }
      }
    };
    const senders = names.map(async (name, index) => {
      for (let n = index; n < MESSAGES; n += names.length) {
        await send(name, `echo ${name}-m${n} >> ${logOf(name)}`);
        await new Promise((resolve) => setTimeout(resolve, 30)); // paced: deliveries run while sends arrive
      }
    });
    const killer = (async () => {
      for (let kill = 0; kill < 20; kill++) {
        // At random moments of the run, each time once the next daemon is up.
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 900));
        const pid = await until(async () => {
          try {
            const c = await connectOrStart(env);
            const status = await c.call('daemon.status');
            await c.close();
            return status.pid;
          } catch {
            return undefined;
          }
        }, 'a daemon up', 30_000);
        await killDaemon(pid);
      }
    })();
    await Promise.all([...senders, killer]);

    client = await connectOrStart(env);
    const settled = async () => {
      const messages = (await client!.call('inbox.list', { all: true })).messages.filter((m) => m.to !== 'user');
      return messages.every((m) => m.state === 'delivered' || m.state === 'failed') ? messages : undefined;
    };
    const messages = await until(settled, 'every message settled', 180_000);
    expect(messages).toHaveLength(MESSAGES);
    const failed = messages.filter((m) => m.state === 'failed');
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect((await json('ls')).map((a: { pid: number }) => a.pid)).toEqual(pids); // 0 agents lost
    const counts = new Map<string, number>();
    await until(async () => {
      counts.clear();
      for (const name of names) for (const line of readFileSync(logOf(name), 'utf8').split('\n').filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
      return [...counts.values()].reduce((a, b) => a + b, 0) >= MESSAGES;
    }, 'every command run', 30_000);
    const expected = Array.from({ length: MESSAGES }, (_, n) => `${names[n % names.length]}-m${n}`);
    expect(expected.filter((token) => counts.get(token) !== 1)).toEqual([]); // each exactly once
  }, 400_000);

  it('records the exit code of an agent that ended while no daemon was attached', async () => {
    const { root, run, json, daemonPid } = setUp();
    const ready = path.join(root, 'go');
    expect((await run('spawn', 'shell', '--name', 'brief', '--cwd', root, '--', '-c', `while [ ! -e ${ready} ]; do sleep 0.05; done; exit 7`)).exitCode).toBe(0);
    const { pid } = await json('status', 'brief');
    await killDaemon(daemonPid());
    writeFileSync(ready, '');
    await until(async () => !alive(pid), 'the agent ended', 30_000);
    expect(await json('status', 'brief')).toMatchObject({ status: 'exited', exit: { code: 7, signal: null } });
  }, 60_000);

  it('keeps the agents through `drover daemon restart` run by another copy of drover (an upgrade)', async () => {
    const { root, env, json } = setUp();
    // The installed drover: a copy of this one, elsewhere on disk.
    const old = path.join(root, 'old-drover');
    for (const part of ['bin', 'dist', 'package.json']) cpSync(path.resolve(DROVER_BIN, '../..', part), path.join(old, part), { recursive: true });
    symlinkSync(path.resolve(DROVER_BIN, '../../node_modules'), path.join(old, 'node_modules'));
    const runOld = (...args: string[]) => execa(process.execPath, [path.join(old, 'bin', 'drover.js'), ...args], { env, reject: false, timeout: 30_000 });
    expect((await runOld('spawn', 'shell', '--name', 'kept', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    const [before] = await json('ls');
    const oldDaemon = (await json('daemon', 'status')).pid;
    expect(readFileSync(`/proc/${oldDaemon}/cmdline`, 'utf8')).toContain(old);

    const restarted = await json('daemon', 'restart');
    expect(restarted).toMatchObject({ restarted: true, keptAgents: 1, running: 1 });
    expect(restarted.pid).not.toBe(oldDaemon);
    expect(readFileSync(`/proc/${restarted.pid}/cmdline`, 'utf8')).toContain(DROVER_BIN);
    const [after] = await json('ls');
    expect(after).toMatchObject({ name: 'kept', pid: before.pid });
    expect(alive(before.pid)).toBe(true);
    expect(await json('send', 'kept', 'echo still-here', '--wait')).toMatchObject({ state: 'delivered' });
  }, 120_000);

  it('takes a config.json edit without a restart, and refuses a bad one with one line, keeping the config in force', async () => {
    const { run, json, configFile, root } = setUp();
    await json('ls'); // the daemon runs
    writeFileSync(configFile, JSON.stringify({ providers: { later: { ...bash } } }));
    await until(async () => (await run('spawn', 'later', '--name', 'l1', '--cwd', root)).exitCode === 0, 'the new provider usable', 30_000);

    writeFileSync(configFile, '{ "providers": ');
    const refused = await run('daemon', 'reload');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim()).toMatch(new RegExp(`^drover: ${configFile.replaceAll('/', '\\/')}: not valid JSON \\(.*\\); fix it or move it aside$`));
    await until(async () => (await json('inbox')).some((m: { body: string }) => m.body.startsWith('config not reloaded:')), 'a notice of the bad file', 30_000);
    expect((await run('spawn', 'later', '--name', 'l2', '--cwd', root)).exitCode).toBe(0); // the config in force stayed
  }, 60_000);

  it('told to end (SIGTERM), the host writes what its recordings gathered before it goes', async () => {
    const { root, run, json } = setUp();
    expect((await run('spawn', 'shell', '--name', 'counter', '--cwd', root, ...printer(1))).exitCode).toBe(0);
    const { ptyHostPid } = await json('daemon', 'status');
    // The newest line on its screen was printed a moment ago: a recording gathers output for a second.
    const shown = await until(async () => (await run('screen', 'counter')).stdout.match(/printer-1 \d+/g)?.at(-1), 'a count on its screen', 30_000);
    process.kill(ptyHostPid, 'SIGTERM');
    await until(async () => !alive(ptyHostPid), 'the host gone', 30_000);
    const recording = (await run('logs', 'counter')).stdout.trim();
    expect(readFileSync(recording, 'utf8')).toContain(shown);
  }, 60_000);

  it('when the host itself dies, records its agents exited and starts another for the next spawn', async () => {
    const { root, run, json } = setUp();
    expect((await run('spawn', 'shell', '--name', 'doomed', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    const { ptyHostPid } = await json('daemon', 'status');
    process.kill(ptyHostPid, 'SIGKILL');
    await until(async () => (await json('status', 'doomed')).status === 'exited', 'doomed exited', 30_000);
    expect(await json('status', 'doomed')).toMatchObject({ exit: { code: null, signal: 'SIGHUP' } });
    await until(async () => (await json('inbox')).some((m: { body: string }) => m.body === `the PTY host ended (pid ${ptyHostPid}), and doomed with it: drover resume or drover restart each`), 'the notice', 30_000);
    expect((await run('spawn', 'shell', '--name', 'next', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    const status = await json('daemon', 'status');
    expect(status.ptyHostPid).not.toBe(ptyHostPid);
    expect(status.running).toBe(1);
  }, 60_000);
});
