/**
 * Reading in the real `drover` TUI in tmux, on a private daemon and a shell agent in a git
 * repository: the preview scrolled back through the agent's scrollback and searched, long lines
 * wrapped, the preview zoomed to the whole screen, and the transcript and diff views.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, DROVER_BIN, privateDirs } from '../helpers/drover.ts';
import { TmuxPane } from '../helpers/tmux.ts';
import { until } from './tmux-tui.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-reading-'));
const env = privateDirs(root);

afterAll(async () => {
  await drover(['daemon', 'stop'], { env, timeout: 20_000 });
  rmSync(root, { recursive: true, force: true });
});

/** The title row of the preview (or of the whole-screen view): the second row. */
const titleOf = (screen: string) => screen.split('\n')[1] ?? '';
const isTui = (screen: string) => /^drover {2}\d+ working/.test(screen);
/** A 70-column line: wider than the preview pane at 80×24 (35 columns), narrower than the screen. */
const WIDE = `WIDE-${'x'.repeat(60)}-TAIL`;

describe('reading an agent in the TUI (80×24)', () => {
  it('scrolls back and searches the preview, wraps, zooms, and shows the transcript and the diff', { timeout: 180_000 }, async () => {
    const repo = path.join(root, 'repo');
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    writeFileSync(path.join(repo, 'notes.txt'), 'before\n');
    await execa('git', ['-C', repo, 'add', '.']);
    await execa('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'first']);
    const spawned = await drover(['spawn', 'shell', '--name', 'reader', '--cwd', repo, '--', '--norc', '--noprofile', '-i'], { env: { ...env, PS1: 'agent$ ' } });
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    const sent = await drover(['send', 'reader', `echo after > notes.txt; touch fresh.txt; seq 1 300 | sed s/^/row-/; echo ${WIDE}`, '--wait'], { env });
    expect(sent.exitCode, sent.stderr).toBe(0);

    // The folders on the command line: a tmux server already running keeps its own environment.
    const vars = ['XDG_STATE_HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME'].map((name) => `${name}='${env[name as keyof typeof env]}'`).join(' ');
    const pane = await TmuxPane.start(`env ${vars} node '${DROVER_BIN}'`, 80, 24);
    try {
      let screen = await until(pane, (s) => isTui(s) && s.includes('row-300') && s.includes('WIDE-x'), 'the preview with the output');
      expect(titleOf(screen)).toMatch(/reader · /);
      expect(screen).not.toContain('-TAIL'); // cropped at the pane's edge
      // At 80 columns the footer keeps `? help` last and the help scrolls: its last page has the detach key.
      expect(screen.split('\n').at(-1)).toMatch(/enter attach .*\? help\s*$/);
      await pane.keys('?');
      const firstPage = await until(pane, (s) => /KEYS {2}1–\d+ of \d+/.test(s), 'the help, scrollable');
      await pane.keys('PageDown');
      const secondPage = await until(pane, (s) => /KEYS {2}(?!1–)\d+–/.test(s), 'the help, a page on');
      for (const key of [/pageup +scroll the preview back/, /z +zoom the preview or back/, /w +wrap or crop long lines/, /t +read its transcript/, /D +read its diff \(by git\)/]) {
        expect(firstPage + secondPage).toMatch(key);
      }
      await pane.keys('G');
      await until(pane, (s) => /C-\] +detach; it runs on/.test(s), 'the end of the help');
      await pane.keys('Escape');
      await until(pane, (s) => s.includes('AGENTS 1'), 'the help closed');

      // Wrap: the wide line's end comes into the pane, on the row below; w again crops it.
      await pane.keys('w');
      await until(pane, (s) => s.includes('x-TAIL'), 'the wide line wrapped');
      await pane.keys('w');
      await until(pane, (s) => !s.includes('-TAIL') && s.includes('WIDE-x'), 'the wide line cropped again');

      // Scroll back: a page above the live view, then the first row, then back down.
      await pane.keys('PageUp');
      screen = await until(pane, (s) => /reader · scrollback \d+–\d+\/\d+/.test(titleOf(s)), 'the scrollback');
      expect(screen).not.toContain('row-300');
      expect(screen.split('\n').at(-1)).toContain('/ search');
      await pane.keys('g');
      screen = await until(pane, (s) => / scrollback 1–/.test(titleOf(s)), 'the top of the scrollback');
      await pane.keys('j');
      await until(pane, (s) => / scrollback 2–/.test(titleOf(s)), 'a line down');
      // The wheel: the TUI asked the terminal for mouse reports while reading; a notch down is 3 rows.
      expect(await pane.format('#{mouse_sgr_flag} #{mouse_standard_flag}')).toBe('1 1');
      await pane.keys('-l', '\x1b[<65;60;10M');
      await until(pane, (s) => / scrollback 5–/.test(titleOf(s)), 'the wheel scrolling');

      // Search: the match is brought into view and counted; n goes round to it again.
      await pane.keys('/');
      await until(pane, (s) => s.split('\n').at(-1)!.startsWith('search /'), 'the search field');
      await pane.keys('-l', 'row-250');
      await pane.keys('Enter');
      screen = await until(pane, (s) => titleOf(s).includes('reader · /row-250 1/1 · scroll') && s.includes('row-250'), 'the match');
      expect(screen).not.toMatch(/row-1\b/);
      // Highlighted: the match on a bright cyan ground (tmux's -e gives the styles), the rows around it not.
      const styled = await pane.captureStyled();
      const rowOf = (text: string) => styled.find((line) => stripVTControlCharacters(line).endsWith(`│${text}`));
      expect(rowOf('row-250')).toMatch(/\x1b\[[0-9;]*106[0-9;]*mrow-250/);
      expect(rowOf('row-249')).toMatch(/row-249$/);
      expect(rowOf('row-249')).not.toMatch(/\x1b\[[0-9;]*10[36][0-9;]*mrow-249/);
      await pane.keys('n');
      await until(pane, (s) => s.includes('search went on from the top'), 'the search going round');
      await pane.keys('/');
      await pane.keys('-l', 'nowhere-to-be-found');
      await pane.keys('Enter');
      await until(pane, (s) => s.includes('✗ no match for "nowhere-to-be-found"'), 'no match');

      // Esc: the live preview again, following the agent.
      await pane.keys('Escape');
      screen = await until(pane, (s) => / reader · (done|idle|working)$/.test(titleOf(s).trimEnd()) && s.includes('row-300'), 'the live preview again');
      expect(await pane.format('#{mouse_sgr_flag} #{mouse_standard_flag}')).toBe('0 0'); // text selects as usual again
      expect(screen.split('\n').at(-1)).toContain('enter attach');

      // Zoom: the preview takes the whole screen (the wide line fits), and z gives the panes back.
      await pane.keys('z');
      screen = await until(pane, (s) => s.includes(WIDE) && !s.includes('AGENTS'), 'the zoomed preview');
      expect(screen).not.toContain('APPROVALS');
      await pane.keys('z');
      await until(pane, (s) => s.includes('AGENTS 1') && !s.includes(WIDE), 'the panes again');

      // The transcript, full screen: the recording as text, from its end; q closes it.
      await pane.keys('t');
      screen = await until(pane, (s) => /reader · transcript \d+–\d+\/\d+/.test(titleOf(s)) && s.includes('row-300'), 'the transcript');
      expect(screen).not.toContain('AGENTS');
      await pane.keys('g');
      await until(pane, (s) => s.includes('agent$ echo after > notes.txt'), 'the transcript from its start');
      await pane.keys('q');
      await until(pane, (s) => s.includes('AGENTS 1') && / reader · (done|idle|working)$/.test(titleOf(s).trimEnd()), 'the panes after the transcript');

      // The diff, full screen: what git says changed, and the untracked file; esc closes it.
      await pane.keys('D');
      screen = await until(pane, (s) => titleOf(s).includes('reader · diff') && s.includes('+after'), 'the diff');
      expect(screen).toContain('-before');
      expect(screen).toContain('untracked files (new, not in git yet):');
      expect(screen).toContain('  fresh.txt');
      await pane.keys('Escape');
      await until(pane, (s) => s.includes('AGENTS 1'), 'the panes after the diff');

      await pane.keys('q');
      await until(pane, (s) => !isTui(s), 'the TUI gone');
    } finally {
      await pane.kill();
    }
  });
});
