/**
 * Pieces shared by the providers' last-response readers. An agent CLI prints its answer as a
 * block of rows: a marker ("●", "•", "✦") on the first, the rest indented under it, wrapped by
 * the CLI itself at the terminal width. These helpers find such blocks and turn their rows back
 * into the text the model wrote.
 */
import stringWidth from 'string-width';
import { isHorizontalRule } from '../../status/regions.ts';
import { lastIndexMatching } from './prompt.ts';

/**
 * The rows above the `nth` horizontal rule from the bottom (1 = the last): where the transcript
 * ends for a CLI that draws its input under rules. All rows when there are fewer rules.
 */
export function rowsAboveRule(rows: string[], nth: number): string[] {
  const rules = rows.flatMap((row, i) => (isHorizontalRule(row) ? [i] : []));
  return rules.length >= nth ? rows.slice(0, rules[rules.length - nth]) : rows;
}

/** The rows after the latest row the person typed (`userRow`): the latest turn (all rows if none). */
export function latestTurn(rows: string[], userRow: RegExp): string[] {
  return rows.slice(lastIndexMatching(rows, userRow) + 1);
}

/**
 * The blocks that start at a row matching `marker`: each runs on over blank rows and rows indented
 * deeper than its marker, and ends at the next row at the marker's indent or less (a new block, a
 * tool box, a status line). Trailing blank rows are dropped.
 */
export function markedBlocks(rows: string[], marker: RegExp): string[][] {
  const blocks: string[][] = [];
  let current: string[] | undefined;
  let indent = 0;
  for (const row of rows) {
    if (marker.test(row)) {
      current = [row];
      indent = indentOf(row);
      blocks.push(current);
    } else if (current && (row.trim() === '' || indentOf(row) > indent)) {
      current.push(row);
    } else {
      current = undefined;
    }
  }
  return blocks.map(trimBlankEnds).filter((block) => block.length > 0);
}

/** The rows of `block` before the first row `stop` picks (where a tool's output or the CLI's own line begins). */
export function rowsBefore(block: string[], stop: RegExp | ((row: string, index: number) => boolean)): string[] {
  const at = block.findIndex((row, i) => (stop instanceof RegExp ? stop.test(row) : stop(row, i)));
  return trimBlankEnds(at < 0 ? block : block.slice(0, at));
}

/**
 * The text an answer's rows show, as the model wrote it: the marker blanked out, the common indent
 * removed, a row the CLI broke only because the next word did not fit joined to that word (a soft
 * wrap is not a newline of the answer), runs of blank rows kept as one paragraph break.
 * `width` is the column the CLI wraps at. Undefined when nothing is left.
 */
export function answerText(rows: string[], marker: RegExp | undefined, width: number): string | undefined {
  const blanked = rows.map((row, i) => (i === 0 && marker ? row.replace(marker, (m) => ' '.repeat(stringWidth(m))) : row));
  const lines: string[] = [];
  let previous: string | undefined; // the last row as drawn, for the did-the-next-word-fit test
  for (const row of trimBlankEnds(blanked)) {
    if (row.trim() === '') {
      if (lines.at(-1) !== '') lines.push('');
      previous = undefined;
      continue;
    }
    if (previous !== undefined && softWrapped(previous, row, width)) lines[lines.length - 1] += ` ${row.trim()}`;
    else lines.push(row);
    previous = row;
  }
  const indent = Math.min(...lines.filter((line) => line !== '').map(indentOf));
  const text = lines.map((line) => line.slice(indent).trimEnd()).join('\n');
  return text === '' ? undefined : text;
}

/**
 * Whether the CLI broke `row` only because `next`'s first word did not fit after it. A row after
 * which that word would have fit ended where the answer has a newline; a list item is its own line.
 */
function softWrapped(row: string, next: string, width: number): boolean {
  if (/^\s*(?:[-*+•]|\d+[.)])\s/.test(next)) return false;
  const word = next.trim().split(/\s/, 1)[0]!;
  return stringWidth(row) + 1 + stringWidth(word) > width;
}

/**
 * A row that starts past the middle of the screen: a hint the CLI aligns to the right edge
 * ("? for shortcuts", "◐ medium · /effort"), never a row of an answer.
 */
export function rightAligned(row: string, cols: number): boolean {
  return indentOf(row) > cols / 2;
}

function indentOf(row: string): number {
  return row.length - row.trimStart().length;
}

function trimBlankEnds(rows: string[]): string[] {
  let from = 0;
  let to = rows.length;
  while (from < to && rows[from]!.trim() === '') from++;
  while (to > from && rows[to - 1]!.trim() === '') to--;
  return rows.slice(from, to);
}
