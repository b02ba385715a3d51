/**
 * The composited screen: what a person would see in a terminal after every cursor move, carriage
 * return and redraw has been resolved. Wraps @xterm/headless; nothing in drover reads raw bytes.
 */
import xtermHeadless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import type { IBufferCell, IBufferLine, Terminal as XtermTerminal } from '@xterm/headless';

const { Terminal } = xtermHeadless;
const { SerializeAddon } = serializeAddon;

export interface ScreenOptions {
  cols: number;
  rows: number;
  /** Lines kept above the viewport. */
  scrollback?: number;
}

/** A colour: a palette index (0–255) or `#rrggbb`; absent means the terminal default. */
export type Colour = number | string;

export interface CellStyle {
  fg?: Colour;
  bg?: Colour;
  bold?: true;
  dim?: true;
  italic?: true;
  underline?: true;
  inverse?: true;
}

/** A run of adjacent cells on one row sharing one style. */
export interface StyledRun extends CellStyle {
  text: string;
}

export interface ScreenSnapshot {
  cols: number;
  rows: number;
  /** Visible rows as text, trailing spaces trimmed. */
  lines: string[];
  cursor: { x: number; y: number };
  altScreen: boolean;
  /** Window title from OSC 0/2. */
  title: string;
  /** Visible rows as styled runs, for rendering (only when asked for). */
  styled?: StyledRun[][];
}

/** Rows of a screen's buffer (scrollback and screen): Screen.bufferRows. */
export interface BufferRows {
  /** Rows in the buffer now. */
  total: number;
  /** The index of the first row given. */
  start: number;
  lines: string[];
  styled?: StyledRun[][];
}

export const DEFAULT_SCROLLBACK = 5000;

/**
 * CSI sequences whose count xterm acts on one unit at a time — a line inserted, deleted or scrolled,
 * a tab stop passed, a character repeated — so `CSI 10000000 L` held the emulator (and the daemon)
 * 80 s. Past the screen's size a count changes nothing more on screen: the lines of the scroll
 * region are all blank, the cursor stays at the last tab stop. Repeat (b) is cut to one row of
 * characters, still more than tmux prints (the rest of the row).
 */
const COUNT_BOUNDS: ReadonlyArray<readonly [final: string, bound: 'rows' | 'cols']> = [
  ['L', 'rows'], // insert lines
  ['M', 'rows'], // delete lines
  ['S', 'rows'], // scroll up
  ['T', 'rows'], // scroll down
  ['I', 'cols'], // tab forward
  ['Z', 'cols'], // tab back
  ['b', 'cols'], // repeat the last character
];

/** A CSI sequence's params as xterm's parser holds them. */
interface CsiParams {
  readonly length: number;
  readonly params: Int32Array;
}

/**
 * xterm's core, whose CSI handlers get the parser's own params: the public `parser` API hands a
 * copy, so a handler there cannot change what the built-in handler after it sees.
 */
interface ParserCore {
  registerCsiHandler(id: { final: string }, handler: (params: CsiParams) => boolean): unknown;
}

/** The part of xterm's (internal) input handler that says which rows a write touched. */
interface RefreshSource {
  onRequestRefreshRows(listener: (range: { start: number; end: number } | undefined) => void): unknown;
}

/**
 * xterm's (internal) row behind the public line view: three words per cell (content, then colours
 * and attributes), and the text of cells holding a combined character, kept beside the words.
 */
interface RowCells {
  readonly _data: Uint32Array;
  readonly _combined: Record<number, string>;
}

/** A row's text as last read, and a copy of the cells it was read from. */
interface ReadRow {
  text: string;
  /** Undefined when the row cannot be checked that way (a combined character, or no internals). */
  cells: Buffer | undefined;
  /** Its styled runs, once a styled snapshot has read them: kept (the same array) while the row is. */
  styled?: StyledRun[];
}

export class Screen {
  private readonly term: XtermTerminal;
  /** Loaded on first use: most screens are never serialized (only on attach). */
  private serializer: InstanceType<typeof SerializeAddon> | undefined;
  private readonly parsedListeners = new Set<() => void>();
  private currentTitle = '';
  private readonly rowCache: ReadRow[] = [];
  /** Per row, a byte view of the cells xterm holds there, kept while it keeps the same array. */
  private readonly rowViews: Array<{ of: Uint32Array; bytes: Buffer } | undefined> = [];
  private dirtyFrom = 0;
  private dirtyTo = Number.POSITIVE_INFINITY;
  private readonly notifyParsed = () => {
    for (const listener of this.parsedListeners) listener();
  };

  constructor(options: ScreenOptions) {
    this.term = new Terminal({
      cols: options.cols,
      rows: options.rows,
      scrollback: options.scrollback ?? DEFAULT_SCROLLBACK,
      allowProposedApi: true,
      // xterm.js logs each parse error with its parser state, for every stray byte of binary output:
      // megabytes of log (the daemon's) or of stderr (drover replay) about the agent's output.
      logLevel: 'off',
    });
    this.term.onTitleChange((title) => {
      this.currentTitle = title;
    });
    this.boundCounts();
    this.trackDirtyRows();
  }

  /**
   * Cuts each count in COUNT_BOUNDS to the screen's size before xterm's own handler runs (ours is
   * registered later, so it is asked first, and returns false to pass the sequence on). The parser
   * has assembled the whole sequence by then, however the bytes were split between writes.
   */
  private boundCounts(): void {
    const core = (this.term as unknown as { _core?: Partial<ParserCore> })._core;
    if (typeof core?.registerCsiHandler !== 'function') {
      throw new Error('@xterm/headless no longer has _core.registerCsiHandler: drover cannot bound CSI counts (see COUNT_BOUNDS)');
    }
    for (const [final, bound] of COUNT_BOUNDS) {
      core.registerCsiHandler({ final }, (params) => {
        const limit = bound === 'rows' ? this.term.rows : this.term.cols;
        if (params.length > 0 && params.params[0]! > limit) params.params[0] = limit;
        return false;
      });
    }
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  get title(): string {
    return this.currentTitle;
  }

  get altScreen(): boolean {
    return this.term.buffer.active.type === 'alternate';
  }

  /**
   * True between DEC 2026 begin/end synchronized update: a real terminal keeps showing the
   * previous frame, so readers should not judge a half-drawn one.
   */
  get inSynchronizedUpdate(): boolean {
    return this.term.modes.synchronizedOutputMode;
  }

  /** Feed program output. `onDone` runs once the emulator has parsed exactly this chunk. */
  write(data: string | Uint8Array, onDone?: () => void): void {
    // Listeners see this chunk's screen before the caller moves on (a replay advances its clock in onDone).
    this.term.write(data, onDone ? () => { this.notifyParsed(); onDone(); } : this.notifyParsed);
  }

  /** Runs `fn` once everything written so far has been parsed, before anything written later. */
  afterParsed(fn: () => void): void {
    this.term.write('', fn);
  }

  /** Resolves once everything written so far has been parsed. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.term.write('', resolve));
  }

  /** Called after each write has been parsed (event-driven: nothing runs while a program is silent). */
  onParsed(listener: () => void): () => void {
    this.parsedListeners.add(listener);
    return () => this.parsedListeners.delete(listener);
  }

  resize(cols: number, rows: number): void {
    if (cols === this.term.cols && rows === this.term.rows) return;
    this.term.resize(cols, rows);
  }

  /**
   * Visible rows as text, trailing spaces trimmed. Only rows the emulator redrew since the last
   * call are looked at again (reading a row costs more than parsing a typical chunk of agent
   * output), and of those only rows whose cells changed are read: an agent's TUI redraws its whole
   * frame, or ends a synchronized update (which counts as every row redrawn), to change a row or two.
   * An unchanged row keeps its string, so callers can compare rows by identity first.
   */
  lines(): string[] {
    const buffer = this.term.buffer.active;
    const rows = this.term.rows;
    const from = this.rowCache.length === rows ? this.dirtyFrom : 0;
    const to = this.rowCache.length === rows ? Math.min(this.dirtyTo, rows - 1) : rows - 1;
    this.rowCache.length = rows;
    for (let y = from; y <= to; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      const cells = line && rowCells(line);
      const bytes = cells && this.cellBytes(y, cells._data);
      const cached = this.rowCache[y];
      if (cached?.cells && bytes?.equals(cached.cells)) continue;
      // Programs often paint blanks explicitly; trailing blanks are nothing a person can see.
      const text = line?.translateToString(true).trimEnd() ?? '';
      this.rowCache[y] = { text, cells: bytes && !hasCombined(cells) ? Buffer.from(bytes) : undefined };
    }
    this.dirtyFrom = Number.POSITIVE_INFINITY;
    this.dirtyTo = -1;
    return this.rowCache.map((row) => row.text);
  }

  /** The bytes of the cells at viewport row `y` (compared natively: a JS loop over the words costs 4× more). */
  private cellBytes(y: number, data: Uint32Array): Buffer {
    let view = this.rowViews[y];
    if (view?.of !== data) {
      view = { of: data, bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
      this.rowViews[y] = view;
    }
    return view.bytes;
  }

  private markDirty(from: number, to: number): void {
    this.dirtyFrom = Math.min(this.dirtyFrom, Math.max(0, from));
    this.dirtyTo = Math.max(this.dirtyTo, to);
  }

  /**
   * xterm's parser reports which viewport rows each write touched (what a renderer repaints). It
   * is internal API, so without it every row counts as touched; scrolls, resizes and a switch to or
   * from the alternate screen touch every row either way. A report without rows asks a renderer to
   * repaint it all — at the end of a synchronized update (DEC 2026, once per frame for Codex,
   * opencode and Qwen Code) or at a switch of screens — and changes nothing itself: the frame's rows
   * were reported as they were written, and a switch is a buffer change.
   */
  private trackDirtyRows(): void {
    const everything = () => this.markDirty(0, Number.POSITIVE_INFINITY);
    const inputHandler = (this.term as unknown as { _core?: { _inputHandler?: RefreshSource } })._core?._inputHandler;
    if (typeof inputHandler?.onRequestRefreshRows === 'function') {
      inputHandler.onRequestRefreshRows((range) => range && this.markDirty(range.start, range.end));
    } else {
      this.term.onWriteParsed(everything);
    }
    this.term.onScroll(everything);
    this.term.onResize(everything);
    this.term.buffer.onBufferChange(everything);
  }

  /** The last `count` lines of history and viewport together (wrapped lines joined). */
  history(count: number): string[] {
    const buffer = this.term.buffer.active;
    const out: string[] = [];
    const end = buffer.baseY + this.term.rows;
    for (let y = Math.max(0, end - count * 2); y < end; y++) {
      const line = buffer.getLine(y);
      if (!line) continue;
      const text = line.translateToString(true).trimEnd();
      if (line.isWrapped && out.length > 0) out[out.length - 1] += text;
      else out.push(text);
    }
    return out.slice(-count);
  }

  /**
   * Rows of the whole buffer, the scrollback then the screen (row 0 is the oldest kept): `count`
   * from `start`, or the last `count` without one. Rows as the terminal holds them (a long line is
   * several rows, at the terminal's width); `total` is the buffer's length now.
   */
  bufferRows(count: number, start?: number, options: { styled?: boolean } = {}): BufferRows {
    const buffer = this.term.buffer.active;
    const total = buffer.length;
    const from = Math.max(0, Math.min(start ?? total - count, total));
    const to = Math.min(total, from + count);
    const lines: string[] = [];
    const styled: StyledRun[][] = [];
    const cell = buffer.getNullCell();
    for (let y = from; y < to; y++) {
      const line = buffer.getLine(y);
      lines.push(line?.translateToString(true).trimEnd() ?? '');
      if (options.styled) styled.push(line ? styledRuns(line, this.term.cols, cell) : []);
    }
    return { total, start: from, lines, ...(options.styled ? { styled } : {}) };
  }

  snapshot(options: { styled?: boolean } = {}): ScreenSnapshot {
    const buffer = this.term.buffer.active;
    const snapshot: ScreenSnapshot = {
      cols: this.term.cols,
      rows: this.term.rows,
      lines: this.lines(), // before styledRows(): it reads the row cache this brings up to date
      cursor: { x: buffer.cursorX, y: buffer.cursorY },
      altScreen: this.altScreen,
      title: this.currentTitle,
    };
    if (options.styled) snapshot.styled = this.styledRows();
    return snapshot;
  }

  /** Escape sequences that redraw this screen (and its scrollback) on a real terminal. */
  serialize(options: { scrollback?: number } = {}): string {
    if (!this.serializer) {
      this.serializer = new SerializeAddon();
      this.term.loadAddon(this.serializer as unknown as Parameters<XtermTerminal['loadAddon']>[0]);
    }
    return this.serializer.serialize({ scrollback: options.scrollback ?? 0 });
  }

  dispose(): void {
    this.parsedListeners.clear();
    this.term.dispose();
  }

  /**
   * Each row's styled runs, once lines() has brought the row cache up to date. A row it found
   * unchanged keeps the runs read before, the same array: a subscriber tells changed rows by
   * identity (a spinner changes a row or two of dozens).
   */
  private styledRows(): StyledRun[][] {
    const buffer = this.term.buffer.active;
    const cell = buffer.getNullCell();
    return this.rowCache.map((row, y) => {
      if (row.styled) return row.styled;
      const line = buffer.getLine(buffer.viewportY + y);
      return (row.styled = line ? styledRuns(line, this.term.cols, cell) : []);
    });
  }
}

/** The row's cells, when xterm's internals are as drover knows them. */
function rowCells(line: IBufferLine): RowCells | undefined {
  const row = (line as unknown as { _line?: Partial<RowCells> })._line;
  return row?._data instanceof Uint32Array && typeof row._combined === 'object' ? (row as RowCells) : undefined;
}

function hasCombined(cells: RowCells): boolean {
  for (const _ in cells._combined) return true;
  return false;
}

function styledRuns(line: IBufferLine, cols: number, cell: IBufferCell): StyledRun[] {
  const runs: StyledRun[] = [];
  let current: StyledRun | undefined;
  // The style of the run being built, as the numbers it is read from: a cell that matches adds its
  // characters, with no style object made for it (a snapshot reads every cell of the screen).
  let fgMode = -1, fg = 0, bgMode = -1, bg = 0, flags = -1;
  for (let x = 0; x < cols; x++) {
    if (!line.getCell(x, cell)) break;
    if (cell.getWidth() === 0) continue; // right half of a wide character
    const chars = cell.getChars() || ' ';
    const cellFgMode = cell.isFgRGB() ? 2 : cell.isFgPalette() ? 1 : 0;
    const cellBgMode = cell.isBgRGB() ? 2 : cell.isBgPalette() ? 1 : 0;
    // A default colour has no value that counts.
    const cellFg = cellFgMode ? cell.getFgColor() : 0;
    const cellBg = cellBgMode ? cell.getBgColor() : 0;
    const cellFlags = (cell.isBold() ? 1 : 0) | (cell.isDim() ? 2 : 0) | (cell.isItalic() ? 4 : 0) | (cell.isUnderline() ? 8 : 0) | (cell.isInverse() ? 16 : 0);
    if (current && cellFgMode === fgMode && cellFg === fg && cellBgMode === bgMode && cellBg === bg && cellFlags === flags) {
      current.text += chars;
    } else {
      current = { ...cellStyle(cell), text: chars };
      [fgMode, fg, bgMode, bg, flags] = [cellFgMode, cellFg, cellBgMode, cellBg, cellFlags];
      runs.push(current);
    }
  }
  // Trailing default-styled blanks carry nothing a renderer needs.
  const last = runs[runs.length - 1];
  if (last && Object.keys(last).length === 1) {
    last.text = last.text.trimEnd();
    if (!last.text) runs.pop();
  }
  return runs;
}

function cellStyle(cell: IBufferCell): CellStyle {
  const style: CellStyle = {};
  const fg = colourOf(cell.isFgRGB(), cell.isFgPalette(), cell.getFgColor());
  const bg = colourOf(cell.isBgRGB(), cell.isBgPalette(), cell.getBgColor());
  if (fg !== undefined) style.fg = fg;
  if (bg !== undefined) style.bg = bg;
  if (cell.isBold()) style.bold = true;
  if (cell.isDim()) style.dim = true;
  if (cell.isItalic()) style.italic = true;
  if (cell.isUnderline()) style.underline = true;
  if (cell.isInverse()) style.inverse = true;
  return style;
}

function colourOf(rgb: boolean, palette: boolean, value: number): Colour | undefined {
  if (rgb) return `#${value.toString(16).padStart(6, '0')}`;
  if (palette) return value;
  return undefined;
}
