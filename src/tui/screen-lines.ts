/**
 * An agent's screen for the preview pane: the daemon's styled runs as ANSI lines, cropped to the
 * pane (the rows around the cursor and the last written row, the left-hand columns).
 */
import type { ScreenState } from '../protocol/schema.ts';
import { charWidth, fitColumns } from './text-width.ts';

import type { StyledRun } from './state.ts';
type Colour = NonNullable<StyledRun['fg']>;

function colourCodes(colour: Colour, base: 30 | 40): string {
  if (typeof colour === 'string') {
    const rgb = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
    return rgb ? `${base + 8};2;${rgb.slice(1).map((hex) => parseInt(hex, 16)).join(';')}` : '';
  }
  if (colour < 8) return String(base + colour);
  if (colour < 16) return String(base + 60 + colour - 8);
  return `${base + 8};5;${colour}`;
}

export function sgr(run: StyledRun, colour: boolean): string {
  const codes: string[] = [];
  if (run.bold) codes.push('1');
  if (run.dim) codes.push('2');
  if (run.italic) codes.push('3');
  if (run.underline) codes.push('4');
  if (run.inverse) codes.push('7');
  if (colour && run.fg !== undefined) codes.push(colourCodes(run.fg, 30));
  if (colour && run.bg !== undefined) codes.push(colourCodes(run.bg, 40));
  const used = codes.filter(Boolean);
  return used.length ? `\x1b[${used.join(';')}m` : '';
}

/** One row of styled runs as an ANSI line at most `width` columns wide. */
export function styledLine(runs: readonly StyledRun[], width: number, colour: boolean): string {
  let out = '';
  let left = width;
  for (const run of runs) {
    if (left <= 0) break;
    const [text, used] = fitColumns(run.text, left);
    left -= used;
    const style = sgr(run, colour);
    out += style ? `${style}${text}\x1b[0m` : text;
  }
  return out;
}

/**
 * Columns `from` to `from + width` of a row of runs as an ANSI line (a wide character cut by
 * either edge is left out).
 */
export function styledSlice(runs: readonly StyledRun[], from: number, width: number, colour: boolean): string {
  let out = '';
  let column = 0;
  const end = from + width;
  for (const run of runs) {
    if (column >= end) break;
    let text = '';
    for (const char of run.text) {
      const w = charWidth(char);
      if (column >= from && column + w <= end) text += char;
      column += w;
      if (column >= end) break;
    }
    if (!text) continue;
    const style = sgr(run, colour);
    out += style ? `${style}${text}\x1b[0m` : text;
  }
  return out;
}

/** Columns a row of runs takes. */
export function runsWidth(runs: readonly StyledRun[]): number {
  let width = 0;
  for (const run of runs) width += fitColumns(run.text, Infinity)[1];
  return width;
}

/**
 * The rows that fit a `width`×`height` pane, ending at the cursor or the last written row; long
 * rows cropped, or wrapped onto the rows below (`wrap`).
 */
export function previewLines(screen: ScreenState, width: number, height: number, colour: boolean, wrap = false): string[] {
  let last = Math.min(screen.cursor.y, screen.lines.length - 1);
  for (let y = screen.lines.length - 1; y > last; y--) {
    if (screen.lines[y]!.trim()) {
      last = y;
      break;
    }
  }
  if (wrap) {
    // Bottom up, each row as the rows it wraps onto, until the pane is full.
    const rows: string[] = [];
    for (let y = last; y >= 0 && rows.length < height; y--) {
      const runs = screen.styled?.[y] ?? [{ text: screen.lines[y]! }];
      const pieces = Math.max(1, Math.ceil(runsWidth(runs) / width));
      for (let piece = pieces - 1; piece >= 0 && rows.length < height; piece--) rows.push(styledSlice(runs, piece * width, width, colour));
    }
    return rows.reverse();
  }
  const first = Math.max(0, last + 1 - height);
  const rows: string[] = [];
  for (let y = first; y < first + height && y < screen.lines.length; y++) {
    const runs = screen.styled?.[y];
    rows.push(runs ? styledLine(runs, width, colour) : fitColumns(screen.lines[y]!, width)[0]);
  }
  return rows;
}
