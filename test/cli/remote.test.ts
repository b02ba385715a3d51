/**
 * `drover --host` through a real OpenSSH server (test/helpers/sshd.ts) to a second drover daemon
 * with its own XDG dirs: the verbs, an approval of the remote agent's request, attach/detach with
 * resize in a real terminal, and each way a connection is refused, as one line.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Handlers } from '../../src/daemon/server.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/version.ts';
import { socketPath } from '../../src/store/paths.ts';
import { DROVER_BIN, drover, privateDirs } from '../helpers/drover.ts';
import { FIXTURES, replayingAgent } from '../helpers/fixtures.ts';
import { remoteEnv, sshdMissing, TestSshd } from '../helpers/sshd.ts';
import { TmuxPane } from '../helpers/tmux.ts';
import { asUser } from '../daemon/helpers.ts';
import { until } from '../helpers/until.ts';

/**
 * Shell agents read no rc file: this machine's root .bashrc runs a pyenv rehash that takes a lock,
 * and a shell killed in the middle of it leaves the lock behind for every later shell.
 */
const QUIET_SHELL = ['--', '--norc', '--noprofile', '-i'];

const missing = sshdMissing();
if (missing) console.warn(`remote tests skipped: ${missing}`);

const root = mkdtempSync(path.join(tmpdir(), 'drover-remote-'));
const localRoot = path.join(root, 'local');
const remoteRoot = path.join(root, 'remote');
let sshd: TestSshd;
let env: Record<string, string | undefined>;
const run = (args: string[], extra: Record<string, string> = {}) => drover(args, { env: { ...env, ...extra }, timeout: 30_000 });
const remote = (...args: string[]) => run(['--host', 'remote', ...args]);
const remoteJson = async (...args: string[]) => {
  const result = await remote(...args, '--json');
  if (result.exitCode !== 0) throw new Error(`drover --host remote ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout);
};

/** A shell in tmux with this test's environment (its XDG dirs, and how to reach the test's sshd). */
function paneWithEnv(cols: number, rows: number): Promise<TmuxPane> {
  const vars = Object.entries(env)
    .filter(([name]) => name.startsWith('XDG_') || name.startsWith('DROVER_'))
    .map(([name, value]) => `${name}='${value}'`)
    .join(' ');
  return TmuxPane.start(`env ${vars} PS1='outer$ ' bash --norc --noprofile`, cols, rows);
}

/** This machine's config names the test's remote as host `box`, with its drover command. */
function writeHostsConfig(): void {
  mkdirSync(path.join(localRoot, 'config', 'drover'), { recursive: true });
  const { DROVER_REMOTE_COMMAND: command } = remoteEnv(sshd, remoteRoot, DROVER_BIN);
  writeFileSync(path.join(localRoot, 'config', 'drover', 'config.json'), JSON.stringify({ hosts: [{ name: 'box', ssh: 'remote', drover: command }] }));
}

beforeAll(async () => {
  if (missing) return;
  sshd = await TestSshd.start(root);
  env = privateDirs(localRoot, remoteEnv(sshd, remoteRoot, DROVER_BIN));
  // The remote daemon's config: a recorded Claude Code session stands in for the CLI.
  mkdirSync(path.join(remoteRoot, 'config', 'drover'), { recursive: true });
  const claude = replayingAgent(path.join(FIXTURES, 'claude', 'deny-120x35.cast'));
  writeFileSync(path.join(remoteRoot, 'config', 'drover', 'config.json'), JSON.stringify({ providers: { claude } }));
}, 60_000);

afterAll(async () => {
  if (!missing) {
    await remote('kill', 'reviewer', '--force');
    await drover(['daemon', 'stop'], { env: privateDirs(remoteRoot) });
    await drover(['daemon', 'stop'], { env: privateDirs(localRoot) });
    await sshd.stop();
  }
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe.skipIf(missing)('drover --host over a real sshd', () => {
  it('runs the verbs against the remote daemon, started there by dial-stdio', async () => {
    const ls = await remote('ls');
    expect(ls.stderr).toBe('');
    expect(ls.stdout).toBe('no agents (drover spawn PROVIDER)');
    // The far daemon keeps its socket private, as a local one does.
    expect(statSync(socketPath(privateDirs(remoteRoot))).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(socketPath(privateDirs(remoteRoot)))).mode & 0o777).toBe(0o700);

    const noCwd = await remote('spawn', 'shell', '--name', 'sh');
    expect(noCwd.stderr).toBe('drover: spawn on remote needs --cwd DIR, a folder on remote');
    const spawned = await remote('spawn', 'shell', '--name', 'sh', '--cwd', remoteRoot, ...QUIET_SHELL);
    expect(spawned.stdout).toMatch(/^spawned sh \(shell, pid \d+\)/);
    // DROVER_HOST says the same as --host; the local daemon has no agents at all.
    expect((await run(['ls', '--json'], { DROVER_HOST: 'remote' })).stdout).toContain('"name":"sh"');
    expect((await run(['ls'])).stdout).toBe('no agents (drover spawn PROVIDER)');

    expect((await remote('send', 'sh', '--keys', 'echo over-ssh-$((40+2))\\r')).stdout).toBe('typed into sh');
    await until(async () => (await remote('screen', 'sh')).stdout.includes('over-ssh-42'), 'the typed command on the remote screen');
    const sent = await remoteJson('send', 'sh', 'echo queued-$((6*7))', '--wait');
    expect(sent).toMatchObject({ to: 'sh', state: 'delivered' });
    await until(async () => (await remote('screen', 'sh')).stdout.includes('queued-42'), 'the queued message typed in');
    expect((await remote('logs', 'sh')).stdout).toContain(path.join(remoteRoot, 'state', 'drover', 'recordings'));

    expect((await remote('kill', 'sh', '--force')).exitCode).toBe(0);
    await until(async () => (await remoteJson('status', 'sh')).status === 'exited', 'sh to exit');
  }, 90_000);

  it("answers the remote agent's permission request from here", async () => {
    expect((await remote('spawn', 'claude', '--name', 'reviewer', '--cwd', remoteRoot)).exitCode).toBe(0);
    expect(await remoteJson('send', 'reviewer', 'Delete the file please', '--wait')).toMatchObject({ state: 'delivered' });
    const [request] = await until(async () => {
      const list = await remoteJson('approvals');
      return list.length ? list : undefined;
    }, 'a permission request');
    expect(request).toMatchObject({ agentName: 'reviewer', tool: 'Bash command', state: 'pending' });
    expect(await remoteJson('deny', request.id)).toMatchObject({ id: request.id, state: 'denied', decidedBy: 'user' });
    expect(await remoteJson('approvals')).toEqual([]);
  }, 90_000);

  it('attaches to a remote agent in a real terminal, resizes it over the same channel, and detaches', async () => {
    expect((await remote('spawn', 'shell', '--name', 'term', '--cwd', remoteRoot, ...QUIET_SHELL)).exitCode).toBe(0);
    const pane = await paneWithEnv(90, 20);
    const screen = async () => (await pane.capture()).join('\n');
    try {
      await pane.keys(`node '${DROVER_BIN}' --host remote attach term`, 'Enter');
      await pane.keys('echo attached-$((40+2))', 'Enter');
      await until(async () => (await screen()).includes('attached-42'), 'the echo through the attach');
      await pane.resize(100, 30);
      await until(async () => {
        await pane.keys('stty size', 'Enter');
        return (await screen()).includes('30 100');
      }, 'the remote terminal to take the new size');
      await pane.keys('C-]');
      await until(async () => {
        const text = await screen();
        return text.includes('[detached from term]') && text.includes('outer$');
      }, 'the detach');
      expect((await remoteJson('status', 'term')).status).not.toBe('exited');
    } finally {
      await pane.kill();
      await remote('kill', 'term', '--force');
    }
  }, 90_000);

  it('refuses a remote drover of another protocol version, naming both', async () => {
    const otherRoot = path.join(root, 'other');
    const otherEnv = privateDirs(otherRoot);
    mkdirSync(path.dirname(socketPath(otherEnv)), { recursive: true, mode: 0o700 });
    const server = await startServer({ socketPath: socketPath(otherEnv), handlers: {} as Handlers, identify: asUser, version: PROTOCOL_VERSION + 1 });
    try {
      const result = await run(['--host', 'remote', 'ls'], remoteEnv(sshd, otherRoot, DROVER_BIN));
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(
        `drover: drover on remote speaks protocol ${PROTOCOL_VERSION + 1} and this drover ${PROTOCOL_VERSION}: install the same drover version on both machines`,
      );
    } finally {
      await server.close();
    }
  }, 30_000);

  it('says in one line why a host cannot be used, never prompting (BatchMode)', async () => {
    const hostKey = await run(['--host', 'stranger', 'ls']);
    expect(hostKey.exitCode).toBe(2);
    expect(hostKey.stderr).toBe(
      'drover: stranger: ssh cannot verify its host key (Host key verification failed.); ssh runs in BatchMode: connect once with `ssh stranger` to accept it',
    );
    const noKey = await run(['--host', 'nokey', 'ls']);
    expect(noKey.stderr).toMatch(/^drover: nokey: ssh could not log in \(.*Permission denied \(publickey\)\.\); ssh runs in BatchMode, so never asks for a password: use a key \(ssh-copy-id, ssh-agent\)$/);
    const noDrover = await run(['--host', 'remote', 'ls'], { DROVER_REMOTE_COMMAND: path.join(root, 'nowhere', 'drover') });
    expect(noDrover.stderr).toBe('drover: drover not found on remote (install it there or set hosts[].drover)');
    const noSsh = await run(['--host', 'remote', 'ls'], { DROVER_SSH_COMMAND: path.join(root, 'no-ssh') });
    expect(noSsh.stderr).toBe("drover: ssh not found: install OpenSSH's client (ssh) to reach remote");
    const two = await run(['--host', 'remote', '--host', 'nokey', 'ls']);
    expect(two.stderr).toBe('drover: a verb talks to one host, got remote, nokey');
    const local = await run(['--host', 'remote', 'daemon', 'status']);
    expect(local.stderr).toBe('drover: drover daemon runs on this machine only: drop --host (or unset DROVER_HOST)');
  }, 60_000);

  it("takes a host's ssh destination and drover command from the config", async () => {
    writeHostsConfig();
    const result = await run(['--host', 'box', 'ls', '--json'], { DROVER_REMOTE_COMMAND: '' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).map((a: { name: string }) => a.name)).toContain('reviewer');
  }, 30_000);

  it("shows this machine's and a host's agents in one TUI, answers the host's request from its queue, and rides out sshd going down", async () => {
    // The host from the config, beside this machine's daemon.
    writeHostsConfig();
    expect((await run(['spawn', 'shell', '--name', 'near', '--cwd', localRoot, ...QUIET_SHELL])).exitCode).toBe(0);
    expect((await remote('spawn', 'claude', '--name', 'asker', '--cwd', remoteRoot)).exitCode).toBe(0);
    expect(await remoteJson('send', 'asker', 'Delete the file please', '--wait')).toMatchObject({ state: 'delivered' });
    await until(async () => (await remoteJson('approvals')).length === 1, 'the request');

    const pane = await paneWithEnv(100, 30);
    const screen = async () => (await pane.capture()).join('\n');
    const row = (text: string, name: string) => text.split('\n').find((line) => new RegExp(`^[› ][! ]${name} `).test(line)) ?? '';
    try {
      await pane.keys(`node '${DROVER_BIN}'`, 'Enter');
      const both = await until(async () => {
        const text = await screen();
        return /○ idle/.test(row(text, 'near')) && /◆ needs approval/.test(row(text, 'box:asker')) && text.includes('APPROVALS 1') && text;
      }, async () => `both agents and the request; the screen:\n${await screen()}`);
      expect(both).toMatch(/[ ›]box:asker {2}Bash command: rm /);

      await pane.keys('Tab', 'n');
      await until(async () => (await screen()).includes('denied: box:asker Bash command'), 'the answer said');
      const decided = await remoteJson('approvals', '--all');
      expect(decided.find((a: { agentName: string }) => a.agentName === 'asker')).toMatchObject({ state: 'denied', decidedBy: 'user' });
      await until(async () => (await screen()).includes('APPROVALS 0'), 'the queue empty');

      // Attach to the host's agent from the list, over its own connection, and come back.
      await pane.keys('Tab', 'Tab', '/');
      await pane.keys('-l', 'asker');
      await pane.keys('Enter');
      await until(async () => /^› box:asker/.test(row(await screen(), 'box:asker')), 'box:asker selected');
      await pane.keys('Enter');
      await until(async () => !/^drover {2}\d+ working/.test(await screen()), 'the attached agent');
      await pane.keys('C-]');
      await until(async () => (await screen()).includes('[detached from asker]'), 'the TUI after detaching');
      await pane.keys('/', 'Escape'); // the filter cleared
      await until(async () => row(await screen(), 'near') !== '', 'every agent listed again');

      await sshd.stop();
      const down = await until(async () => {
        const text = await screen();
        return /^drover {2}reconnecting… box: cannot reach box over ssh: ssh: connect to host 127\.0\.0\.1/.test(text) && text;
      }, async () => `the TUI marking the host unreachable; the screen:\n${await screen()}`);
      // Its last known agents stay listed; this machine's go on as they were.
      expect(row(down, 'box:asker')).toMatch(/box:asker\s+claude/);
      expect(row(down, 'near')).toMatch(/○ idle/);
      await sshd.listen();
      await until(async () => {
        const text = await screen();
        return /^drover {2}\d+ working/.test(text) && text.includes('reconnected to box') && row(text, 'box:asker') !== '';
      }, async () => `the TUI back on the host; the screen:\n${await screen()}`, 30_000);
      await pane.keys('q');
      await until(async () => (await screen()).includes('outer$'), 'the shell after quitting');
    } finally {
      await pane.kill();
      await remote('kill', 'asker', '--force');
    }
  }, 120_000);

  it('names an unreachable host', async () => {
    await sshd.stop();
    try {
      const result = await run(['--host', 'remote', 'ls']);
      expect(result.stderr).toMatch(/^drover: cannot reach remote over ssh: ssh: connect to host 127\.0\.0\.1 port \d+: Connection refused$/);
    } finally {
      await sshd.listen();
    }
  }, 30_000);
});
