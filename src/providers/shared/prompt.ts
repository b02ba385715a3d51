/** Pieces shared by the providers' permission-prompt parsers. */
import type { PermissionChoice, PermissionOption } from '../../status/permission.ts';

/** A numbered option; a box's border or a scrollbar (█, Qwen Code 0.24) may close the row. */
const NUMBERED = /^[\s│┃]*(?:[❯›●>]\s*)?(\d)\.\s+(.+?)[\s│┃█]*$/;

/** What picking an option means, judged from its label. */
export function choiceOf(label: string): PermissionChoice {
  if (/^(no\b|reject|deny)/i.test(label)) return 'deny';
  if (/switch to|auto mode|yolo/i.test(label)) return 'other'; // changes the agent's mode, not one answer
  if (/always|don't ask again|for this session|allow all/i.test(label)) return 'always';
  if (/^(yes|allow|proceed|approve)/i.test(label)) return 'once';
  return 'other';
}

/**
 * Consecutive "1. …", "2. …" lines starting at `from` (a wrapped label continues on indented lines).
 * `keysFor` turns an option's number and label into the keystrokes that choose it.
 */
export function numberedOptions(
  lines: string[],
  from: number,
  keysFor: (n: number, label: string) => string,
): PermissionOption[] {
  const options: PermissionOption[] = [];
  for (let i = from; i < lines.length; i++) {
    const match = NUMBERED.exec(lines[i]!);
    if (!match) {
      if (options.length && lines[i]!.trim() === '') break;
      if (options.length && !/^[\s│┃]{3,}\S/.test(lines[i]!)) break;
      continue;
    }
    const n = Number(match[1]);
    if (n !== options.length + 1) break;
    const label = match[2]!.trim();
    options.push({ label, keys: keysFor(n, label), choice: choiceOf(label) });
  }
  return options;
}

/** The index of the last line matching `pattern`, or -1. */
export function lastIndexMatching(lines: string[], pattern: RegExp): number {
  for (let i = lines.length - 1; i >= 0; i--) if (pattern.test(lines[i]!)) return i;
  return -1;
}

/** Strips box-drawing borders (│ ┃), a scrollbar's thumb (█) and surrounding blanks from a line. */
export function unboxed(line: string): string {
  return line.replace(/^[\s│┃]+|[\s│┃█]+$/g, '');
}

/** The keystroke named in a label's trailing "(y)" / "(esc)", if any. */
export function shortcutIn(label: string): string | undefined {
  const match = /\((esc|[a-z])\)\s*$/i.exec(label);
  if (!match) return undefined;
  return match[1]!.toLowerCase() === 'esc' ? '\x1b' : match[1]!.toLowerCase();
}
