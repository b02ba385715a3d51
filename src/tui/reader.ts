/**
 * Reading an agent's text at leisure: its terminal scrolled back (scrollback and screen, as they
 * were when the reading began: live output does not move it), its recording as text, or what it
 * changed (git's diff) — by line and page, wrapped or scrolled sideways, searched. The scrollback
 * is read in the preview pane (or full screen, zoomed); the transcript and the diff full screen.
 */
import { MAX_BUFFER_ROWS } from '../protocol/schema.ts';
import type { Client } from '../client/client.ts';
import { previewArea, type Area } from './layout.ts';
import { runsWidth, styledSlice } from './screen-lines.ts';
import { selectedAgent, type Reader, type ReaderView, type StyledRun, type TextPlace, type TuiState } from './state.ts';
import type { TuiStore } from './store.ts';
import { textField } from './text-field.ts';
import { fitColumns } from './text-width.ts';

/** What the reader's keys need of the TUI. */
interface TuiContext {
  store: TuiStore;
  client: Client;
}

/** A row on screen: a line's columns from `from` (wrapped lines take several). */
interface Row {
  line: number;
  from: number;
}

/** Whether the preview takes the whole screen: zoomed, or a transcript or diff being read. */
export function fullScreen(state: TuiState): boolean {
  return state.zoom || (state.reader !== undefined && state.reader.view !== 'scrollback');
}

export function readerArea(state: TuiState): Area {
  return previewArea(state.size, fullScreen(state));
}

const laidOut = new WeakMap<readonly StyledRun[][], { width: number; wrap: boolean; rows: Row[] }>();

/** The reader's lines as rows `width` wide: one per line, or as many as each wraps onto. */
function rowsOf(lines: readonly StyledRun[][], width: number, wrap: boolean): Row[] {
  const known = laidOut.get(lines);
  if (known && known.width === width && known.wrap === wrap) return known.rows;
  const rows: Row[] = [];
  lines.forEach((runs, line) => {
    const pieces = wrap ? Math.max(1, Math.ceil(runsWidth(runs) / width)) : 1;
    for (let piece = 0; piece < pieces; piece++) rows.push({ line, from: piece * width });
  });
  laidOut.set(lines, { width, wrap, rows });
  return rows;
}

/** Smart case: a query with a capital letter matches case, one without does not. */
function folded(query: string): { needle: string; fold: (text: string) => string } {
  const sensitive = query !== query.toLowerCase();
  const fold = sensitive ? (text: string) => text : (text: string) => text.toLowerCase();
  return { needle: fold(query), fold };
}

/** Every match of `query` in a line: their start indices. */
function matchesIn(text: string, query: string): number[] {
  const { needle, fold } = folded(query);
  const haystack = fold(text);
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0 && needle; at = haystack.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

/**
 * The match of `query` nearest `from` in `direction` (`from` itself included), going round the
 * ends; `wrapped` when it went round.
 */
export function findMatch(text: readonly string[], query: string, from: TextPlace, direction: 1 | -1): { match: TextPlace; wrapped: boolean } | undefined {
  const { needle, fold } = folded(query);
  if (!needle || text.length === 0) return undefined;
  for (let step = 0; step <= text.length; step++) {
    const line = (from.line + direction * step + text.length * 2) % text.length;
    const haystack = fold(text[line]!);
    const wrapped = direction > 0 ? line < from.line : line > from.line;
    let index: number;
    if (step === 0) index = direction > 0 ? haystack.indexOf(needle, from.index) : from.index < 0 ? -1 : haystack.lastIndexOf(needle, from.index);
    else if (step === text.length) {
      // Round to the line it began on: the part of it not searched yet.
      const first = direction > 0 ? haystack.indexOf(needle) : haystack.lastIndexOf(needle);
      index = (direction > 0 ? first < from.index : first > from.index) ? first : -1;
    }
    else index = direction > 0 ? haystack.indexOf(needle) : haystack.lastIndexOf(needle);
    if (index >= 0) return { match: { line, index }, wrapped: wrapped || step === text.length };
  }
  return undefined;
}

/** How many matches the whole text holds, and which of them `match` is (from 1). */
function countMatches(text: readonly string[], query: string, match: TextPlace): { count: number; ordinal: number } {
  let count = 0;
  let ordinal = 0;
  text.forEach((line, at) => {
    for (const index of matchesIn(line, query)) {
      count++;
      if (at < match.line || (at === match.line && index <= match.index)) ordinal = count;
    }
  });
  return { count, ordinal };
}

/** The runs with the search's matches marked: the current one apart from the rest. */
function highlighted(runs: readonly StyledRun[], text: string, search: Reader['search'], line: number, colour: boolean): readonly StyledRun[] {
  if (!search?.query) return runs;
  const starts = matchesIn(text, search.query);
  if (starts.length === 0) return runs;
  const other: Partial<StyledRun> = colour ? { fg: 0, bg: 11 } : { underline: true };
  const current: Partial<StyledRun> = colour ? { fg: 0, bg: 14, bold: true } : { inverse: true, bold: true };
  const styleAt = (index: number): Partial<StyledRun> | undefined => {
    const start = starts.find((s) => s <= index && index < s + search.query.length);
    if (start === undefined) return undefined;
    return search.match?.line === line && search.match.index === start ? current : other;
  };
  const out: StyledRun[] = [];
  let index = 0;
  for (const run of runs) {
    let piece = '';
    let pieceStyle: Partial<StyledRun> | undefined;
    const flush = () => {
      if (piece) out.push(pieceStyle ? { ...run, inverse: undefined, underline: undefined, ...pieceStyle, text: piece } : { ...run, text: piece });
      piece = '';
    };
    for (let i = 0; i < run.text.length; i++, index++) {
      const style = styleAt(index);
      if (style !== pieceStyle) flush();
      pieceStyle = style;
      piece += run.text[i];
    }
    flush();
  }
  return out;
}

/** The reader's rows in `area`: what the painter puts in the preview. */
export function readerRows(reader: Reader, area: Area, wrap: boolean, colour: boolean): string[] {
  if (!reader.lines || !reader.text) return [`\x1b[2mloading ${reader.view} of ${reader.name}…\x1b[22m`];
  const rows = rowsOf(reader.lines, area.width, wrap);
  const left = wrap ? 0 : reader.left;
  return rows.slice(reader.top, reader.top + area.height).map(({ line, from }) => {
    const runs = highlighted(reader.lines![line]!, reader.text![line]!, reader.search, line, colour);
    return styledSlice(runs, from + left, area.width, colour);
  });
}

/** The title row over a reader, short enough for the pane at 80×24: what is read, which lines, the search. */
export function readerTitle(reader: Reader, state: TuiState): string {
  if (!reader.lines) return `${reader.name} · ${reader.view} · loading…`;
  const area = readerArea(state);
  const rows = rowsOf(reader.lines, area.width, state.wrap);
  const last = rows[Math.min(rows.length, reader.top + area.height) - 1];
  const shown = last ? ` ${rows[reader.top]!.line + 1}–${last.line + 1}/${reader.lines.length}` : ' (empty)';
  const side = !state.wrap && reader.left > 0 ? ` · from column ${reader.left + 1}` : '';
  // The search first: it is what a narrow title keeps.
  const search = reader.search ? ` · /${reader.search.query} ${reader.search.ordinal}/${reader.search.count}` : '';
  return `${reader.name}${search} · ${reader.view}${shown}${side}${state.wrap ? ' · wrapped' : ''}`;
}

function withReader(state: TuiState, change: (reader: Reader, rows: Row[], area: Area) => Partial<Reader>): TuiState {
  const reader = state.reader;
  if (!reader?.lines) return state;
  const area = readerArea(state);
  const rows = rowsOf(reader.lines, area.width, state.wrap);
  const next = { ...reader, ...change(reader, rows, area) };
  const top = Math.max(0, Math.min(next.top, rows.length - area.height));
  return { ...state, reader: { ...next, top, left: Math.max(0, next.left) } };
}

/**
 * The state after `change` (wrap or zoom toggled: the rows are laid out anew), the reader still
 * showing the line it showed at the top.
 */
export function keepingPlace(state: TuiState, change: (state: TuiState) => TuiState): TuiState {
  const reader = state.reader;
  const next = change(state);
  if (!reader?.lines) return next;
  const line = rowsOf(reader.lines, readerArea(state).width, state.wrap)[reader.top]?.line ?? 0;
  return withReader(next, (_, rows) => ({ top: Math.max(0, rows.findIndex((row) => row.line === line)) }));
}

/** Scrolls by `delta` rows (±Infinity: to an end). */
function scrollBy(state: TuiState, delta: number): TuiState {
  return withReader(state, (reader) => ({ top: reader.top + delta }));
}

/** The reader scrolled to show `match` (a third down the view when it had to move), and sideways to it when not wrapped. */
function reveal(state: TuiState, match: TextPlace): TuiState {
  return withReader(state, (reader, rows, area) => {
    const column = fitColumns(reader.text![match.line]!.slice(0, match.index), Infinity)[1];
    const at = rows.findIndex((row) => row.line === match.line && (!state.wrap || column < row.from + area.width));
    const top = at >= reader.top && at < reader.top + area.height ? reader.top : at - Math.floor(area.height / 3);
    const queryWidth = fitColumns(reader.search?.query ?? '', Infinity)[1];
    const visible = column >= reader.left && column + queryWidth <= reader.left + area.width;
    const left = state.wrap || visible ? reader.left : Math.max(0, column - Math.floor(area.width / 3));
    return { top, left };
  });
}

/** The lines of what is read, as runs and text. */
function loaded(lines: StyledRun[][]): Pick<Reader, 'lines' | 'text'> {
  return { lines, text: lines.map((runs) => runs.map((run) => run.text).join('')) };
}

const plain = (line: string): StyledRun[] => (line ? [{ text: line }] : []);

/** A diff line coloured as git colours it: files in bold, hunks cyan, additions green, removals red. */
function diffLine(line: string): StyledRun[] {
  if (/^(diff --git|index |--- |\+\+\+ |new file|deleted file|similarity|rename )/.test(line)) return [{ text: line, bold: true }];
  if (line.startsWith('@@')) return [{ text: line, fg: 6 }];
  if (line.startsWith('+')) return [{ text: line, fg: 2 }];
  if (line.startsWith('-')) return [{ text: line, fg: 1 }];
  return plain(line);
}

async function fetchLines(context: TuiContext, view: ReaderView, agent: string): Promise<StyledRun[][]> {
  const { client } = context;
  if (view === 'scrollback') {
    const { lines, styled } = await client.call('agents.buffer', { agent, count: MAX_BUFFER_ROWS, styled: true });
    const runs = styled ?? lines.map(plain);
    // The blank rows below the last written one are nothing to read.
    let end = runs.length;
    while (end > 0 && lines[end - 1] === '') end--;
    return runs.slice(0, end);
  }
  if (view === 'transcript') return (await client.call('agents.transcript', { agent })).lines.map(plain);
  const { cwd, diff, untracked, truncated } = await client.call('agents.diff', { agent });
  const lines = diff ? diff.split('\n').map(diffLine) : [plain(`no changes to tracked files in ${cwd} (git diff HEAD is empty)`)];
  if (truncated) lines.push([{ text: '(the diff goes on: drover diff NAME shows it all)', dim: true }]);
  if (untracked.length > 0) lines.push([], [{ text: 'untracked files (new, not in git yet):', bold: true }], ...untracked.map((file) => [{ text: `  ${file}`, fg: 2 }]));
  return lines;
}

/**
 * Opens a reader on the selected agent: its scrollback one page above the live view's, its
 * transcript at the end (the latest), its diff at the top.
 */
export async function openReader(context: TuiContext, view: ReaderView): Promise<void> {
  const { store } = context;
  const agent = selectedAgent(store.getState());
  if (!agent) return store.tell('no agent selected');
  const reader: Reader = { view, agent: agent.id, name: agent.name, top: 0, left: 0 };
  store.update((s) => ({ ...s, reader }));
  const still = (s: TuiState) => s.reader?.agent === agent.id && s.reader.view === view;
  try {
    const lines = await fetchLines(context, view, agent.id);
    store.update((s) => {
      if (!still(s)) return s;
      const opened = { ...s, reader: { ...s.reader!, ...loaded(lines) } };
      if (view === 'diff') return opened;
      const end = scrollBy(opened, Infinity);
      return view === 'scrollback' ? scrollBy(end, -readerArea(end).height) : end;
    });
  } catch (error) {
    store.update((s) => (still(s) ? { ...s, reader: undefined } : s));
    store.fail(`${view} of ${agent.name}`, error);
  }
}

/** The reader on the match of `query` nearest `from` in `direction`, with a notice when there is none or the search went round. */
function search(state: TuiState, query: string, from: TextPlace, direction: 1 | -1): TuiState {
  const reader = state.reader;
  if (!reader?.text) return state;
  const found = findMatch(reader.text, query, from, direction);
  const counted = found ? countMatches(reader.text, query, found.match) : { count: 0, ordinal: 0 };
  const withSearch = { ...state, reader: { ...reader, search: { query, match: found?.match, ...counted } } };
  if (!found) return { ...withSearch, notice: { text: `no match for "${query}"`, error: true } };
  const round = found.wrapped ? { notice: { text: `search went on from the ${direction > 0 ? 'top' : 'bottom'}`, error: false } } : {};
  return { ...reveal(withSearch, found.match), ...round };
}

/** Enter in the search field: the first match from the top of the view on. */
export function submitSearch(context: TuiContext, query: string): void {
  const { store } = context;
  store.update((s) => {
    const closed: TuiState = { ...s, mode: { kind: 'normal' } };
    const reader = s.reader;
    if (!reader?.lines || !query) return { ...closed, reader: reader && { ...reader, search: undefined } };
    const row = rowsOf(reader.lines, readerArea(s).width, s.wrap)[reader.top];
    return search(closed, query, { line: row?.line ?? 0, index: 0 }, 1);
  });
}

/** What a reader's key (see keymap's modeKeys) does to the state; undefined for a key that is not one. */
function readerChange(state: TuiState, name: string): ((state: TuiState) => TuiState) | undefined {
  const reader = state.reader!;
  const area = readerArea(state);
  const move = (delta: number) => (s: TuiState) => scrollBy(s, delta);
  const close = (s: TuiState): TuiState => ({ ...s, reader: undefined });
  const tell = (text: string) => (s: TuiState): TuiState => ({ ...s, notice: { text, error: false } });
  switch (name) {
    case 'j':
    case 'down':
      return move(1);
    case 'k':
    case 'up':
      return move(-1);
    case 'pagedown':
    case ' ': {
      // Past the end of the scrollback: the live screen again.
      const atEnd = reader.lines !== undefined && scrollBy(state, 1).reader?.top === reader.top;
      return atEnd && reader.view === 'scrollback' ? close : move(area.height);
    }
    case 'pageup':
    case 'b':
      return move(-area.height);
    case 'g':
    case 'home':
      return move(-Infinity);
    case 'G':
    case 'end':
      return move(Infinity);
    case 'h':
    case 'left':
    case 'l':
    case 'right': {
      if (state.wrap) return tell('lines are wrapped: w crops them, then ← → scroll sideways');
      const delta = (name === 'h' || name === 'left' ? -1 : 1) * Math.max(1, Math.floor(area.width / 2));
      return (s) => withReader(s, (r) => ({ left: r.left + delta }));
    }
    case '/':
      return (s) => ({ ...s, mode: { kind: 'search', text: textField() } });
    case 'n':
    case 'N': {
      const current = reader.search;
      if (!current?.query) return tell('no search yet: / searches');
      const direction = name === 'n' ? 1 : -1;
      const at = current.match ?? { line: 0, index: direction > 0 ? -1 : 0 };
      return (s) => search(s, current.query, { line: at.line, index: at.index + direction }, direction);
    }
    case 'esc':
    case 'q':
      return close;
  }
  return undefined;
}

/** A key while a reader is open: true when it was one of the reader's. */
export function readerKey(store: TuiStore, name: string): boolean {
  const change = readerChange(store.getState(), name);
  if (change) store.update(change);
  return change !== undefined;
}

/** Rows a notch of the mouse wheel scrolls. */
const WHEEL_ROWS = 3;

/**
 * A mouse report as Ink hands it on (SGR, its escape taken off: `[<64;10;5M`): -1 for the wheel
 * up, 1 down, 0 for any other button or motion (ignored); undefined when it is not a mouse report.
 */
export function wheelOf(input: string): -1 | 0 | 1 | undefined {
  const report = /^\[<(\d+);\d+;\d+[Mm]$/.exec(input);
  if (!report) return undefined;
  // Bits 0-1: the button; 64: a wheel; 4, 8, 16: shift, meta, ctrl.
  const code = Number(report[1]) & ~(4 | 8 | 16);
  return code === 64 ? -1 : code === 65 ? 1 : 0;
}

/** The wheel in a reader: a few rows up or down. */
export function readerWheel(store: TuiStore, direction: -1 | 0 | 1): void {
  if (direction !== 0) store.update((s) => scrollBy(s, direction * WHEEL_ROWS));
}
