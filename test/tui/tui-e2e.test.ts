/**
 * The real `drover` TUI in tmux, on a private daemon, the way a person drives it: spawn a shell
 * agent from the dialog, watch its status change, message it from the inbox pane, attach and
 * detach, quit, and find the agent still running when the TUI opens again. At 80×24 and 120×40.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, DROVER_BIN, privateDirs } from '../helpers/drover.ts';
import { isTui, message, paneIn, privateRoot, removeRoots, row, until } from './tmux-tui.ts';

afterAll(removeRoots);

describe.each([
  { cols: 80, rows: 24 },
  { cols: 120, rows: 40 },
])('the TUI at $cols×$rows', ({ cols, rows }) => {
  it('spawns, messages, attaches and detaches, and leaves the agent running when it quits', { timeout: 120_000 }, async () => {
    const root = privateRoot();
    const env = privateDirs(root);
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
      await pane.keys('Enter', 'Enter', 'Enter', 'Enter', 'Enter');
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
    expect((await drover(['spawn', 'claude', '--name', 'claude', '--cwd', root], { env: privateDirs(root) })).exitCode).toBe(0);
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
    const env = privateDirs(root);
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
