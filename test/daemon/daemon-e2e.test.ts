/**
 * The real daemon, started the way a user starts it (by the first verb, detached), on private XDG
 * dirs: agents live in the daemon and outlive every client; the socket is private; a second
 * daemon is refused; a daemon killed with SIGKILL leaves a valid store and its agents running in the
 * PTY host, and the next one adopts them with their screens.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, DROVER_BIN, privateDaemon } from '../helpers/drover.ts';
import { alive, mastersHeldBy, terminalOf } from '../helpers/processes.ts';
import { until } from '../helpers/until.ts';
import { paneIn, until as untilScreen } from '../tui/tmux-tui.ts';

const { root, env, run, remove } = privateDaemon('daemon', { PS1: 'ready$ ' });
afterAll(remove);

const runtime = path.join(root, 'run', 'drover');

async function statusOf(name: string): Promise<string> {
  const result = await run('status', name, '--json');
  return JSON.parse(result.stdout).status;
}

/** Waits for `name`'s status; the failure says the last one seen. */
async function untilStatus(name: string, status: string): Promise<void> {
  let last = '';
  await until(async () => (last = await statusOf(name)) === status, () => `${name} ${status}, still ${last}`);
}

/** Waits for `text` on `name`'s screen; the failure shows the screen. */
async function untilShown(name: string, text: string): Promise<void> {
  let screen = '';
  await until(async () => (screen = (await run('screen', name)).stdout).includes(text), () => `${JSON.stringify(text)} on ${name}'s screen:\n${screen}`);
}

describe('drover daemon', () => {
  it('starts on the first verb, keeps agents between clients, and is private', async () => {
    const empty = await run('ls', '--json');
    expect(empty.exitCode).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);

    const spawned = await run('spawn', 'shell', '--name', 'worker', '--cwd', root, '--json', '--', '--norc', '--noprofile', '-i');
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    expect(JSON.parse(spawned.stdout)).toMatchObject({ name: 'worker', provider: 'shell', cwd: root });
    await untilStatus('worker', 'idle');

    const sent = await run('send', 'worker', 'echo made-by-drover', '--wait', '--json');
    expect(sent.exitCode, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ from: 'user', to: 'worker', body: 'echo made-by-drover', state: 'delivered', attempts: 1 });
    await untilShown('worker', '\nmade-by-drover');

    expect(statSync(runtime).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(runtime, 'drover.sock')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(root, 'state', 'drover', 'state.json')).mode & 0o777).toBe(0o600);
  });

  it('explains the status and names the recording', async () => {
    const explained = await run('explain', 'worker');
    expect(explained.stdout).toMatch(/^worker: (idle|done); on screen now: shell\.prompt → idle/);
    const logs = await run('logs', 'worker');
    expect(logs.stdout.trim()).toMatch(new RegExp(`^${root}/state/drover/recordings/worker-[0-9a-f]{8}\\.cast$`));
  });

  it("gives an agent no other agent's terminal", async () => {
    expect((await run('spawn', 'shell', '--name', 'second', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    await untilStatus('second', 'idle');
    const pidOf = async (name: string): Promise<number> => JSON.parse((await run('status', name, '--json')).stdout).pid;
    expect(mastersHeldBy(await pidOf('second'))).not.toContain(terminalOf(await pidOf('worker')));
    expect((await run('kill', 'second')).exitCode).toBe(0);
  });

  it('attaches in a real terminal, passes keys through, and detaches with Ctrl-] leaving the agent running', async () => {
    const pane = await paneIn(root, 90, 20);
    try {
      await pane.keys(`node '${DROVER_BIN}' attach worker`, 'Enter');
      await untilScreen(pane, (s) => s.includes('made-by-drover'), 'the attached screen'); // the screen restored on entry
      await pane.keys('echo attached-$((40+2))', 'Enter');
      await untilScreen(pane, (s) => s.includes('attached-42'), 'the typed command run');
      await pane.keys('C-]');
      await untilScreen(pane, (s) => s.includes('[detached from worker]') && s.includes('outer$') && !s.includes('attached-42'), 'the outer shell again');
      expect(await statusOf('worker')).not.toBe('exited');
      expect((await run('screen', 'worker')).stdout).toContain('attached-42');
    } finally {
      await pane.kill();
    }
  });

  it("takes reports from the agent's own hooks (token-checked) and resumes its session", async () => {
    // Claude's provider (rules, hooks, resume) on a plain shell, so that CI needs no Claude: the
    // injected "--settings FILE" and "--resume ID" land as ignored positional parameters.
    mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
    writeFileSync(
      path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'),
      JSON.stringify({ providers: { claude: { command: 'sh', args: ['-c', 'exec bash --norc --noprofile -i', 'sh'] } } }),
    );
    await run('daemon', 'stop'); // the config is read at start
    expect((await run('spawn', 'claude', '--name', 'hooked', '--cwd', root)).exitCode).toBe(0);
    await untilShown('hooked', 'ready$');
    const settings = JSON.parse(readFileSync(path.join(root, 'state', 'drover', 'agents', JSON.parse((await run('status', 'hooked', '--json')).stdout).id, 'claude-settings.json'), 'utf8'));
    expect(settings.hooks.Stop[0].hooks[0].command).toMatch(/drover\.js' hook claude Stop$/);

    // What Claude's hook would run, from inside the agent (its environment carries the token).
    const hook = `node '${DROVER_BIN}' hook claude SessionStart`;
    // Typed as keys: Claude's rules do not read a bash prompt as ready, so a queued message would wait.
    await run('send', 'hooked', '--keys', `echo '{"session_id":"sess-42"}' | ${hook}; echo hook-exit=$?\\r`);
    await untilShown('hooked', 'hook-exit=0');
    const stateFile = path.join(root, 'state', 'drover', 'state.json');
    await until(async () => JSON.parse(readFileSync(stateFile, 'utf8')).agents.some((a: { sessionId?: string }) => a.sessionId === 'sess-42'), 'the session id stored');

    // Without the agent's token the report is dropped, and the hook still exits 0 at once.
    const forged = await drover(['hook', 'claude', 'SessionStart'], {
      env: { ...env, DROVER_AGENT_ID: 'hooked', DROVER_HOOK_TOKEN: 'guess', DROVER_SOCKET: path.join(runtime, 'drover.sock') },
      input: '{"session_id":"evil"}',
    });
    expect(forged.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).agents.find((a: { name: string }) => a.name === 'hooked').sessionId).toBe('sess-42');

    expect((await run('kill', 'hooked')).exitCode).toBe(0);
    const resumed = await run('resume', 'hooked', '--json');
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).status).not.toBe('exited');
    const audit = JSON.parse(readFileSync(stateFile, 'utf8')).audit.map((e: { action: string }) => e.action);
    expect(audit).toContain('agent.resume');
  });

  it('refuses a damaged state file with one line, keeps it, and starts afresh after --reset-store', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'drover-damaged-'));
    const otherEnv = { ...env, XDG_STATE_HOME: path.join(other, 'state'), XDG_RUNTIME_DIR: path.join(other, 'run') };
    const stateFile = path.join(other, 'state', 'drover', 'state.json');
    mkdirSync(path.dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, '{"schemaVersion":1,"agents":"not a list"}');
    try {
      const refused = await drover(['ls'], { env: otherEnv });
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr.trim()).toBe(
        `drover: ${stateFile}: agents: Invalid input: expected array, received string; the file was kept: run "drover daemon --reset-store" to move it aside`,
      );
      expect(readFileSync(stateFile, 'utf8')).toContain('not a list');
      const reset = await drover(['daemon', '--reset-store'], { env: otherEnv });
      expect(reset.stdout).toMatch(/^moved .*state\.json to .*state\.json\.corrupt-/);
      expect((await drover(['ls', '--json'], { env: otherEnv })).stdout.trim()).toBe('[]');
    } finally {
      await drover(['daemon', 'stop'], { env: otherEnv });
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses a second daemon while one runs', async () => {
    const second = await run('daemon');
    expect(second.exitCode).toBe(2);
    expect(second.stderr.trim()).toMatch(/^drover: another drover daemon \(pid \d+\) is running/);
  });

  it('answers mistakes with one clear line', async () => {
    expect((await run('spawn', 'shell', '--name', 'worker')).stderr.trim()).toBe(
      'drover: an agent named "worker" already exists (pick another name or drover kill it)',
    );
    expect((await run('spawn', 'shell', '--name', 'user')).stderr.trim()).toBe('drover: the name "user" is reserved: pick another');
    expect((await run('status', 'nobody')).stderr.trim()).toBe('drover: no such agent: nobody (see drover ls)');
    expect((await run('spawn', 'nosuch')).stderr.trim()).toMatch(/^drover: unknown provider "nosuch" \(known: /);
    expect((await run('spawn', 'shell', '--name', 'x', '--cwd', '/no/such/dir')).stderr.trim()).toBe(
      'drover: working directory does not exist: /no/such/dir (create it or pass another --cwd)',
    );
  });

  it('after SIGKILL of the daemon, the agent goes on in the PTY host and the next daemon adopts it, screen and all', async () => {
    expect((await run('spawn', 'shell', '--name', 'survivor', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    await untilStatus('survivor', 'idle');
    expect(JSON.parse((await run('send', 'survivor', 'echo before-the-crash', '--wait', '--json')).stdout)).toMatchObject({ state: 'delivered' });
    await untilStatus('survivor', 'done');
    const pid = Number(readFileSync(path.join(runtime, 'daemon.pid'), 'utf8'));
    const before = JSON.parse((await run('status', 'survivor', '--json')).stdout);
    const screenBefore = (await run('screen', 'survivor')).stdout;
    expect(screenBefore).toContain('\nbefore-the-crash');
    process.kill(pid, 'SIGKILL');
    await until(async () => !alive(pid), 'the killed daemon gone');
    expect(alive(before.pid)).toBe(true); // its terminal is the host's, not the dead daemon's

    const after = await run('status', 'survivor', '--json'); // starts a new daemon
    expect(after.exitCode, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ name: 'survivor', status: 'done', pid: before.pid });
    expect((await run('screen', 'survivor')).stdout).toBe(screenBefore);
    const sent = await run('send', 'survivor', 'echo after-the-crash', '--wait', '--json');
    expect(JSON.parse(sent.stdout)).toMatchObject({ state: 'delivered' });
    await untilShown('survivor', '\nafter-the-crash');
    const state = JSON.parse(readFileSync(path.join(root, 'state', 'drover', 'state.json'), 'utf8'));
    expect(state.audit.some((entry: { action: string }) => entry.action === 'daemon.recover')).toBe(false); // nothing lost
  });

  it('runs an agent in its own git worktree and removes it when asked', async () => {
    const repo = path.join(root, 'repo');
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'first'], { cwd: repo });
    const spawned = await run('spawn', 'shell', '--name', 'branchy', '--cwd', repo, '--worktree', 'try-it', '--json');
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    const tree = path.join(root, 'state', 'drover', 'worktrees', 'repo', 'try-it');
    expect(JSON.parse(spawned.stdout).cwd).toBe(tree);
    expect((await run('kill', 'branchy', '--remove-worktree')).exitCode).toBe(0);
    expect(existsSync(tree)).toBe(false);
  });

  it('kills an agent and reports how it ended', async () => {
    expect((await run('spawn', 'shell', '--name', 'short', '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    await untilStatus('short', 'idle');
    const killed = await run('kill', 'short', '--json');
    expect(JSON.parse(killed.stdout)).toMatchObject({ name: 'short', status: 'exited' });
  });

  it('removes an exited agent (refusing a running one): its recordings stay, its queued messages fail with why, its name is free', async () => {
    expect((await run('spawn', 'shell', '--name', 'doomed', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    await untilStatus('doomed', 'idle');
    const refused = await run('rm', 'doomed');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim()).toBe('drover: doomed is running: drover kill doomed first');
    const { id, recording } = JSON.parse((await run('status', 'doomed', '--json')).stdout);
    expect((await run('kill', 'doomed')).exitCode).toBe(0);
    await untilStatus('doomed', 'exited');
    const queued = JSON.parse((await run('send', 'doomed', 'never read', '--json')).stdout);
    expect(queued.state).toBe('pending');

    const removed = await run('rm', 'doomed');
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout.trim()).toBe(
      `removed doomed; its recordings stay in ${root}/state/drover/recordings/doomed-${id}*.cast; 1 queued message(s) marked failed`,
    );
    expect(existsSync(recording)).toBe(true);
    expect(JSON.parse((await run('ls', '--json')).stdout).map((a: { name: string }) => a.name)).not.toContain('doomed');
    const inbox = JSON.parse((await run('inbox', '--json')).stdout);
    expect(inbox.find((m: { id: string }) => m.id === queued.id)).toMatchObject({ state: 'failed', error: 'doomed was removed (drover rm) before it was delivered' });
    const state = JSON.parse(readFileSync(path.join(root, 'state', 'drover', 'state.json'), 'utf8'));
    expect(state.audit.find((e: { action: string; agent?: string }) => e.action === 'agent.remove' && e.agent === id)).toBeTruthy();
    expect((await run('status', 'doomed')).stderr.trim()).toBe('drover: no such agent: doomed (see drover ls)');

    // The name is free again; --all-exited removes every exited agent and only those.
    expect((await run('spawn', 'shell', '--name', 'doomed', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    const exitedBefore = JSON.parse((await run('ls', '--json')).stdout).filter((a: { status: string }) => a.status === 'exited').length;
    expect(exitedBefore).toBeGreaterThan(0);
    const all = await run('rm', '--all-exited', '--json');
    expect(all.exitCode, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toHaveLength(exitedBefore);
    const left = JSON.parse((await run('ls', '--json')).stdout);
    expect(left.filter((a: { status: string }) => a.status === 'exited')).toEqual([]);
    expect(left.map((a: { name: string }) => a.name)).toContain('doomed');
    expect((await run('rm', '--all-exited')).stdout.trim()).toBe('no exited agents to remove');
    expect((await run('rm')).stderr.trim()).toBe('drover: rm needs an agent name or --all-exited (not both): drover rm NAME | drover rm --all-exited');
  });

  it('renames an agent, running or not, by spawn\'s name rules; messages queued to the old name follow it', async () => {
    const renamed = await run('mv', 'doomed', 'spared', '--json');
    expect(renamed.exitCode, renamed.stderr).toBe(0);
    expect(JSON.parse(renamed.stdout)).toMatchObject({ name: 'spared', previousName: 'doomed', movedMessages: 0 });
    expect(await statusOf('spared')).not.toBe('exited');
    expect((await run('mv', 'spared', 'user')).stderr.trim()).toBe('drover: the name "user" is reserved: pick another');
    expect((await run('mv', 'spared', 'bad name')).stderr.trim()).toBe('drover: invalid agent name "bad name": use letters, digits, . _ - (up to 64)');
    expect((await run('spawn', 'shell', '--name', 'other', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    expect((await run('mv', 'spared', 'other')).stderr.trim()).toBe('drover: an agent named "other" already exists (pick another name or drover kill it)');

    // A message queued to an exited agent follows its new name, and reaches it once it runs again.
    expect((await run('kill', 'spared')).exitCode).toBe(0);
    await untilStatus('spared', 'exited');
    const queued = JSON.parse((await run('send', 'spared', 'echo followed-$((6*7))', '--json')).stdout);
    const moved = await run('mv', 'spared', 'renamed');
    expect(moved.stdout.trim()).toBe('renamed spared to renamed; 1 queued message(s) follow it');
    const inbox = JSON.parse((await run('inbox', '--json')).stdout);
    expect(inbox.find((m: { id: string }) => m.id === queued.id)).toMatchObject({ to: 'renamed', state: 'pending' });
    expect((await run('restart', 'renamed')).exitCode).toBe(0);
    await untilShown('renamed', '\nfollowed-42');
    const state = JSON.parse(readFileSync(path.join(root, 'state', 'drover', 'state.json'), 'utf8'));
    expect(state.audit.filter((e: { action: string }) => e.action === 'agent.rename').map((e: { detail: string }) => e.detail)).toEqual(['doomed → spared', 'spared → renamed']);
    for (const name of ['renamed', 'other']) await run('kill', name);
  });
});
