/** The TUI's screen and keys, rendered with ink-testing-library against a scripted daemon. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { bindings, modeKeys } from '../../src/tui/keymap.ts';
import { agent, approval, FakeClient, message, screen } from './fake-client.ts';
import { KEYS, renderTui } from './harness.tsx';
import { until } from '../helpers/until.ts';

// Ink styles through chalk, which draws nothing when stdout is not a terminal (as under vitest)
// and reads FORCE_COLOR when it loads: draw as on a colour terminal.
const savedForceColor = vi.hoisted(() => {
  const saved = process.env.FORCE_COLOR;
  process.env.FORCE_COLOR = '3';
  return saved;
});
afterAll(() => {
  if (savedForceColor === undefined) delete process.env.FORCE_COLOR;
  else process.env.FORCE_COLOR = savedForceColor;
});

type Tui = Awaited<ReturnType<typeof renderTui>>;
let tui: Tui | undefined;
afterEach(() => tui?.dispose());

function daemon(agents = [agent('alpha', 'working'), agent('beta', 'needs_permission'), agent('gamma', 'done')]) {
  const client = new FakeClient({
    'agents.list': () => ({ agents }),
    'inbox.list': () => ({ messages: [] }),
    'approvals.list': () => ({ approvals: [] }),
    'agents.subscribe': ({ agent: id }) => ({ agent: id, ...screen([`screen of ${id}`]) }),
    'agents.unsubscribe': () => ({}),
  });
  return client;
}

/** The row of the agent list that names `name`. */
function row(frame: string, name: string): string {
  return frame.split('\n').find((line) => new RegExp(`^[› ][! ]${name} `).test(line)) ?? '';
}

describe('the TUI', () => {
  it('lists agents with provider, status as glyph and words, time in state, and a mark on those that need you', async () => {
    tui = await renderTui({ client: daemon() });
    await tui.until('gamma');
    const frame = tui.frame();
    expect(frame.split('\n')).toHaveLength(24);
    expect(row(frame, 'alpha')).toMatch(/alpha\s+shell\s+● working\s+5s/);
    expect(row(frame, 'beta')).toMatch(/!beta\s+shell\s+◆ needs approval\s+5s/);
    expect(row(frame, 'gamma')).toMatch(/ gamma\s+shell\s+✓ done/);
    expect(row(frame, 'alpha')).not.toContain('!alpha');
    expect(frame.split('\n')[0]).toMatch(/1 working · 1 needs you · 1 done · inbox 0 · approvals 0/);
  });

  it('moves the time in state on when it reads differently: the seconds of a young state, the minutes of an older one', async () => {
    const agents = [agent('alpha', 'working', { since: Date.now() - 1_000 }), agent('beta', 'idle', { since: Date.now() - 58_000 })];
    tui = await renderTui({ client: daemon(agents) });
    const age = (name: string) => /\s(\d+[smhd])│/.exec(row(tui!.frame(), name))?.[1]; // the list's last column
    await until(() => age('alpha'), 'the list drawn');
    const first = Number.parseInt(age('alpha')!, 10);
    await until(() => age('beta') === '1m', () => `beta 1m, not ${age('beta')}`);
    await until(() => Number.parseInt(age('alpha') ?? '0', 10) > first, () => `alpha past ${first}s, not ${age('alpha')}`);
  });

  it("says in the header while a daemon cannot save its state (this machine's at start, a host's by event), and stops once it can", async () => {
    const client = daemon();
    client.handle('daemon.status', () => ({
      pid: 1,
      version: 6,
      socket: '/s',
      startedAt: 0,
      clients: 1,
      agents: 3,
      stateWriteProblem: { message: 'ENOSPC: no space left on device, write', since: Date.now() },
    }));
    tui = await renderTui({ client });
    await tui.until((f) => /^drover {2}state not saved, retrying: ENOSPC: no space left on device, write/.test(f.split('\n')[0]!));
    tui.client.emit('event.state', { host: 'box', writeProblem: { message: 'EROFS: read-only file system', since: Date.now() } });
    tui.client.emit('event.state', { host: '' });
    await tui.until((f) => /^drover {2}state not saved, retrying: box: EROFS/.test(f.split('\n')[0]!));
    tui.client.emit('event.state', { host: 'box' });
    await tui.until((f) => /^drover {2}1 working · 1 needs you/.test(f.split('\n')[0]!));
  });

  it('previews the selected agent, and moves its subscription with the selection', async () => {
    tui = await renderTui({ client: daemon() });
    await tui.until('screen of id-alpha');
    await tui.type('j');
    await tui.until('screen of id-beta');
    expect(tui.frame()).not.toContain('screen of id-alpha');
    await tui.type(KEYS.down, 'k');
    await tui.until((f) => f.includes('screen of id-beta') && row(f, 'beta').startsWith('›'));
    expect(tui.client.callsTo('agents.subscribe')).toEqual([{ agent: 'id-alpha' }, { agent: 'id-beta' }, { agent: 'id-gamma' }, { agent: 'id-beta' }]);
    expect(tui.client.callsTo('agents.unsubscribe')).toEqual([{ agent: 'id-alpha' }, { agent: 'id-beta' }, { agent: 'id-gamma' }]);
  });

  it('draws live screen updates in colour, cropped to the pane', async () => {
    tui = await renderTui({ client: daemon(), colour: true });
    await tui.until('screen of id-alpha');
    const wide = 'x'.repeat(200);
    tui.client.emit('event.screen', {
      agent: 'id-alpha',
      ...screen(['', 'plain', wide], { styled: [[], [{ text: 'plain', fg: 1, bold: true }], [{ text: wide, fg: '#ff8000' }]] }),
    });
    await tui.until((f) => f.includes('plain'));
    const rows = tui.previewRows();
    expect(rows).toContain('\x1b[1;31mplain\x1b[0m');
    // The 80-column layout leaves the preview 35 columns inside its border.
    expect(rows).toContain(`\x1b[38;2;255;128;0m${'x'.repeat(35)}\x1b[0m`);
    // Beside the agent list, below the header and the pane's title.
    expect(tui.frame().split('\n')[4]).toMatch(/│x{35}$/);
  });

  it("heads the preview with drover's status, and shows the agent's own title dim, labelled and quoted below it", async () => {
    tui = await renderTui({ client: daemon() });
    await tui.until('screen of id-alpha');
    tui.client.emit('event.screen', { agent: 'id-alpha', ...screen(['still working'], { title: '◇ Ready' }) });
    await tui.until('still working');
    const rows = tui.frame().split('\n');
    expect(rows[1]).toMatch(/│ alpha · working\s*$/);
    expect(rows[1]).not.toContain('Ready');
    expect(rows[2]).toMatch(/│title: "◇ Ready"\s*$/);
    expect(tui.previewRows()[0]).toBe('\x1b[2mtitle: "◇ Ready"\x1b[22m');
  });

  it('follows status events, and notifies only for an agent that newly needs you and is not on screen', async () => {
    tui = await renderTui({ client: daemon() });
    await tui.until('gamma');
    tui.client.emit('event.status', { agent: 'id-gamma', status: 'needs_input', rule: 'r', at: Date.now() });
    await tui.until((f) => row(f, 'gamma').includes('!gamma') && row(f, 'gamma').includes('◆ needs input'));
    expect(tui.frame().split('\n')[0]).toContain('2 needs you');
    expect(tui.notices).toEqual(['\x07\x1b]9;drover: gamma needs input\x07']);
    // The selected agent (alpha) is on screen: no notification.
    tui.client.emit('event.status', { agent: 'id-alpha', status: 'error', rule: 'r', at: Date.now() });
    await tui.until((f) => row(f, 'alpha').includes('✗ error'));
    expect(tui.notices).toHaveLength(1);
  });

  it('answers approvals with y, a (only when offered) and n, and attaches to the asker with enter', async () => {
    const client = daemon();
    const pending = [approval('ap1', 'beta', ['once', 'always', 'deny']), approval('ap2', 'alpha', ['once', 'deny'])];
    client.handle('approvals.list', () => ({ approvals: pending }));
    client.handle('approvals.answer', ({ id, answer }) => ({
      ...pending.find((a) => a.id === id)!,
      state: answer === 'deny' ? 'denied' : 'approved',
    }));
    tui = await renderTui({ client });
    await tui.until('APPROVALS 2');
    expect(tui.frame()).toMatch(/›beta  Bash: npm test\s+y\/a\/n/);
    expect(tui.frame()).toMatch(/ alpha  Bash: npm test\s+y\/n /);
    await tui.type(KEYS.tab);
    await tui.until((f) => f.includes('›beta  Bash'));
    await tui.type('a');
    await tui.until('approved always: beta Bash');
    expect(tui.client.callsTo('approvals.answer')).toEqual([{ id: 'ap1', answer: 'always' }]);
    await tui.until('APPROVALS 1');
    // alpha's prompt has no "always": refused here, not sent.
    await tui.type('a');
    await tui.until(`alpha's prompt offers no "always" option`);
    expect(tui.client.callsTo('approvals.answer')).toHaveLength(1);
    await tui.type(KEYS.enter);
    expect(tui.leaves).toEqual([{ kind: 'attach', agent: 'id-alpha' }]);
  });

  it('denies with n and says so', async () => {
    const client = daemon();
    const request = approval('ap1', 'beta', ['once', 'deny']);
    client.handle('approvals.list', () => ({ approvals: [request] }));
    client.handle('approvals.answer', () => ({ ...request, state: 'denied' }));
    tui = await renderTui({ client });
    await tui.type(KEYS.tab, 'n');
    await tui.until('denied: beta Bash');
    expect(tui.client.callsTo('approvals.answer')).toEqual([{ id: 'ap1', answer: 'deny' }]);
    expect(tui.frame()).toContain('APPROVALS 0');
  });

  it('previews the asker of the selected request while the approvals pane has the focus', async () => {
    const client = daemon();
    client.handle('approvals.list', () => ({ approvals: [approval('ap1', 'beta', ['once', 'deny']), approval('ap2', 'gamma', ['once', 'deny'])] }));
    tui = await renderTui({ client });
    await tui.until('screen of id-alpha');
    await tui.type(KEYS.tab);
    await tui.until((f) => f.includes('screen of id-beta') && f.includes('beta · needs approval'));
    expect(tui.frame()).not.toContain('screen of id-alpha');
    await tui.type('j');
    await tui.until((f) => f.includes('screen of id-gamma') && f.includes('gamma · done'));
    // The selection in the agent list is kept: back there (or on to the inbox), the preview is its agent's again.
    await tui.type(KEYS.tab);
    await tui.until('screen of id-alpha');
    expect(row(tui.frame(), 'alpha').startsWith('›')).toBe(true);
    expect(tui.client.callsTo('agents.subscribe')).toEqual([{ agent: 'id-alpha' }, { agent: 'id-beta' }, { agent: 'id-gamma' }, { agent: 'id-alpha' }]);
  });

  it('lists the inbox newest first, marks yours read once selected, and dismisses one (d) or every one read (D)', async () => {
    const client = daemon();
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    const older = { ...message('n-old', 'system', 'user', 'alpha is done', 'delivered'), createdAt: at(60) };
    const newer = { ...message('n-new', 'system', 'user', 'gamma exited (code 1)', 'delivered'), createdAt: at(10) };
    const queued = { ...message('q-1', 'user', 'alpha', 'run the tests'), createdAt: at(30) };
    const stored = new Map([older, newer, queued].map((m) => [m.id, m]));
    client.handle('inbox.list', () => ({ messages: [older, queued, newer] }));
    client.handle('inbox.read', ({ ids }) => ({ messages: ids.map((id) => ({ ...stored.get(id)!, readAt: at(0) })).map((m) => (stored.set(m.id, m), m)) }));
    client.handle('inbox.dismiss', ({ ids }) => ({ messages: (ids ?? []).map((id) => ({ ...stored.get(id)!, dismissedAt: at(0) })) }));
    tui = await renderTui({ client });
    await tui.until('INBOX 3');
    const inboxRows = () => tui!.frame().split('\n').slice(18, 23).map((line) => line.split('│')[1] ?? '');
    expect(inboxRows().slice(0, 3)).toEqual([
      expect.stringMatching(/^›• system→user  gamma exited/),
      expect.stringMatching(/^ … user→alpha  run the tests/),
      expect.stringMatching(/^ • system→user  alpha is done/),
    ]);
    expect(client.callsTo('inbox.read')).toEqual([]);

    await tui.type(KEYS.shiftTab);
    await tui.until((f) => f.includes('›✓ system→user  gamma exited'));
    expect(client.callsTo('inbox.read')).toEqual([{ ids: ['n-new'] }]);
    // Not the user's: refused here, nothing sent.
    await tui.type('j', 'd');
    await tui.until('only your own messages and notices are dismissed (this one is to alpha)');
    expect(client.callsTo('inbox.dismiss')).toEqual([]);
    await tui.type('D');
    await tui.until('dismissed "gamma exited (code 1)"');
    expect(client.callsTo('inbox.dismiss')).toEqual([{ ids: ['n-new'] }]);
    await tui.until('INBOX 2');
    await tui.type('G');
    await tui.until((f) => f.includes('›✓ system→user  alpha is done'));
    await tui.type('d');
    await tui.until('INBOX 1');
    expect(client.callsTo('inbox.dismiss')).toEqual([{ ids: ['n-new'] }, { ids: ['n-old'] }]);

    // A notice whose cause was resolved leaves as the daemon says so.
    // The selection stayed where the dismissed one was (the last row): a new notice on top is not taken as seen.
    await tui.until((f) => f.includes('›… user→alpha  run the tests'));
    const late = { ...message('n-late', 'system', 'user', 'beta asks: Bash: npm test', 'delivered'), createdAt: at(0) };
    client.emit('event.inbox', late);
    await tui.until((f) => f.includes('INBOX 2') && f.includes(' • system→user  beta asks'));
    expect(client.callsTo('inbox.read')).toEqual([{ ids: ['n-new'] }, { ids: ['n-old'] }]);
    client.emit('event.inbox', { ...late, dismissedAt: at(0) });
    await tui.until('INBOX 1');
  });

  it('keeps the inbox selection on the notice seen when a newer one arrives on top', async () => {
    const client = daemon();
    const seen = { ...message('n-1', 'system', 'user', 'alpha is done', 'delivered'), createdAt: new Date(Date.now() - 5000).toISOString() };
    client.handle('inbox.list', () => ({ messages: [seen] }));
    client.handle('inbox.read', ({ ids }) => ({ messages: ids.map(() => ({ ...seen, readAt: new Date().toISOString() })) }));
    tui = await renderTui({ client });
    await tui.type(KEYS.shiftTab);
    await tui.until('›✓ system→user  alpha is done');
    client.emit('event.inbox', message('n-2', 'system', 'user', 'gamma is done', 'delivered'));
    await tui.until((f) => f.includes(' • system→user  gamma is done') && f.includes('›✓ system→user  alpha is done'));
    expect(client.callsTo('inbox.read')).toEqual([{ ids: ['n-1'] }]);
  });

  it('composes a message to the selected agent inline and queues it with inbox.send', async () => {
    const client = daemon();
    client.handle('inbox.send', ({ to, body }) => message('m1', 'user', to, body));
    tui = await renderTui({ client });
    await tui.until('alpha');
    await tui.type('j', 'm');
    await tui.until('to beta: ');
    await tui.type('run', ' the tests', KEYS.left, KEYS.backspace, 'S');
    await tui.until('to beta: run the tesSs');
    await tui.type(KEYS.enter);
    await tui.until('queued for beta');
    expect(tui.client.callsTo('inbox.send')).toEqual([{ to: 'beta', body: 'run the tesSs' }]);
    tui.client.emit('event.inbox', message('m1', 'user', 'beta', 'run the tesSs'));
    await tui.until('INBOX 1');
    expect(tui.frame()).toContain('… user→beta  run the tesSs');
    tui.client.emit('event.inbox', message('m1', 'user', 'beta', 'run the tesSs', 'delivered'));
    await tui.until('INBOX 0');
  });

  it('takes several keys read at once one by one, and a run of text into a field in one go', async () => {
    const client = daemon();
    client.handle('inbox.send', ({ to, body }) => message('m1', 'user', to, body));
    tui = await renderTui({ client });
    await tui.until('alpha');
    await tui.type('jjk');
    await tui.until('screen of id-beta');
    await tui.type('mdo it\r');
    await tui.until('queued for beta');
    expect(tui.client.callsTo('inbox.send')).toEqual([{ to: 'beta', body: 'do it' }]);
  });

  it('shows a call the daemon does not support on the status line and carries on', async () => {
    const client = daemon();
    tui = await renderTui({ client });
    await tui.until('alpha');
    await tui.type('m', 'hi', KEYS.enter);
    await tui.until('✗ message to alpha: this daemon does not support it');
    // The text is kept, so nothing typed is lost.
    expect(tui.frame()).toContain('to alpha: hi');
    await tui.type(KEYS.esc);
    await tui.until((f) => !f.includes('to alpha: hi'));
    await tui.type('j');
    await tui.until('screen of id-beta');
  });

  it('spawns an agent from the dialog with the provider, name, folder, worktree and first prompt', async () => {
    const client = daemon([]);
    client.handle('agents.spawn', (params) => agent(params.name!, 'starting', { provider: params.provider, cwd: params.cwd }));
    tui = await renderTui({ client, providers: ['claude', 'shell'] });
    await tui.until('no agents yet: s spawns one');
    await tui.type('s');
    await tui.until('‹ claude ›');
    await tui.type(KEYS.right);
    await tui.until('‹ shell ›');
    await tui.type(KEYS.enter, 'worker', KEYS.enter, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, 'tmp', KEYS.down);
    await tui.type(`--model 'big one' -x`, KEYS.tab, 'feature', KEYS.down, 'hello', KEYS.enter);
    await tui.until('spawned worker (shell)');
    expect(tui.client.callsTo('agents.spawn')).toEqual([{ provider: 'shell', name: 'worker', cwd: '/tmp', args: ['--model', 'big one', '-x'], worktree: 'feature', prompt: 'hello' }]);
    expect(row(tui.frame(), 'worker')).toMatch(/^› worker\s+shell\s+◌ starting/);
  });

  it('leaves the name to the daemon when none is given, and esc cancels the dialog', async () => {
    const client = daemon([agent('shell-1', 'idle')]);
    client.handle('agents.spawn', (params) => agent(params.name ?? 'shell-2', 'starting'));
    tui = await renderTui({ client, providers: ['shell'] });
    await tui.type('s');
    await tui.until('SPAWN AN AGENT');
    await tui.type(KEYS.esc);
    await tui.until((f) => !f.includes('SPAWN AN AGENT'));
    await tui.type('s', KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter);
    await tui.until('spawned shell-2');
    expect(tui.client.callsTo('agents.spawn')).toEqual([{ provider: 'shell', cwd: '/work' }]);
  });

  it("spawn: the folder follows the provider's last one until typed in, tab completes it, and extra arguments are a shell's words", async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'drover-complete-'));
    for (const folder of ['alpha-one', 'alpha-two', 'beta', '.hidden']) mkdirSync(path.join(base, folder));
    writeFileSync(path.join(base, 'alpha-file'), '');
    try {
      const client = daemon([]);
      client.handle('agents.spawn', (params) => agent(params.name ?? `${params.provider}-1`, 'starting', { provider: params.provider }));
      tui = await renderTui({ client, providers: ['claude', 'shell'] });
      tui.store.update((s) => ({ ...s, spawnFolders: { shell: base } }));
      await tui.type('s');
      await tui.until((f) => f.includes('‹ claude ›') && /cwd +\/work/.test(f));
      await tui.type(KEYS.right);
      await tui.until((f) => f.includes('‹ shell ›') && f.includes(`cwd       ${base}`));
      await tui.type(KEYS.left);
      await tui.until((f) => f.includes('‹ claude ›') && /cwd +\/work/.test(f));
      await tui.type(KEYS.right);
      await tui.until((f) => f.includes('‹ shell ›') && f.includes(`cwd       ${base}`));
      for (const field of ['name', 'cwd']) {
        await tui.type(KEYS.down);
        await vi.waitFor(() => expect(tui!.store.getState().mode).toMatchObject({ kind: 'spawn', form: { focus: field } }));
      }
      // Tab: as far as the folders share, and which they are; then the one folder, with its slash.
      await tui.type('/a', KEYS.tab);
      await tui.until((f) => f.includes(`${base}/alpha-`) && /alpha-one\/ {2}alpha-two\//.test(f));
      expect(tui.frame()).not.toContain('alpha-file');
      await tui.type('t', KEYS.tab);
      await tui.until((f) => f.includes(`${base}/alpha-two/`) && !f.includes('alpha-one/'));
      // Nothing left to complete: tab moves on to the extra arguments.
      await tui.type(KEYS.tab, 'echo $HOME', KEYS.tab, KEYS.tab, KEYS.enter);
      await tui.until('extra arguments: words only');
      expect(client.callsTo('agents.spawn')).toEqual([]);
      await tui.type(KEYS.up, KEYS.up, '\x15', '-c "echo hi"', KEYS.enter, KEYS.enter, KEYS.enter);
      await tui.until('spawned shell-1');
      expect(client.callsTo('agents.spawn')).toEqual([{ provider: 'shell', cwd: `${base}/alpha-two`, args: ['-c', 'echo hi'] }]);
      // Remembered for the next spawn of shell, in this session too.
      // (The dialog opens on the selected agent's provider: the new shell-1's.)
      await tui.type('s');
      await tui.until((f) => f.includes('‹ shell ›') && f.includes(`cwd       ${base}/alpha-two`));
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('kills only after y', async () => {
    const client = daemon();
    client.handle('agents.kill', ({ agent: id }) => agent(id, 'working'));
    tui = await renderTui({ client });
    await tui.until('alpha');
    await tui.type('x');
    await tui.until('Kill alpha? y kills it, any other key keeps it');
    await tui.type('n');
    await tui.until('kept alpha');
    expect(tui.client.callsTo('agents.kill')).toEqual([]);
    await tui.type('x', 'y');
    await tui.until('killing alpha');
    expect(tui.client.callsTo('agents.kill')).toEqual([{ agent: 'id-alpha' }]);
  });

  it('removes an exited agent after y (a running one is refused), and drops one another client removed', async () => {
    const client = daemon([agent('alpha', 'working'), agent('old', 'exited'), agent('gone', 'exited')]);
    client.handle('agents.remove', ({ agent: id }) => ({
      removed: [{ id: id!, name: id!.replace('id-', ''), recording: '/state/recordings/old-1.cast', failedMessages: 1, staleApprovals: 0 }],
    }));
    tui = await renderTui({ client });
    await tui.until('alpha');
    await tui.type('d');
    await tui.until('alpha is running: x kills it first');
    await tui.type('j', 'd');
    await tui.until('Remove old? Its recordings stay; y removes it, any other key keeps it');
    await tui.type('n');
    await tui.until('kept old');
    expect(tui.client.callsTo('agents.remove')).toEqual([]);
    await tui.type('d', 'y');
    await tui.until('removed old; its recordings stay in /state/recordings; 1 queued message(s) mark');
    expect(tui.client.callsTo('agents.remove')).toEqual([{ agent: 'id-old' }]);
    expect(row(tui.frame(), 'old')).toBe('');
    tui.client.emit('event.agent', { agent: 'id-gone', removed: true });
    await tui.until((f) => row(f, 'gone') === '');
  });

  it('renames the selected agent from a one-line prompt, and shows a refusal on the status line', async () => {
    const client = daemon();
    client.handle('agents.rename', ({ agent: id, name }) => {
      if (name === 'beta') throw new Error('an agent named "beta" already exists (pick another name or drover kill it)');
      return { ...agent(name, 'working'), id, previousName: 'alpha', movedMessages: 2 };
    });
    tui = await renderTui({ client });
    await tui.until('alpha');
    await tui.type('N');
    await tui.until('rename alpha to alpha');
    await tui.type('\x15', 'beta', KEYS.enter);
    await tui.until('rename alpha: an agent named "beta" already exists');
    await tui.type('N', '\x15', 'lead', KEYS.enter);
    await tui.until('renamed alpha to lead; 2 queued message(s) follow it');
    expect(row(tui.frame(), 'lead')).toMatch(/^› lead\s+shell/);
    expect(tui.client.callsTo('agents.rename')).toEqual([{ agent: 'id-alpha', name: 'beta' }, { agent: 'id-alpha', name: 'lead' }]);
  });

  it('offers restart (R) and resume (r) on an exited agent instead of attaching; a refusal is one line', async () => {
    const client = daemon([agent('old', 'exited')]);
    client.handle('agents.restart', ({ agent: id }) => agent(id.replace('id-', ''), 'starting'));
    client.handle('agents.resume', () => {
      throw new Error('old: its session id is unknown (its hooks never reported one), so it cannot be resumed');
    });
    tui = await renderTui({ client });
    await tui.until('old');
    await tui.type(KEYS.enter);
    await tui.until('old has exited: R restarts it, r resumes its session, d removes it');
    expect(tui.leaves).toEqual([]);
    await tui.type('r');
    await tui.until('resume old: old: its session id is unknown');
    await tui.type('R');
    await tui.until('restarted old');
    expect(row(tui.frame(), 'old')).toMatch(/◌ starting/);
    expect(tui.client.callsTo('agents.resume')).toEqual([{ agent: 'id-old' }]);
    expect(tui.client.callsTo('agents.restart')).toEqual([{ agent: 'id-old' }]);
  });

  it('filters the list with /, and esc clears the filter', async () => {
    tui = await renderTui({ client: daemon() });
    await tui.until('gamma');
    await tui.type('/', 'need');
    await tui.until('AGENTS 1/3  /need');
    expect(row(tui.frame(), 'alpha')).toBe('');
    await tui.until('screen of id-beta');
    await tui.type(KEYS.enter, 'k');
    expect(tui.frame()).toContain('AGENTS 1/3');
    await tui.type('/', KEYS.esc);
    await tui.until('AGENTS 3');
  });

  it('has a help overlay that lists every key of the keymap', async () => {
    tui = await renderTui({ client: daemon(), size: { cols: 120, rows: 40 } });
    await tui.type('?');
    await tui.until('KEYS');
    const frame = tui.frame();
    for (const binding of bindings) expect(frame).toContain(binding.help);
    for (const section of modeKeys) for (const [, help] of section.keys) expect(frame).toContain(help);
    expect(frame).toMatch(/C-\]\s+detach/);
    await tui.type('z');
    await tui.until((f) => !f.includes('KEYS'));
  });

  it('scrolls the help where it does not fit (80×24): every key can be reached, then any other key closes it', async () => {
    tui = await renderTui({ client: daemon(), size: { cols: 80, rows: 24 } });
    await tui.type('?');
    const first = await tui.until('KEYS');
    const total = Number(/KEYS {2}1–(\d+) of (\d+)/.exec(first)?.[2]);
    expect(total).toBeGreaterThan(Number(/KEYS {2}1–(\d+)/.exec(first)?.[1]));
    expect(first).not.toMatch(/C-\]\s+detach/);
    const seen = new Set<string>();
    let frame = first;
    for (let page = 0; page < 10 && !/–(\d+) of \1\b/.test(frame.split('\n')[1] ?? ''); page++) {
      for (const line of frame.split('\n')) seen.add(line);
      await tui.type(KEYS.pageDown);
      frame = await tui.until((f) => f !== frame);
    }
    for (const line of frame.split('\n')) seen.add(line);
    const all = [...seen].join('\n');
    for (const binding of bindings) expect(all).toContain(binding.help);
    for (const section of modeKeys) for (const [, help] of section.keys) expect(all).toContain(help);
    expect(frame).toMatch(/C-\]\s+detach/);
    await tui.type('g');
    await tui.until(/KEYS {2}1–/);
    await tui.type('j');
    await tui.until(/KEYS {2}2–/);
    await tui.type('x');
    await tui.until((f) => !f.includes('KEYS') && f.includes('AGENTS'));
  });

  it("fits the footer's key hints to the width with ? help always last, and leads with resume, restart and remove for an exited agent", async () => {
    tui = await renderTui({ client: daemon([agent('alpha', 'working'), agent('omega', 'exited')]), size: { cols: 80, rows: 24 } });
    let footer = (await tui.until('alpha')).split('\n').at(-1)!;
    expect(footer).toMatch(/^enter attach {2}s spawn .* \? help\s*$/);
    expect(footer).not.toContain('resume');
    await tui.type('j');
    footer = (await tui.until((f) => f.split('\n').at(-1)!.startsWith('R restart'))).split('\n').at(-1)!;
    expect(footer).toMatch(/^R restart {2}r resume {2}d remove {2}enter attach .* \? help\s*$/);
    await tui.type(KEYS.tab);
    footer = (await tui.until((f) => f.split('\n').at(-1)!.startsWith('y once'))).split('\n').at(-1)!;
    expect(footer).toMatch(/\? help\s*$/);
  });

  it('asks the runner to attach on enter, to open the editor on e, and to quit on q', async () => {
    const expected = [
      [KEYS.enter, { kind: 'attach', agent: 'id-alpha' }],
      ['e', { kind: 'editor', to: 'alpha' }],
      ['q', { kind: 'quit' }],
    ] as const;
    for (const [key, leave] of expected) {
      const one = await renderTui({ client: daemon() });
      await one.until('alpha');
      await one.type(key);
      expect(one.leaves).toEqual([leave]);
      one.dispose();
    }
  });

  it('uses no colour under NO_COLOR, and still marks focus and selection', async () => {
    tui = await renderTui({ client: daemon(), colour: false });
    await tui.until('alpha');
    tui.client.emit('event.screen', { agent: 'id-alpha', ...screen(['red'], { styled: [[{ text: 'red', fg: 1, bold: true }]] }) });
    await tui.until((f) => f.includes('red'));
    const painted = [tui.styled(), ...tui.previewRows()].join('\n');
    expect(painted).toContain('\x1b[1mred');
    expect(painted).not.toMatch(/\x1b\[(3\d|9\d|4\d|10\d|38;|48;)[;0-9]*m/);
    expect(tui.styled()).toContain('\x1b[7m'); // the focused pane's title, inverse
  });

  it('fits 80×24 and 120×40 exactly, and says when the terminal is too small', async () => {
    for (const size of [{ cols: 80, rows: 24 }, { cols: 120, rows: 40 }]) {
      const one = await renderTui({ client: daemon(), size });
      await one.until('gamma');
      const lines = one.frame().split('\n');
      expect(lines).toHaveLength(size.rows);
      one.dispose();
    }
    tui = await renderTui({ client: daemon(), size: { cols: 50, rows: 10 } });
    await tui.until('drover needs 60×12 at least (this is 50×10)');
  });
});
