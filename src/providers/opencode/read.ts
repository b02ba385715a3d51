/** What opencode's screen says: its permission dialog and its last answer (unmarked prose between ┃ blocks). */
import { lastIndexMatching, unboxed } from '../shared/prompt.ts';
import { answerText } from '../shared/response.ts';
import type { PermissionPrompt } from '../../status/permission.ts';
import type { Reader } from '../types.ts';
import { transcriptResponse } from './transcript.ts';
import { BUTTONS } from './detect.ts';

function permissionPrompt(lines: string[]): PermissionPrompt | undefined {
  const title = lastIndexMatching(lines, /△ Permission required/);
  if (title < 0) return undefined;
  const buttons = lines.slice(title).findIndex((line) => BUTTONS.test(line));
  if (buttons < 0) return undefined;
  const body = lines
    .slice(title + 1, title + buttons)
    .map(unboxed)
    .filter((line) => line !== '' && line !== 'Patterns');
  // "# Shell command" / "← Access external directory X" name the tool; "$ cmd" or "- pattern" the target.
  const heading = body[0] ?? 'unknown';
  const target = body.find((line) => /^[$-] /.test(line))?.slice(2) ?? heading.replace(/^[#←]\s*/, '');
  // The buttons are a row: the first is selected, → moves along it, Enter confirms.
  const options = [
    { label: 'Allow once', keys: '\r', choice: 'once' as const },
    { label: 'Allow always', keys: '\x1b[C\r', choice: 'always' as const },
    { label: 'Reject', keys: '\x1b[C\x1b[C\r', choice: 'deny' as const },
  ];
  return { tool: heading.replace(/^[#←]\s*/, ''), summary: target, options };
}

const BARRED = /^\s*┃/;
const INPUT_BOTTOM = /^\s*╹▀{10,}/;
/** "▣  Build · Mock Model · 3.1s": the line that closes a turn. */
const TURN_END = /^\s*▣ /;
/** A tool drawn inline rather than in a ┃ block ("$ rm -f x" when refused, "→ Read a.ts", "✱ Grep …"). */
const INLINE_TOOL = /^\s*[$→←✱%⚙◈] /;
/** Measured on the recordings: opencode wraps text three columns short of the terminal's width (or of its sidebar). */
const RIGHT_MARGIN = 3;

/** A run of blanks, then text: on a wide terminal, opencode's session sidebar ("Context", "LSP", …) beside the transcript. */
const SIDEBAR_GAP = / {20,}(?=\S)/;

/** The column where the sidebar starts on these rows, if it is there (right of the middle). */
function sidebarColumn(rows: string[], cols: number): number | undefined {
  let column: number | undefined;
  for (const row of rows) {
    const gap = SIDEBAR_GAP.exec(row);
    const at = gap && gap.index + gap[0].length;
    if (at && at > cols / 2) column = Math.min(column ?? at, at);
  }
  return column;
}

/**
 * opencode marks nothing on its text: the answer is the unbarred prose between ┃ blocks (the
 * person's message, tool calls, errors) and the "▣" line that ends the turn. The latest turn is
 * the one the last ▣ closes, or the one still running after it.
 */
function lastResponse(lines: string[], cols: number): string | undefined {
  let end = lastIndexMatching(lines, INPUT_BOTTOM);
  if (end < 0) end = lines.length;
  while (end > 0 && BARRED.test(lines[end - 1]!)) end--; // the input block above its bottom edge
  // The transcript's own column: the sidebar cut off, and the text wrapped short of it, not of the terminal's edge.
  const sidebar = sidebarColumn(lines.slice(0, end), cols);
  const width = sidebar ?? cols;
  const transcript = lines.slice(0, end).map((row) => (sidebar ? row.slice(0, sidebar).trimEnd() : row));
  const closed = lastIndexMatching(transcript, TURN_END);
  const running = transcript.slice(closed + 1).some((row) => row.trim() !== '');
  const turn = running ? transcript.slice(closed + 1) : transcript.slice(lastIndexMatching(transcript.slice(0, closed), TURN_END) + 1, closed);
  // Runs of prose, each ended by a ┃ row or an inline tool. Prose before the first ┃ row (the
  // person's message) is no answer: it is the logo of an empty session, or the turn before.
  const runs: string[][] = [];
  let afterMessage = false;
  for (const row of turn) {
    if (BARRED.test(row) || INLINE_TOOL.test(row)) {
      afterMessage ||= BARRED.test(row);
      if (runs.at(-1)?.length !== 0) runs.push([]);
    } else if (afterMessage) {
      runs.at(-1)!.push(row);
    }
  }
  const last = runs.filter((run) => run.some((row) => row.trim() !== '')).at(-1);
  return last && answerText(last, undefined, width - RIGHT_MARGIN);
}

export const read: Reader = { permissionPrompt, lastResponse, transcriptResponse };
