/**
 * The real `drover` TUI in tmux, on a private daemon, the way a person drives it: spawn a shell
 * agent from the dialog, watch its status change, message it from the inbox pane, attach and
 * detach, quit, and find the agent still running when the TUI opens again. At 80×24 and 120×40.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, DROVER_BIN } from '../helpers/drover.ts';
import { FIXTURES, replayingAgent } from '../helpers/fixtures.ts';
import { TmuxPane } from '../helpers/tmux.ts';

const roots: string[] = [];

afterAll(async () => {
  for (const root of roots) {
    await drover(['daemon', 'stop'], { env: xdg(root), timeout: 20_000 });
    rmSync(root, { recursive: true, force: true });
  }
});

function xdg(root: string) {
  return {
    ...process.env,
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
  };
}

/**
 * A private daemon's folders, with a shell agent that reads no rc file and prompts "agent$ ", and
 * Claude Code played from a recorded session (CI has no Claude: the stand-in waits for the keys
 * the session was recorded with, and takes "1" where Enter picked the first option).
 */
function privateRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-tui-'));
  roots.push(root);
  mkdirSync(path.join(root, 'config', 'drover'), { recursive: true });
  const shell = { command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'agent$ ' } };
  const claude = replayingAgent(path.join(FIXTURES, 'claude', 'basic-120x35.cast'), '--same', '\\r=1');
  writeFileSync(path.join(root, 'config', 'drover', 'config.json'), JSON.stringify({ providers: { shell, claude } }));
  return root;
}

/** A tmux pane with a shell on the private daemon's folders, in `root`. */
async function paneIn(root: string, cols: number, rows: number): Promise<TmuxPane> {
  const env = xdg(root);
  const vars = ['XDG_STATE_HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME'].map((name) => `${name}='${env[name as keyof typeof env]}'`).join(' ');
  const pane = await TmuxPane.start(`env ${vars} PS1='outer$ ' bash --norc --noprofile`, cols, rows);
  await pane.keys(`cd '${root}'`, 'Enter');
  return pane;
}

/** Writes a message to the selected agent from the inbox pane. */
async function message(pane: TmuxPane, to: string, text: string): Promise<void> {
  await pane.keys('m');
  await until(pane, (s) => s.includes(` to ${to}:`), 'the message field');
  await pane.keys('-l', text);
  await pane.keys('Enter');
  await until(pane, (s) => s.includes(`queued for ${to}`), 'the message queued');
}

async function until(pane: TmuxPane, test: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = (await pane.capture()).join('\n');
    if (test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The agent list's row for `name`. */
function row(screen: string, name: string): string {
  return screen.split('\n').find((line) => new RegExp(`^[› ][! ]${name} `).test(line)) ?? '';
}

const isTui = (screen: string) => /^drover {2}\d+ working · \d+ needs you/.test(screen);

describe.each([
  { cols: 80, rows: 24 },
  { cols: 120, rows: 40 },
])('the TUI at $cols×$rows', ({ cols, rows }) => {
  it('spawns, messages, attaches and detaches, and leaves the agent running when it quits', { timeout: 120_000 }, async () => {
    const root = privateRoot();
    const env = xdg(root);
    const pane = await paneIn(root, cols, rows);
    try {
      await pane.keys(`node '${DROVER_BIN}'`, 'Enter');
      let screen = await until(pane, isTui, 'the TUI (starting its daemon)');
      expect(screen.split('\n')).toHaveLength(rows);
      expect(screen).toContain('no agents yet: s spawns one');

      // Spawn from the dialog: the shell provider, named "worker", in the default folder.
      await pane.keys('s');
      await until(pane, (s) => s.includes('SPAWN AN AGENT'), 'the spawn dialog');
      const provider = (screen: string) => /‹ (\S+) ›/.exec(screen)?.[1];
      for (let shown = provider((await pane.capture()).join('\n')); shown !== 'shell'; ) {
        await pane.keys('Right');
        const before = shown;
        shown = provider(await until(pane, (s) => provider(s) !== before, 'the next provider'));
      }
      await pane.keys('Enter');
      await pane.keys('-l', 'worker');
      await pane.keys('Enter', 'Enter', 'Enter', 'Enter');
      screen = await until(pane, (s) => /○ idle/.test(row(s, 'worker')) && s.includes('agent$'), 'worker idle, its prompt in the preview');
      expect(screen).toContain('spawned worker (shell)');
      expect(row(screen, 'worker')).toMatch(/^› worker\s+shell\s+○ idle\s+\d+s/);

      // A message from the inbox pane: queued, delivered when it is ready, and it works, then is done.
      await message(pane, 'worker', 'sleep 1; echo from-inbox-$((6*7))');
      await until(pane, (s) => /● working/.test(row(s, 'worker')), 'worker working on the message');
      screen = await until(pane, (s) => /✓ done/.test(row(s, 'worker')) && s.includes('from-inbox-42'), 'worker done, the answer in the preview');
      expect(screen.split('\n')[0]).toMatch(/0 working · 0 needs you · 1 done/);

      // Attach: the agent's own screen, full size; the keys go to it; Ctrl-] comes back.
      await pane.keys('Enter');
      screen = await until(pane, (s) => !isTui(s) && s.includes('from-inbox-42') && /agent\$ *$/m.test(s), 'the attached agent');
      await pane.keys('-l', 'echo attached-$((40+2))');
      await pane.keys('Enter');
      await until(pane, (s) => s.includes('attached-42') && !isTui(s), 'the attached agent answering');
      await pane.keys('C-]');
      screen = await until(pane, (s) => isTui(s) && s.includes('[detached from worker]'), 'the TUI again');
      expect(row(screen, 'worker')).toMatch(/^› worker/);
      await until(pane, (s) => s.includes('attached-42'), 'the preview showing what was typed while attached');

      // Quit: the user's own screen is back and the agent runs on.
      await pane.keys('q');
      await until(pane, (s) => !isTui(s) && s.includes('outer$'), 'the shell after quitting');
      const listed = JSON.parse((await drover(['ls', '--json'], { env })).stdout) as { name: string; status: string }[];
      expect(listed).toEqual([expect.objectContaining({ name: 'worker', status: expect.stringMatching(/^(working|done)$/) })]);

      // Opened again, the TUI finds it, with its screen.
      await pane.keys(`node '${DROVER_BIN}'`, 'Enter');
      screen = await until(pane, (s) => isTui(s) && /✓ done/.test(row(s, 'worker')) && s.includes('attached-42'), 'the TUI reopened');
      await pane.keys('q');
      await until(pane, (s) => !isTui(s), 'the shell');
    } finally {
      await pane.kill();
    }
  });

  it('answers a permission request from the approvals pane', { timeout: 120_000 }, async () => {
    const root = privateRoot();
    expect((await drover(['spawn', 'claude', '--name', 'claude', '--cwd', root], { env: xdg(root) })).exitCode).toBe(0);
    const pane = await paneIn(root, cols, rows);
    try {
      await pane.keys(`node '${DROVER_BIN}'`, 'Enter');
      await until(pane, (s) => isTui(s) && /○ idle/.test(row(s, 'claude')), 'Claude ready');
      await message(pane, 'claude', 'Please say hello');
      await until(pane, (s) => /✓ done/.test(row(s, 'claude')), 'the first answer');
      await message(pane, 'claude', 'Create the file please');
      let screen = await until(pane, (s) => s.includes('APPROVALS 1') && s.includes('Do you want to proceed?'), 'the request, and the dialog in the preview', 30_000);
      expect(row(screen, 'claude')).toMatch(/^›!claude\s+claude\s+◆ needs approval/);
      expect(screen.split('\n')[0]).toContain('1 needs you');
      expect(screen).toMatch(/[ ›]claude {2}Bash command: touch .* y\/a\/n/);

      await pane.keys('Tab', 'y');
      screen = await until(pane, (s) => s.includes('approved once: claude Bash command'), 'the approval said');
      await until(pane, (s) => s.includes('APPROVALS 0') && /✓ done/.test(row(s, 'claude')), 'Claude done after the tool ran', 30_000);
      await pane.keys('q');
      await until(pane, (s) => !isTui(s), 'the shell');
    } finally {
      await pane.kill();
    }
  });
});

describe('the TUI when its daemon goes away', () => {
  it('says it is reconnecting, keeps its place, and comes back with the daemon it starts', { timeout: 120_000 }, async () => {
    const root = privateRoot();
    const env = xdg(root);
    expect((await drover(['spawn', 'shell', '--name', 'keeper', '--cwd', root], { env })).exitCode).toBe(0);
    const pane = await paneIn(root, 100, 24);
    try {
      await pane.keys(`node '${DROVER_BIN}'`, 'Enter');
      await until(pane, (s) => isTui(s) && /○ idle/.test(row(s, 'keeper')), 'keeper in the TUI');
      // A place to keep: a filter on the list.
      await pane.keys('/');
      await pane.keys('-l', 'keep');
      await pane.keys('Enter');
      await until(pane, (s) => s.includes('AGENTS 1/1  /keep'), 'the filter');

      // The daemon stops, and a bad config keeps the next one from starting: the TUI waits, saying why.
      const config = path.join(root, 'config', 'drover', 'config.json');
      const good = readFileSync(config, 'utf8');
      writeFileSync(config, '{ not json');
      expect((await drover(['daemon', 'stop'], { env })).exitCode).toBe(0);
      let screen = await until(pane, (s) => /^drover {2}reconnecting… .*config\.json: not valid JSON/.test(s), 'the TUI reconnecting');
      expect(screen).toContain('AGENTS 1/1  /keep');
      expect(row(screen, 'keeper')).toMatch(/^› keeper/);

      writeFileSync(config, good);
      screen = await until(pane, (s) => isTui(s) && s.includes('reconnected'), 'the TUI back on a new daemon', 30_000);
      expect(screen).toContain('AGENTS 1/1  /keep');
      expect(row(screen, 'keeper')).toMatch(/^› keeper\s+shell/);
      await pane.keys('q');
      await until(pane, (s) => !isTui(s) && s.includes('outer$'), 'the shell after quitting');
    } finally {
      await pane.kill();
    }
  });
});
