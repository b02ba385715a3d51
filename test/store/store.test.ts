import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.ts';
import { emptyState, StoreError, type AgentRecord, type Approval, type AuditEntry, type Message } from '../../src/store/state.ts';
import { InvalidStateError, Store } from '../../src/store/store.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let seq = 0;
/** A state file path in a directory that does not exist yet. */
function freshFile(): string {
  return path.join(root, `case-${++seq}`, 'state.json');
}

/** A state file holding `content` (a string is written as is). */
function fileWith(content: unknown): string {
  const file = freshFile();
  mkdirSync(path.dirname(file));
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const T = '2025-01-02T03:04:05.678Z';

const agent = (over: Partial<AgentRecord> = {}): AgentRecord => ({
  id: 'a1',
  name: 'alpha',
  provider: 'claude',
  cwd: '/src/project',
  args: ['--model', 'x'],
  env: { FOO: 'bar' },
  status: 'working',
  createdAt: T,
  startedAt: T,
  statusAt: T,
  recording: '/state/recordings/a1.cast',
  ...over,
});

const message: Message = { id: 'm1', from: 'user', to: 'alpha', body: 'hi', createdAt: T, state: 'pending', attempts: 0 };
const approval: Approval = {
  id: 'p1',
  agent: 'a1',
  tool: 'Bash',
  summary: 'rm -rf build',
  options: [
    { label: 'Yes', keys: '1', choice: 'once' },
    { label: 'No', keys: '\x1b', choice: 'deny' },
  ],
  screen: 'Do you want to proceed?\n❯ 1. Yes',
  fingerprint: 'abc123',
  state: 'approved',
  createdAt: T,
  decidedAt: T,
  decidedBy: 'policy:allow-build',
};
const audit = (detail: string): AuditEntry => ({ at: T, actor: 'user', action: 'approve', agent: 'a1', detail });

const HINT = '; the file was kept: run "drover daemon --reset-store" to move it aside';

describe('Store', () => {
  it('starts empty when the file is missing and writes it on the first update, 0600 in a 0700 dir', async () => {
    const file = freshFile();
    const store = await Store.open(file);
    expect(store.read()).toEqual(emptyState());
    expect(existsSync(file)).toBe(false);

    await store.update((s) => void s.agents.push(agent()));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8')).agents[0].name).toBe('alpha');
    // Only the state file: the temp file was renamed into place.
    expect(readdirSync(path.dirname(file))).toEqual(['state.json']);
  });

  it('round-trips every kind of record through the file', async () => {
    const file = freshFile();
    const store = await Store.open(file);
    const exit = { code: null, signal: 'SIGTERM', at: T };
    const returned = await store.update((s) => {
      s.agents.push(agent({ status: 'exited', exit, sessionId: 'sess-1', worktree: { path: '/wt/a', branch: 'drover/alpha' }, firstPrompt: 'fix it' }));
      s.inbox.push(message, { ...message, id: 'm2', state: 'failed', attempts: 3, error: 'agent exited' });
      s.approvals.push(approval);
      s.audit.push(audit('Bash rm -rf build'), { at: T, actor: 'system', action: 'start', detail: '' });
      return s.agents.length;
    });
    expect(returned).toBe(1);
    const reopened = await Store.open(file);
    expect(reopened.read()).toEqual(store.read());
    expect(reopened.read().agents[0]!.exit).toEqual(exit);
  });

  it('gives a frozen view: the state changes only through update', async () => {
    const store = await Store.open(freshFile());
    await store.update((s) => void s.agents.push(agent()));
    const view = store.read();
    expect(() => (view.agents as AgentRecord[]).push(agent({ id: 'a2', name: 'beta' }))).toThrow(TypeError);
    expect(() => ((view.agents[0] as AgentRecord).status = 'idle')).toThrow(TypeError);
    expect(store.read().agents).toHaveLength(1);
  });

  it('refuses an invalid update before writing: file and state unchanged, later updates still land', async () => {
    const file = freshFile();
    const store = await Store.open(file);
    await store.update((s) => void s.agents.push(agent()));
    const before = readFileSync(file);

    const bad = store.update((s) => {
      (s.agents[0] as { status: string }).status = 'sleeping';
    });
    await expect(bad).rejects.toThrow(InvalidStateError);
    await expect(bad).rejects.toThrow(/^refusing to write .*state\.json: agents\[0\]\.status: Invalid option: expected one of/);
    const duplicate = store.update((s) => void s.agents.push(agent({ id: 'a2' })));
    await expect(duplicate).rejects.toThrow(/agents\[1\]\.name: duplicate name "alpha"$/);
    await expect(store.update(() => Promise.resolve())).rejects.toThrow(/must be synchronous/);
    await expect(store.update(() => { throw new Error('caller bug'); })).rejects.toThrow('caller bug');

    expect(readFileSync(file)).toEqual(before);
    expect(store.read().agents[0]!.status).toBe('working');
    await store.update((s) => void s.inbox.push(message));
    expect((await Store.open(file)).read().inbox).toEqual([message]);
  });

  it('lands every one of many concurrent updates, in call order', async () => {
    const file = freshFile();
    const store = await Store.open(file);
    const updates = Array.from({ length: 40 }, (_, i) =>
      i === 20 ? store.update(() => { throw new Error('one bad update'); }) : store.update((s) => void s.audit.push(audit(`#${i}`))),
    );
    const results = await Promise.allSettled(updates);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 20).map((i) => `#${i}`);
    expect(store.read().audit.map((e) => e.detail)).toEqual(expected);
    expect((await Store.open(file)).read().audit.map((e) => e.detail)).toEqual(expected);
  });

  it('rewrites a state file it finds with looser permissions as 0600', async () => {
    const file = fileWith(emptyState());
    chmodSync(file, 0o644);
    const store = await Store.open(file);
    await store.update((s) => void s.agents.push(agent()));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('a file drover refuses', () => {
  /** Opening must fail with exactly one line, and leave the file byte for byte as it was. */
  async function refused(file: string): Promise<string> {
    const before = readFileSync(file);
    const error = await Store.open(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as Error).message;
    expect(message).not.toMatch(/\n/);
    expect(message.startsWith(`${file}: `)).toBe(true);
    expect(readFileSync(file)).toEqual(before);
    return message.slice(file.length + 2);
  }

  it('is refused when it is not JSON (a truncated write, say), naming the file and the fix', async () => {
    const problem = await refused(fileWith('{\n  "schemaVersion": 1,\n  "agents": [\n'));
    expect(problem).toMatch(/^not valid JSON \(.+\)/);
    expect(problem.endsWith(HINT)).toBe(true);
    expect(await refused(fileWith(''))).toBe(`not valid JSON (Unexpected end of JSON input)${HINT}`);
  });

  it('is refused when it is someone else’s JSON', async () => {
    expect(await refused(fileWith({ name: 'left-pad', version: '1.0.0' }))).toBe(`not a drover state file (no schemaVersion)${HINT}`);
    expect(await refused(fileWith([1, 2]))).toBe(`not a drover state file (no schemaVersion)${HINT}`);
    expect(await refused(fileWith({ ...emptyState(), extra: true }))).toBe(`(top level): Unrecognized key: "extra"${HINT}`);
    expect(await refused(fileWith({ ...emptyState(), schemaVersion: '1' }))).toBe(`schemaVersion: expected an integer, got "1"${HINT}`);
  });

  it('names the key path of a bad value', async () => {
    const agents = [agent({ id: 'a', name: 'a' }), agent({ id: 'b', name: 'b' }), { ...agent({ id: 'c', name: 'c' }), status: 'asleep' }];
    const problem = await refused(fileWith({ ...emptyState(), agents }));
    expect(problem).toMatch(/^agents\[2\]\.status: Invalid option: expected one of "starting"\|"idle"\|.*"unknown"; the file was kept/);
    expect(await refused(fileWith({ ...emptyState(), approvals: [{ ...approval, decidedBy: 'robot' }] }))).toMatch(/^approvals\[0\]\.decidedBy: /);
  });

  it('is refused when a newer drover wrote it, suggesting an upgrade', async () => {
    expect(await refused(fileWith({ ...emptyState(), schemaVersion: 3, shiny: [] }))).toBe(
      'written by a newer drover (schemaVersion 3; this drover knows up to 2); the file was kept: ' +
        'upgrade drover, or run "drover daemon --reset-store" to move it aside',
    );
  });

  it('is moved aside by resetFile, never deleted, and the store then starts empty', async () => {
    const content = '{"schemaVersion": 1, "agents": [';
    const file = fileWith(content);
    await expect(Store.open(file)).rejects.toThrow(StoreError);
    const aside = await Store.resetFile(file);
    expect(aside).toMatch(/state\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(path.dirname(aside!)).toBe(path.dirname(file));
    expect(readFileSync(aside!, 'utf8')).toBe(content);
    expect(existsSync(file)).toBe(false);
    expect((await Store.open(file)).read()).toEqual(emptyState());
    expect(await Store.resetFile(file)).toBeUndefined();
  });
});

describe('migrations', () => {
  // A made-up v0 that kept messages under another key: injected, never shipped.
  const v0ToV1: Migration = {
    from: 0,
    migrate: ({ messages, ...rest }) => ({ ...rest, inbox: messages, approvals: [], audit: [] }),
  };
  const v0 = { schemaVersion: 0, agents: [agent()], messages: [message] };

  it('upgrades an older file on load, and writes the new version on the next update', async () => {
    const file = fileWith(v0);
    const store = await Store.open(file, { migrations: [v0ToV1, ...MIGRATIONS] });
    expect(store.read()).toEqual({ schemaVersion: 2, agents: [agent()], inbox: [message], approvals: [], audit: [], spawnFolders: {} });
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(0);
    await store.update(() => undefined);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(store.read());
  });

  it('reads a version 1 file (before the spawn folders) as version 2', async () => {
    const { spawnFolders: _none, ...v1 } = { ...emptyState(), schemaVersion: 1, agents: [agent()], inbox: [message] };
    const store = await Store.open(fileWith(v1));
    expect(store.read()).toEqual({ ...v1, schemaVersion: 2, spawnFolders: {} });
  });

  it('refuses a version it has no migration for, and a migration whose result is invalid', async () => {
    const file = fileWith(v0);
    await expect(Store.open(file)).rejects.toThrow(`${file}: schemaVersion 0 is not one drover can read${HINT}`);
    const sloppy: Migration = { from: 0, migrate: (doc) => doc };
    await expect(Store.open(file, { migrations: [sloppy, ...MIGRATIONS] })).rejects.toThrow(`${file}: inbox: Invalid input: expected array, received undefined${HINT}`);
  });
});
