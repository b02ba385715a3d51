/**
 * The stream Ink renders to: it takes each full-screen frame Ink writes (Ink clears the terminal
 * and writes every row, every frame) and sends the terminal only the rows that changed, each at
 * its absolute position. A spinner costs one row, not a screen, over ssh; nothing is drawn
 * relative to where the cursor was, and nothing past the terminal's edges (rows beyond the last are
 * not written, autowrap is off while a frame is drawn), so a frame Ink made for the size before a
 * resize cannot scroll or wrap the screen; after a resize the screen is cleared and drawn again.
 *
 * It also draws an overlay Ink knows nothing of: the live preview, which changes ten times a
 * second while an agent works, and would cost a whole Ink frame each time. Ink draws the pane
 * empty; the overlay's rows are painted over it, again wherever an Ink frame rewrites a row.
 */
import { EventEmitter } from 'node:events';

/** Erase lines, cursor up, column 1, clear screen and scrollback, home: what Ink puts before a frame. */
const FRAME_PREFIX = /^(?:\x1b\[(?:2K|1A|G|2J|3J|H))+/;
/** Modes Ink sets around frames (cursor shown/hidden, synchronized update): passed on as they are. */
const MODE_ONLY = /^(?:\x1b\[\?\d+[hl])+$/;

const AUTOWRAP_OFF = '\x1b[?7l';
const AUTOWRAP_ON = '\x1b[?7h';

/**
 * Rows painted from (`top`, `left`), 0-based, each an ANSI line already fitted to the region's
 * width. The region runs to the right edge of the terminal: each row is erased to the line's end.
 */
export interface Overlay {
  top: number;
  left: number;
  rows: readonly string[];
}

export class FrameWriter extends EventEmitter {
  readonly isTTY = true;
  /** The rows on the terminal now; empty: unknown, the next frame clears and draws them all. */
  private shown: string[] = [];
  private overlay: Overlay | undefined;

  constructor(private readonly terminal: NodeJS.WriteStream) {
    super();
    terminal.on('resize', this.onResize);
  }

  get columns(): number {
    return this.terminal.columns;
  }

  get rows(): number {
    return this.terminal.rows;
  }

  write(data: string, callback?: (error?: Error | null) => void): boolean {
    if (!data || MODE_ONLY.test(data)) return this.terminal.write(data, callback);
    const frame = data.replace(FRAME_PREFIX, '');
    if (!frame) {
      // Ink erasing what it drew (on a resize): the next frame draws everything again.
      this.shown = [];
      callback?.();
      return true;
    }
    const rows = frame.split('\n').slice(0, this.rows);
    let out = this.shown.length === 0 ? '\x1b[H\x1b[2J' : '';
    const count = Math.max(rows.length, this.shown.length);
    for (let y = 0; y < count; y++) {
      const row = rows[y] ?? '';
      // Erased before it is written: erasing after would take the last column's character with it.
      if (row !== this.shown[y]) out += `\x1b[${y + 1};1H\x1b[0m\x1b[2K${row}${this.overlayRow(y)}`;
    }
    this.shown = rows;
    return out ? this.terminal.write(`${AUTOWRAP_OFF}${out}${AUTOWRAP_ON}`, callback) : (callback?.(), true);
  }

  /**
   * Paints `overlay` (undefined: none) where it differs from the one painted before; rows the
   * old one covered and the new one does not get Ink's row back.
   */
  setOverlay(overlay: Overlay | undefined): void {
    const old = this.overlay;
    this.overlay = overlay;
    if (this.shown.length === 0) return; // no frame yet: the first one paints it
    const moved = !old || !overlay || old.top !== overlay.top || old.left !== overlay.left;
    let out = '';
    for (let i = 0; old && i < old.rows.length; i++) {
      const y = old.top + i;
      const covered = overlay && !moved && i < overlay.rows.length;
      if (!covered && y < this.shown.length) out += `\x1b[${y + 1};1H\x1b[0m\x1b[2K${this.shown[y]}`;
    }
    for (let i = 0; overlay && i < overlay.rows.length; i++) {
      if (moved || old!.rows[i] !== overlay.rows[i]) out += this.overlayRow(overlay.top + i);
    }
    if (out) this.terminal.write(`${AUTOWRAP_OFF}${out}${AUTOWRAP_ON}`);
  }

  /** Stops following the terminal's size (the Ink screen is gone). */
  close(): void {
    this.terminal.off('resize', this.onResize);
  }

  /** The overlay's part of row `y`, painted over what Ink drew there ('' where it covers nothing). */
  private overlayRow(y: number): string {
    const overlay = this.overlay;
    const row = overlay?.rows[y - overlay.top];
    if (overlay === undefined || row === undefined || y >= this.rows) return '';
    // Erased before it is written, as Ink's rows are: a row that fills the width would lose its last column.
    return `\x1b[${y + 1};${overlay.left + 1}H\x1b[0m\x1b[K${row}\x1b[0m`;
  }

  private readonly onResize = () => {
    this.shown = [];
    this.emit('resize');
  };
}
