import { describe, expect, it } from 'vitest';
import { Screen } from '../../src/terminal/screen.ts';

async function screenOf(bytes: string, cols = 20, rows = 5, scrollback?: number): Promise<Screen> {
  const screen = new Screen({ cols, rows, scrollback });
  screen.write(bytes);
  await screen.flush();
  return screen;
}

describe('Screen', () => {
  it('resolves carriage-return redraws into the final text', async () => {
    const screen = await screenOf('progress 10%\rprogress 55%\rprogress 99%\r\ndone');
    expect(screen.lines().slice(0, 2)).toEqual(['progress 99%', 'done']);
  });

  it('places cursor-addressed text where it was drawn, not glued together', async () => {
    const screen = await screenOf('\x1b[2;5Hright\x1b[1;1Hleft\x1b[3;1Hxx\x1b[1Dy');
    expect(screen.lines().slice(0, 3)).toEqual(['left', '    right', 'xy']);
    expect(screen.snapshot().cursor).toEqual({ x: 2, y: 2 });
  });

  it('reports the OSC 0/2 window title and the alternate screen', async () => {
    const screen = await screenOf('\x1b]0;first\x07\x1b]2;second\x1b\\\x1b[?1049hon alt');
    const snapshot = screen.snapshot();
    expect(snapshot.title).toBe('second');
    expect(snapshot.altScreen).toBe(true);
    expect(snapshot.lines[0]).toBe('on alt');
    screen.write('\x1b[?1049l');
    await screen.flush();
    expect(screen.altScreen).toBe(false);
    expect(screen.lines()[0]).toBe('');
  });

  it('gives styled runs with palette and RGB colours and attributes', async () => {
    const screen = await screenOf('\x1b[1;31mred\x1b[0m \x1b[38;2;1;2;3;4mrgb\x1b[0m \x1b[7minv\x1b[0m');
    const [row] = screen.snapshot({ styled: true }).styled!;
    expect(row).toEqual([
      { fg: 1, bold: true, text: 'red' },
      { text: ' ' },
      { fg: '#010203', underline: true, text: 'rgb' },
      { text: ' ' },
      { inverse: true, text: 'inv' },
    ]);
  });

  it('keeps wide characters whole', async () => {
    const screen = await screenOf('日本語ok');
    expect(screen.lines()[0]).toBe('日本語ok');
    expect(screen.snapshot({ styled: true }).styled![0]).toEqual([{ text: '日本語ok' }]);
  });

  it('hands back the same styled runs for a row whose cells did not change, and new ones for a row restyled or rewritten', async () => {
    const screen = await screenOf('\x1b[32mkeep\x1b[0m\r\nrecolour\r\nrewrite');
    const before = screen.snapshot({ styled: true }).styled!;
    // Every row redrawn (as an agent's TUI redraws its frame): the first with the same cells.
    screen.write('\x1b[H\x1b[32mkeep\x1b[0m\r\n\x1b[31mrecolour\x1b[0m\r\nrewrote');
    await screen.flush();
    const after = screen.snapshot({ styled: true }).styled!;
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toEqual([{ fg: 1, text: 'recolour' }]);
    expect(after[2]).toEqual([{ text: 'rewrote' }]);
    expect(after.slice(3)).toEqual(before.slice(3));
    // A scroll moves every row: each reads as it now is.
    screen.write('\r\n\r\n\r\nlast');
    await screen.flush();
    expect(screen.snapshot({ styled: true }).styled).toEqual([[{ fg: 1, text: 'recolour' }], [{ text: 'rewrote' }], [], [], [{ text: 'last' }]]);
  });

  it('serializes to bytes that redraw the same screen elsewhere', async () => {
    const original = await screenOf('\x1b[32mgreen\x1b[0m\r\n\x1b[4;3Hthere\x1b]0;t\x07');
    const copy = await screenOf(original.serialize());
    expect(copy.lines()).toEqual(original.lines());
    expect(copy.snapshot({ styled: true }).styled).toEqual(original.snapshot({ styled: true }).styled);
  });

  it('keeps the configured scrollback and joins wrapped lines in history', async () => {
    const numbered = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\r\n');
    const screen = await screenOf(`${numbered}\r\n${'x'.repeat(30)}`, 20, 5, 10);
    expect(screen.history(3)).toEqual(['line 28', 'line 29', 'x'.repeat(30)]);
    expect(screen.history(100)).toHaveLength(14); // 10 of scrollback + 5 visible rows, one pair joined
  });

  it('notifies after each parsed write, in order, and flags synchronized updates', async () => {
    const screen = new Screen({ cols: 20, rows: 3 });
    const seen: string[] = [];
    screen.onParsed(() => seen.push(`${screen.lines()[0]}|${screen.inSynchronizedUpdate}`));
    screen.write('a');
    screen.write('\x1b[?2026hb');
    screen.write('c\x1b[?2026l');
    await screen.flush();
    expect(seen).toEqual(['a|false', 'ab|true', 'abc|false']);
  });

  it('resizes', async () => {
    const screen = await screenOf('abcdef', 10, 3);
    screen.resize(4, 2);
    expect(screen.snapshot()).toMatchObject({ cols: 4, rows: 2 });
  });
});

describe('Screen.lines() reads only redrawn rows', () => {
  it('matches a fresh screen fed the same bytes, at every step of real recordings', async () => {
    const { openAsciicast } = await import('../../src/terminal/asciicast.ts');
    const { FIXTURES } = await import('../helpers/fixtures.ts');
    const path = await import('node:path');
    for (const name of ['terminal/top.cast', 'terminal/vim.cast', 'claude/basic-80x24.cast', 'opencode/deny-80x24.cast']) {
      const { header, events } = await openAsciicast(path.join(FIXTURES, name));
      const incremental = new Screen({ cols: header.width, rows: header.height });
      let sofar = '';
      let step = 0;
      for await (const event of events) {
        if (event.type !== 'o') continue;
        sofar += event.data;
        incremental.write(event.data);
        await incremental.flush();
        // Read after some writes only (redrawn rows accumulate in between, as under the tracker's
        // throttle), and check every 7th read against a fresh screen.
        if (step++ % 3 !== 0) continue;
        const seen = incremental.lines();
        if (step % 7 !== 1) continue;
        const fresh = await screenOf(sofar, header.width, header.height);
        expect(seen, `${name} after ${step} writes`).toEqual(fresh.lines());
        fresh.dispose();
      }
      incremental.dispose();
    }
  });
});

describe('a count larger than the screen', () => {
  // xterm loops once per unit of some counts: `CSI 10000000 L` alone held the daemon 80 s.
  const HUGE = 2147483647; // the largest count xterm's parser keeps
  const cols = 20;
  const rows = 6;
  // Scrollback and every row written, a scroll region, the cursor inside it after printing a
  // character (for b, repeat): each sequence has something to act on.
  const before = `${Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\r\n')}\x1b[2;5r\x1b[3;7Hx`;
  const after = 'after\r\nnext';
  const state = (screen: Screen) => ({ snapshot: screen.snapshot({ styled: true }), history: screen.history(100) });

  // Every CSI final that takes a count (ECMA-48, xterm's list), by the screen size that bounds it.
  const counted: Array<[final: string, bound: 'rows' | 'cols']> = [
    ['A', 'rows'], ['B', 'rows'], ['E', 'rows'], ['F', 'rows'], ['d', 'rows'], ['e', 'rows'], ['H', 'rows'], ['f', 'rows'],
    ['L', 'rows'], ['M', 'rows'], ['S', 'rows'], ['T', 'rows'],
    ['C', 'cols'], ['D', 'cols'], ['G', 'cols'], ['`', 'cols'], ['a', 'cols'], ['I', 'cols'], ['Z', 'cols'], ['b', 'cols'],
    ['@', 'cols'], ['P', 'cols'], ['X', 'cols'], [' @', 'cols'], [' A', 'cols'], ["'}", 'cols'], ["'~", 'cols'],
  ];
  for (const [final, bound] of counted) {
    it(`CSI ${HUGE} ${final} does at once what the count cut to the screen's ${bound} does`, async () => {
      const started = performance.now();
      const huge = await screenOf(`${before}\x1b[${HUGE}${final}${after}`, cols, rows);
      const elapsed = performance.now() - started;
      const clamped = await screenOf(`${before}\x1b[${bound === 'rows' ? rows : cols}${final}${after}`, cols, rows);
      expect(state(huge)).toEqual(state(clamped));
      expect(elapsed).toBeLessThan(2000); // the emulator alone takes tens of seconds to hours
    });
  }

  it('is cut the same when the sequence comes split across writes', async () => {
    const sequence = `${before}\x1b[${HUGE};1L${after}`;
    const whole = await screenOf(sequence, cols, rows);
    const split = new Screen({ cols, rows });
    for (const byte of sequence) split.write(byte);
    await split.flush();
    expect(state(split)).toEqual(state(whole));
    expect(state(whole)).toEqual(state(await screenOf(`${before}\x1b[${rows};1L${after}`, cols, rows)));
  });
});
