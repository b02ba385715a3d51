/**
 * Housekeeping in the real `drover` TUI in tmux at 80×24, on a private daemon: the preview follows
 * the request selected in the approvals pane; the inbox lists notices newest first, marks one read
 * once selected, dismisses one (d) or every one read (D), and a notice leaves by itself once its
 * request is answered; the spawn dialog completes folders, takes extra arguments and remembers the
 * folder per provider.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, DROVER_BIN, privateDirs } from '../helpers/drover.ts';
import { isTui, message, paneIn, privateRoot, removeRoots, row, until } from './tmux-tui.ts';

afterAll(removeRoots);

/** The inbox pane's rows (right of the approvals pane), below its title. */
function inboxRows(screen: string): string[] {
  const lines = screen.split('\n');
  const title = lines.findIndex((line) => /│ INBOX \d+/.test(line));
  return lines.slice(title + 1, -1).map((line) => line.split('│')[1] ?? '');
}

describe('the TUI at 80×24: approvals and notices', () => {
  it('previews the asker of the selected request, and keeps the inbox to what is still news', { timeout: 150_000 }, async () => {
    const root = privateRoot();
    const env = privateDirs(root);
    expect((await drover(['spawn', 'claude', '--name', 'claude', '--cwd', root], { env })).exitCode).toBe(0);
    expect((await drover(['spawn', 'shell', '--name', 'worker', '--cwd', root], { env })).exitCode).toBe(0);
    const pane = await paneIn(root, 80, 24);
    try {
      await pane.keys(`node '${DROVER_BIN}'`, 'Enter');
      await until(pane, (s) => isTui(s) && /○ idle/.test(row(s, 'claude')) && /○ idle/.test(row(s, 'worker')), 'both agents ready');
      await message(pane, 'claude', 'Please say hello');
      await until(pane, (s) => /✓ done/.test(row(s, 'claude')) && inboxRows(s).some((r) => /^[› ]• system→user {2}claude is done/.test(r)), 'the first answer, and its notice');
      await message(pane, 'claude', 'Create the file please');
      let screen = await until(pane, (s) => s.includes('APPROVALS 1'), 'the request', 30_000);
      // claude working again took its "done" notice out; its request's notice is the newest.
      screen = await until(pane, (s) => /^[› ]• system→user {2}claude asks: Bash/.test(inboxRows(s)[0] ?? ''), 'the request in the inbox, on top');
      expect(inboxRows(screen).join('\n')).not.toContain('claude is done');

      // worker selected in the agent list: the preview is worker's...
      await pane.keys('j');
      screen = await until(pane, (s) => row(s, 'worker').startsWith('›') && s.includes('agent$') && !s.includes('Do you want to proceed?'), "worker's screen in the preview");
      expect(screen.split('\n')[1]).toMatch(/│ worker · idle/);
      // ...until the approvals pane has the focus: then it is the asker's dialog.
      await pane.keys('Tab');
      screen = await until(pane, (s) => s.includes('Do you want to proceed?') && /│ claude · needs approval/.test(s.split('\n')[1]!), "claude's dialog in the preview");
      // Its own window title under drover's status, labelled and quoted: not a status.
      expect(screen.split('\n')[2]).toMatch(/│title: ".+/);
      expect(screen.split('\n')[1]).toMatch(/│ claude · needs approval\s*$/);

      // The inbox: selecting the notice reads it (• becomes ✓).
      await pane.keys('Tab');
      await until(pane, (s) => /^›✓ system→user {2}claude asks: Bash/.test(inboxRows(s)[0] ?? ''), 'the notice read');
      // Answering the request takes its notice out by itself.
      await pane.keys('BTab', 'y');
      await until(pane, (s) => s.includes('approved once: claude Bash command'), 'the approval said');
      screen = await until(pane, (s) => s.includes('APPROVALS 0') && !s.includes('claude asks'), 'the notice gone with its request', 30_000);

      // Dismiss one (d), then every one read (D).
      await until(pane, (s) => /✓ done/.test(row(s, 'claude')) && inboxRows(s).some((r) => r.includes('claude is done')), 'claude done again, its notice', 30_000);
      await message(pane, 'worker', 'true');
      screen = await until(pane, (s) => /^[› ]• system→user {2}worker is done/.test(inboxRows(s)[0] ?? ''), "worker's notice on top");
      await pane.keys('Tab');
      await until(pane, (s) => /^›✓ system→user {2}worker is done/.test(inboxRows(s)[0] ?? ''), "worker's notice selected, read");
      await pane.keys('d');
      screen = await until(pane, (s) => s.includes('dismissed "worker is done"') && !inboxRows(s).join('\n').includes('worker is done'), "worker's notice dismissed");
      expect(inboxRows(screen).filter((r) => r.includes('claude is done'))).toHaveLength(1);
      await pane.keys('D');
      await until(pane, (s) => /dismissed (".*"|\d+ messages)/.test(s) && s.includes('INBOX 0'), 'every read one dismissed');
      // What the daemon keeps: dismissed, not deleted.
      const all = JSON.parse((await drover(['inbox', '--all', '--json'], { env })).stdout) as { to: string; dismissedAt?: string }[];
      expect(all.filter((m) => m.to === 'user').every((m) => m.dismissedAt)).toBe(true);
      await pane.keys('q');
      await until(pane, (s) => !isTui(s), 'the shell');
    } finally {
      await pane.kill();
    }
  });
});

describe('the TUI at 80×24: the spawn dialog', () => {
  it('completes the folder with tab, passes extra arguments, and remembers the folder per provider across a daemon restart', { timeout: 150_000 }, async () => {
    const root = privateRoot();
    const env = privateDirs(root);
    mkdirSync(path.join(root, 'proj-one', 'sub'), { recursive: true });
    mkdirSync(path.join(root, 'proj-two'));
    const pane = await paneIn(root, 80, 24);
    const chooseShell = async () => {
      await until(pane, (s) => s.includes('SPAWN AN AGENT'), 'the spawn dialog');
      const provider = (screen: string) => /‹ (\S+) ›/.exec(screen)?.[1];
      for (let shown = provider((await pane.capture()).join('\n')); shown !== 'shell'; ) {
        await pane.keys('Right');
        const before = shown;
        shown = provider(await until(pane, (s) => provider(s) !== before, 'the next provider'));
      }
    };
    const cwdRow = (screen: string) => screen.split('\n').find((line) => line.startsWith(' cwd ')) ?? '';
    try {
      await pane.keys(`node '${DROVER_BIN}'`, 'Enter');
      await until(pane, isTui, 'the TUI');
      await pane.keys('s');
      await chooseShell();
      await pane.keys('Enter');
      await pane.keys('-l', 'sh1');
      await pane.keys('Enter', 'C-u');
      await pane.keys('-l', 'proj-');
      await pane.keys('Tab');
      let screen = await until(pane, (s) => /proj-one\/ {2}proj-two\//.test(s), 'the two folders offered');
      expect(cwdRow(screen)).toMatch(/cwd +proj-$/);
      await pane.keys('-l', 'o');
      await pane.keys('Tab');
      await until(pane, (s) => /cwd +proj-one\/$/.test(cwdRow(s)), 'proj-one completed');
      await pane.keys('Tab');
      await until(pane, (s) => /cwd +proj-one\/sub\/$/.test(cwdRow(s)), 'its one subfolder completed');
      // Nothing left to complete: tab moves on, to the extra arguments.
      await pane.keys('Tab');
      await pane.keys('-l', '--', `-c 'echo extra-$((6*7)) in $(basename "$PWD"); exec bash --norc --noprofile -i'`);
      await until(pane, (s) => /^ args .*--noprofile -i'$/m.test(s), 'the arguments typed');
      await pane.keys('Enter', 'Enter', 'Enter');
      screen = await until(pane, (s) => s.includes('spawned sh1 (shell)') && s.includes('extra-42 in sub'), 'sh1 spawned in the folder, with the arguments');

      // The daemon remembers the folder: after a restart, a new TUI offers it for the shell.
      await pane.keys('q');
      await until(pane, (s) => !isTui(s) && s.includes('outer$'), 'the shell');
      expect((await drover(['daemon', 'restart'], { env })).exitCode).toBe(0);
      await pane.keys(`node '${DROVER_BIN}'`, 'Enter');
      await until(pane, (s) => isTui(s) && row(s, 'sh1') !== '', 'the TUI again');
      await pane.keys('s');
      await chooseShell();
      screen = await until(pane, (s) => cwdRow(s).includes('proj-one/sub'), 'the folder remembered');
      expect(cwdRow(screen)).toMatch(new RegExp(`cwd +${root}/proj-one/sub\\s*$`));
      await pane.keys('Escape');
      await until(pane, (s) => !s.includes('SPAWN AN AGENT'), 'the dialog closed');
      await pane.keys('q');
      await until(pane, (s) => !isTui(s), 'the shell');
    } finally {
      await pane.kill();
    }
  });
});
