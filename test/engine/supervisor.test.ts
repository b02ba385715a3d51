/**
 * Spawning on a real Supervisor and store file, with programs in real PTYs: what the store keeps
 * of an agent and what its listeners are told, however quickly the program moves.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Approvals } from '../../src/engine/approvals.ts';
import { Supervisor } from '../../src/engine/supervisor.ts';
import type { Status } from '../../src/status/status.ts';
import { configSchema } from '../../src/store/config.ts';
import { Store } from '../../src/store/store.ts';

let dir: string;
let store: Store;
let supervisor: Supervisor;

function open(providers: Record<string, unknown> = {}): void {
  supervisor = new Supervisor({ store, providers: configSchema.parse({ providers }).providers, stateDir: dir, cols: 80, rows: 24 });
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'drover-supervisor-'));
  store = await Store.open(path.join(dir, 'state.json'));
  open();
});

afterEach(async () => {
  await supervisor.stopAll();
  await store.idle();
  rmSync(dir, { recursive: true, force: true });
});

/** What a status listener was told: the status, and the exit code stored with it. */
interface Told {
  status: Status;
  code: number | null | undefined;
}

/** What each named agent's listeners are told, in order, once every one of them has been told `exited`. */
function toldUntilExited(names: string[], timeoutMs = 20_000): Promise<Map<string, Told[]>> {
  const told = new Map<string, Told[]>(names.map((name) => [name, []]));
  const exited = (name: string) => told.get(name)!.some((t) => t.status === 'exited');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      const stuck = names.filter((name) => !exited(name));
      reject(new Error(`never told exited: ${stuck.map((name) => `${name} (stored: ${supervisor.find(name)?.record.status})`).join(', ')}`));
    }, timeoutMs);
    const off = supervisor.onStatus((record, change) => {
      told.get(record.name)?.push({ status: change.status, code: record.exit?.code });
      if (!names.every(exited)) return;
      clearTimeout(timer);
      off();
      resolve(told);
    });
  });
}

/** Processes whose command line has `marker` in it. */
function processesWith(marker: string): number {
  return readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false; // gone meanwhile
    }
  }).length;
}

describe('spawning', () => {
  it('stores the exit code of a program that exits at once, and tells every status in order', async () => {
    // A race: several rounds, each a program that exits without a word and one that prints first.
    const names: string[] = [];
    for (let round = 1; round <= 5; round++) {
      names.push(`quiet-${round}`, `loud-${round}`);
    }
    const told = toldUntilExited(names);
    for (let round = 1; round <= 5; round++) {
      await supervisor.spawn({ provider: 'shell', name: `quiet-${round}`, cwd: dir, args: ['-c', 'exit 7'] });
      await supervisor.spawn({ provider: 'shell', name: `loud-${round}`, cwd: dir, args: ['-c', 'echo at-once; exit 7'] });
    }
    for (const [name, statuses] of await told) {
      // Told its exit once, last, with its code.
      expect(statuses.at(-1), name).toEqual({ status: 'exited', code: 7 });
      expect(statuses.filter((t) => t.status === 'exited'), name).toHaveLength(1);
      expect(supervisor.get(name).record, name).toMatchObject({ status: 'exited', exit: { code: 7, signal: null } });
    }
    await store.idle();
    const stored = (await Store.open(store.file)).read().agents;
    expect(stored.map((a) => `${a.name} ${a.status} ${a.exit?.code}`)).toEqual(names.map((name) => `${name} exited 7`));
  });

  it('files a request for a permission dialog drawn the moment the agent starts', async () => {
    // Claude's rules and dialog reader, on a program that draws its dialog at once and waits.
    const dialog = [
      '─'.repeat(40),
      ' Bash command',
      '',
      '   touch /tmp/drover-never-made',
      '',
      ' Do you want to proceed?',
      ' ❯ 1. Yes',
      '   2. No',
      '',
      ' Esc to cancel',
    ].join('\r\n');
    open({ asks: { base: 'claude', command: 'bash', args: ['-c', `printf '%s' '${dialog}'; exec cat > /dev/null`] } });
    const approvals = new Approvals({ store, supervisor, policies: [], notify: () => {} });
    const names = [1, 2, 3, 4, 5].map((n) => `asks-${n}`);
    const unfiled = () => names.filter((name) => !approvals.list().some((a) => a.agent === supervisor.find(name)?.record.id));
    const filed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no request filed for ${unfiled().join(', ')}`)), 20_000);
      approvals.onChange(() => {
        if (unfiled().length > 0) return;
        clearTimeout(timer);
        resolve();
      });
    });
    for (const name of names) await supervisor.spawn({ provider: 'asks', name, cwd: dir });
    await filed;
    expect(names.map((name) => supervisor.get(name).record.status)).toEqual(names.map(() => 'needs_permission'));
    expect(approvals.list().map((a) => a.summary)).toEqual(names.map(() => 'touch /tmp/drover-never-made'));
    approvals.dispose();
  });

  it('names agents spawned at the same moment apart, and starts none it cannot keep', async () => {
    const told = toldUntilExited(['shell-1', 'shell-2', 'shell-3']);
    const spawned = await Promise.all([1, 2, 3].map(() => supervisor.spawn({ provider: 'shell', cwd: dir, args: ['-c', 'exit 7'] })));
    expect(spawned.map((view) => view.record.name).sort()).toEqual(['shell-1', 'shell-2', 'shell-3']);
    await told;

    // Two at once asking for the same name: one is refused before its program starts.
    const marker = `twin-${randomUUID()}`;
    const twins = await Promise.allSettled([1, 2].map(() => supervisor.spawn({ provider: 'shell', name: 'twin', cwd: dir, args: ['-c', 'read line', marker] })));
    expect(twins.map((t) => t.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String(twins.find((t) => t.status === 'rejected')!.reason)).toContain('an agent named "twin" already exists');
    expect(processesWith(marker)).toBe(1);

    // A launch the store cannot record: its program is stopped, not left running unknown.
    const update = store.update.bind(store);
    store.update = (() => Promise.reject(new Error('disk full (injected)'))) as Store['update'];
    const unrecorded = `unrecorded-${randomUUID()}`;
    await expect(supervisor.spawn({ provider: 'shell', name: 'unrecorded', cwd: dir, args: ['-c', 'read line', unrecorded] })).rejects.toThrow('disk full (injected)');
    store.update = update;
    expect(processesWith(unrecorded)).toBe(0);
    expect(supervisor.find('unrecorded')).toBeUndefined();
  });

  it('reserves the names the inbox uses as addresses', async () => {
    for (const name of ['user', 'system']) {
      await expect(supervisor.spawn({ provider: 'shell', name, cwd: dir })).rejects.toThrow(`the name "${name}" is reserved: pick another`);
    }
    expect(store.read().agents).toEqual([]);
  });

  it('removes only an exited agent, and holds its name until what waited for it is settled', async () => {
    const exited = toldUntilExited(['gone']);
    await supervisor.spawn({ provider: 'shell', name: 'gone', cwd: dir, args: ['-c', 'exit 7'] });
    await exited;
    await supervisor.spawn({ provider: 'shell', name: 'alive', cwd: dir, args: ['-c', 'sleep 30'] });
    await expect(supervisor.remove('alive', async () => {})).rejects.toThrow('alive is running: drover kill alive first');
    const { recording } = supervisor.get('gone').record;
    await supervisor.remove('gone', async (record) => {
      expect(record.name).toBe('gone');
      await expect(supervisor.spawn({ provider: 'shell', name: 'gone', cwd: dir })).rejects.toThrow('an agent named "gone" already exists');
    });
    expect(supervisor.find('gone')).toBeUndefined();
    expect(readdirSync(path.dirname(recording))).toContain(path.basename(recording));
    expect(store.read().audit.map((e) => e.action)).toContain('agent.remove');
    await supervisor.spawn({ provider: 'shell', name: 'gone', cwd: dir, args: ['-c', 'exit 7'] });
  });

  it('renames a running agent by the spawn rules, holding both names until its messages follow', async () => {
    await supervisor.spawn({ provider: 'shell', name: 'first', cwd: dir, args: ['-c', 'sleep 30'] });
    await supervisor.spawn({ provider: 'shell', name: 'taken', cwd: dir, args: ['-c', 'sleep 30'] });
    await expect(supervisor.rename('first', 'taken', async () => {})).rejects.toThrow('an agent named "taken" already exists');
    await expect(supervisor.rename('first', 'system', async () => {})).rejects.toThrow('the name "system" is reserved: pick another');
    await expect(supervisor.rename('first', '-bad', async () => {})).rejects.toThrow('invalid agent name "-bad"');
    const renamed = await supervisor.rename('first', 'second', async (from, to) => {
      expect([from, to]).toEqual(['first', 'second']);
      for (const name of ['first', 'second']) {
        await expect(supervisor.spawn({ provider: 'shell', name, cwd: dir })).rejects.toThrow(`an agent named "${name}" already exists`);
      }
    });
    expect(renamed.name).toBe('second');
    expect(supervisor.get('second').live).toBeDefined();
    expect(supervisor.find('first')).toBeUndefined();
    await supervisor.spawn({ provider: 'shell', name: 'first', cwd: dir, args: ['-c', 'exit 0'] });
  });

  it('restarts an agent once when asked twice at the same moment: one program runs after', async () => {
    const marker = `restart-${randomUUID()}`;
    await supervisor.spawn({ provider: 'shell', name: 'twice', cwd: dir, args: ['-c', `exec -a ${marker} sleep 30`] }); // the program itself carries the marker: no fork to miscount
    const results = await Promise.allSettled([supervisor.relaunch('twice', 'restart'), supervisor.relaunch('twice', 'restart')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { message: 'twice is being restarted already' } });
    expect(supervisor.get('twice').live).toBeDefined();
    expect(processesWith(marker)).toBe(1);
  });

  it('takes away the worktree it made for an agent whose program could not start', async () => {
    const repo = path.join(dir, 'repo');
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    await execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'first']);
    open({ missing: { base: 'shell', command: 'no-such-program-drover-test' } });
    await expect(supervisor.spawn({ provider: 'missing', name: 'ghost', cwd: repo, worktree: true })).rejects.toThrow('is not installed');
    expect(existsSync(path.join(dir, 'worktrees', 'repo', 'ghost'))).toBe(false);
    expect((await execa('git', ['-C', repo, 'worktree', 'list'])).stdout.split('\n')).toHaveLength(1);
    expect(supervisor.find('ghost')).toBeUndefined();
  });
});
