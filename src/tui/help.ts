/** The help's lines, from the keymap, and how they page at a size: more keys than fit scroll instead of being cut. */
import { bindings, keysLabel, modeKeys } from './keymap.ts';
import { layout } from './layout.ts';
import { PANES } from './state.ts';

export type HelpLine = { heading: string } | { keys: string; help: string };

/** Every key, from the keymap: per pane, then the dialogs', then the detach key. */
export function helpLines(detachKey: string): HelpLine[] {
  const lines: HelpLine[] = [];
  for (const pane of ['any', ...PANES] as const) {
    lines.push({ heading: pane === 'any' ? 'anywhere' : `${pane} pane` });
    for (const b of bindings.filter((b) => b.pane === pane)) lines.push({ keys: keysLabel(b), help: b.help });
  }
  for (const section of modeKeys) {
    lines.push({ heading: section.title });
    for (const [keys, help] of section.keys) lines.push({ keys, help });
  }
  lines.push({ heading: 'attached to an agent' }, { keys: detachKey, help: 'detach; it runs on' });
  return lines;
}

// Wide enough for the longest key and its words uncut (a narrower terminal scrolls one column instead).
const COLUMN_MIN = 56;
/** The help's line count does not depend on the detach key's name. */
const LINE_COUNT = helpLines('').length;

export interface HelpPage {
  columnCount: number;
  columnWidth: number;
  /** Lines per column. */
  rows: number;
  /** The first line shown, clamped so the last page is full. */
  top: number;
  /** Whether some lines are off the page (the title then says how to scroll). */
  scrolls: boolean;
}

/** The help below the header at a terminal size, scrolled to `top`. */
export function helpPage(size: { cols: number; rows: number }, top: number): HelpPage {
  const box = layout(size);
  const rows = Math.max(1, box.mainHeight + box.bottomHeight - 1);
  const columnCount = Math.max(1, Math.min(Math.floor(size.cols / COLUMN_MIN), Math.ceil(LINE_COUNT / rows)));
  const capacity = columnCount * rows;
  const maxTop = Math.max(0, LINE_COUNT - capacity);
  return { columnCount, columnWidth: Math.floor(size.cols / columnCount), rows, top: Math.min(Math.max(0, top), maxTop), scrolls: maxTop > 0 };
}

/** Where a key moves the help, or undefined when the key closes it. */
export function scrollHelp(size: { cols: number; rows: number }, top: number, key: string): number | undefined {
  const page = helpPage(size, top);
  if (!page.scrolls) return undefined;
  const step: Record<string, number> = { j: 1, down: 1, k: -1, up: -1, pagedown: page.rows, ' ': page.rows, pageup: -page.rows, b: -page.rows, g: -LINE_COUNT, home: -LINE_COUNT, G: LINE_COUNT, end: LINE_COUNT };
  const by = step[key];
  return by === undefined ? undefined : helpPage(size, page.top + by).top;
}
