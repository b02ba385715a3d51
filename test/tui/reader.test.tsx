/**
 * Reading in the TUI, with ink-testing-library against a scripted daemon: the preview scrolled
 * back through the buffer the daemon serves, searched, wrapped, scrolled sideways and zoomed, and
 * the transcript and diff views.
 */
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcError } from '../../src/protocol/errors.ts';
import { agent, FakeClient, screen } from './fake-client.ts';
import { KEYS, renderTui } from './harness.tsx';

type Tui = Awaited<ReturnType<typeof renderTui>>;
let tui: Tui | undefined;
afterEach(() => tui?.dispose());

const PAGE_UP = '\x1b[5~';
const PAGE_DOWN = '\x1b[6~';
/** 200 lines of scrollback and screen, then a line wider than the preview pane. */
const BUFFER = [...Array.from({ length: 200 }, (_, i) => `line-${i + 1}`), `WIDE-${'x'.repeat(60)}-TAIL`, 'agent$', '', ''];

function daemon() {
  return new FakeClient({
    'agents.list': () => ({ agents: [agent('alpha', 'idle'), agent('beta', 'idle', { cwd: '/elsewhere' })] }),
    'inbox.list': () => ({ messages: [] }),
    'approvals.list': () => ({ approvals: [] }),
    'agents.subscribe': ({ agent: id }) => ({ agent: id, ...screen([`live screen of ${id}`, `WIDE-${'x'.repeat(60)}-TAIL`]) }),
    'agents.unsubscribe': () => ({}),
    'agents.buffer': ({ count }) => ({ total: BUFFER.length, start: Math.max(0, BUFFER.length - count), lines: BUFFER.slice(-count), styled: BUFFER.map((text) => (text ? [{ text }] : [])) }),
    'agents.transcript': () => ({ recording: '/r/alpha.cast', lines: ['$ make', 'compiling', 'done building'] }),
    'agents.diff': ({ agent: id }) => {
      if (id === 'id-beta') throw new RpcError('beta works in /elsewhere, which is not in a git repository: nothing to diff', -32000);
      return { cwd: '/tmp', diff: 'diff --git a/f b/f\n@@ -1 +1 @@\n-old line\n+new line', untracked: ['fresh.txt'] };
    },
  });
}

/** The preview pane's rows as text (80×24: the pane's text starts at column 45). */
const paneRows = (t: Tui) => t.previewRows().map((row) => stripVTControlCharacters(row));
const title = (t: Tui) => t.frame().split('\n')[1] ?? '';

describe('reading in the TUI', () => {
  it('scrolls the preview back through the buffer, a line and a page at a time, and pgdn at the end is live again', async () => {
    tui = await renderTui({ client: daemon() });
    await tui.until('live screen of id-alpha');
    await tui.type(PAGE_UP);
    await tui.until((f) => /alpha · scrollback 173–187\/202/.test(f));
    expect(tui.client.callsTo('agents.buffer')).toEqual([{ agent: 'id-alpha', count: 10_000, styled: true }]);
    // The blank rows below the prompt are not read; the page above the live view's is shown.
    expect(paneRows(tui)).toEqual(BUFFER.slice(172, 187).map((line) => line.slice(0, 35)));
    expect(tui.frame().split('\n').at(-1)).toContain('/ search');
    await tui.type('g');
    await tui.until((f) => f.includes('scrollback 1–15/202'));
    expect(paneRows(tui)[0]).toBe('line-1');
    await tui.type('j', KEYS.down);
    await tui.until((f) => f.includes('scrollback 3–17/202'));
    await tui.type('k');
    await tui.until((f) => f.includes('scrollback 2–16/202'));
    await tui.type('G');
    await tui.until((f) => f.includes('scrollback 188–202/202'));
    expect(paneRows(tui).at(-1)).toBe('agent$');
    await tui.type(PAGE_DOWN);
    await tui.until((f) => f.includes('live screen of id-alpha') && !f.includes('scrollback'));
    expect(title(tui)).toMatch(/alpha · idle/);
  });

  it('turns mouse reporting on only while reading, and scrolls on the wheel (other buttons do nothing)', async () => {
    tui = await renderTui({ client: daemon() });
    await tui.until('live screen of id-alpha');
    await tui.type('\x1b[<65;60;10M'); // the wheel over the live preview: not reported there, and nothing happens
    expect(tui.mouse).toEqual([]);
    await tui.type(PAGE_UP);
    await tui.until('scrollback 173–187');
    expect(tui.mouse).toEqual([true]);
    await tui.type('\x1b[<64;60;10M');
    await tui.until('scrollback 170–184');
    await tui.type('\x1b[<65;60;10M', '\x1b[<65;60;10M', '\x1b[<0;60;10M', '\x1b[<0;60;10m');
    await tui.until('scrollback 176–190');
    expect(tui.frame()).toContain('scrollback 176–190'); // the click and release scrolled nothing, typed nothing
    await tui.type(KEYS.esc);
    await tui.until((f) => f.includes('live screen of id-alpha'));
    expect(tui.mouse).toEqual([true, false]);
  });

  it('searches with / (smart case), n and N going round, the current match highlighted apart from the others', async () => {
    tui = await renderTui({ client: daemon(), colour: true });
    await tui.until('live screen of id-alpha');
    await tui.type(PAGE_UP);
    await tui.until('scrollback 173–187');
    await tui.type('/');
    await tui.until((f) => f.split('\n').at(-1)!.startsWith('search /'));
    await tui.type('LINE-19');
    await tui.type(KEYS.enter);
    await tui.until((f) => f.includes('✗ no match for "LINE-19"')); // a capital: case counts
    await tui.type('/', 'line-19', KEYS.enter);
    // From the top of the view (line 173) on: line-190 is the first, the second of 11 (line-19, line-190…199).
    await tui.until((f) => f.includes('alpha · /line-19 2/11 · scroll'));
    const rowWith = (text: string) => tui!.previewRows().find((row) => stripVTControlCharacters(row) === text)!;
    expect(rowWith('line-190')).toContain('\x1b[1;30;106mline-19');
    expect(rowWith('line-191')).toContain('\x1b[30;103mline-19');
    expect(rowWith('line-189')).toBe('line-189');
    await tui.type('n');
    await tui.until('/line-19 3/11');
    expect(rowWith('line-191')).toContain('\x1b[1;30;106mline-19');
    await tui.type('N', 'N');
    await tui.until((f) => f.includes('/line-19 1/11') && !f.includes('went on'));
    expect(rowWith('line-19')).toContain('\x1b[1;30;106mline-19');
    await tui.type('N');
    await tui.until((f) => f.includes('/line-19 11/11') && f.includes('search went on from the bottom'));
    await tui.type('n');
    await tui.until((f) => f.includes('/line-19 1/11') && f.includes('search went on from the top'));
    await tui.type(KEYS.esc);
    await tui.until((f) => f.includes('live screen of id-alpha'));
  });

  it('wraps long lines in the live preview and the reader, or scrolls sideways; z zooms the preview to the whole screen', async () => {
    tui = await renderTui({ client: daemon() });
    await tui.until('live screen of id-alpha');
    expect(tui.frame()).not.toContain('-TAIL');
    await tui.type('w');
    await tui.until((f) => f.includes('x-TAIL'));
    expect(paneRows(tui).slice(-2)).toEqual([`WIDE-${'x'.repeat(30)}`, `${'x'.repeat(30)}-TAIL`]);
    await tui.type('w');
    await tui.until((f) => !f.includes('-TAIL'));

    // Sideways in the reader: half a pane at a time.
    await tui.type(PAGE_UP, 'G');
    await tui.until('scrollback 188–202');
    await tui.type('l');
    await tui.until(() => paneRows(tui!).includes('x'.repeat(35)));
    await tui.type('l');
    await tui.until(() => paneRows(tui!).includes(`${'x'.repeat(31)}-TAI`));
    await tui.type('w');
    await tui.until(() => paneRows(tui!).includes(`${'x'.repeat(30)}-TAIL`));
    await tui.type('w', 'h', 'h');
    await tui.until(() => paneRows(tui!).includes(`WIDE-${'x'.repeat(30)}`));

    // Zoom: the reader takes the whole screen (80 columns), and back.
    await tui.type('z');
    await tui.until((f) => !f.includes('AGENTS') && f.includes(`WIDE-${'x'.repeat(60)}-TAIL`));
    expect(tui.frame().split('\n')).toHaveLength(24);
    await tui.type('z', 'q');
    await tui.until((f) => f.includes('AGENTS 2') && f.includes('live screen of id-alpha'));
    // Zoomed live: the list and the bottom panes give way; j still moves the selection.
    await tui.type('z');
    await tui.until((f) => !f.includes('AGENTS') && f.includes('live screen of id-alpha'));
    await tui.type('j');
    await tui.until((f) => f.includes('live screen of id-beta') && /beta · idle/.test(title(tui!)));
    await tui.type('z');
    await tui.until('AGENTS 2');
  });

  it('opens the transcript and the diff full screen, closes them with q and esc, and says why there is no diff', async () => {
    tui = await renderTui({ client: daemon(), colour: true });
    await tui.until('live screen of id-alpha');
    await tui.type('t');
    await tui.until((f) => f.includes('alpha · transcript 1–3/3') && f.includes('done building'));
    expect(tui.frame()).not.toContain('AGENTS');
    expect(tui.client.callsTo('agents.transcript')).toEqual([{ agent: 'id-alpha' }]);
    await tui.type('q');
    await tui.until((f) => f.includes('AGENTS 2') && !f.includes('done building'));

    await tui.type('D');
    await tui.until((f) => f.includes('alpha · diff 1–7/7') && f.includes('+new line'));
    const rows = tui.previewRows();
    expect(rows.find((row) => row.includes('+new line'))).toBe('\x1b[32m+new line\x1b[0m');
    expect(rows.find((row) => row.includes('-old line'))).toBe('\x1b[31m-old line\x1b[0m');
    expect(stripVTControlCharacters(rows.join('\n'))).toBe(['diff --git a/f b/f', '@@ -1 +1 @@', '-old line', '+new line', '', 'untracked files (new, not in git yet):', '  fresh.txt'].join('\n'));
    await tui.type(KEYS.esc);
    await tui.until((f) => f.includes('AGENTS 2'));

    await tui.type('j', 'D');
    await tui.until('✗ diff of beta: beta works in /elsewhere, which is not in a git repository');
    expect(tui.frame()).toContain('AGENTS 2');
  });
});
