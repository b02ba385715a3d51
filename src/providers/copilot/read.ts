/** What Copilot CLI's screen says: its approval dialog, and its last answer. */
import { choiceOf, lastIndexMatching, numberedOptions, unboxed } from '../shared/prompt.ts';
import { answerText, latestTurn, markedBlocks, rowsAboveRule } from '../shared/response.ts';
import type { PermissionPrompt } from '../../status/permission.ts';
import type { Reader } from '../types.ts';
import { transcriptResponse } from './transcript.ts';
import { QUESTION } from './detect.ts';

/**
 * The dialog is a rounded box over the bottom of the screen: a heading (the command's
 * description, or "Allow path access"), the command or path in a box of its own, the question,
 * numbered options, the keys. A number picks its option. The "No" option is answered with Esc,
 * as the dialog says ("No (Esc)", "No, and tell Copilot what to do differently (Esc to stop)"):
 * its number opens a text field for a reason instead (on a command), and nothing is refused
 * until that is typed.
 */
function permissionPrompt(lines: string[]): PermissionPrompt | undefined {
  const question = lastIndexMatching(lines, QUESTION);
  if (question < 0) return undefined;
  const options = numberedOptions(lines, question + 1, (n, label) => (choiceOf(label) === 'deny' ? '\x1b' : String(n)));
  if (options.length < 2 || !options.some((o) => o.choice === 'deny')) return undefined;
  const top = lastIndexMatching(lines.slice(0, question), /^╭─/);
  const body = lines.slice(top + 1, question).map(unboxed);
  const heading = body.find((line) => line !== '') ?? 'unknown';
  const boxTop = body.findIndex((line) => line.startsWith('╭'));
  const boxBottom = body.findIndex((line, i) => i > boxTop && line.startsWith('╰'));
  const boxed = boxTop >= 0 && boxBottom > boxTop ? body.slice(boxTop + 1, boxBottom).map(unboxed).filter(Boolean) : [];
  const isCommand = /run this command/.test(lines[question]!);
  return { tool: isCommand ? 'shell' : heading, summary: boxed.join(' ') || heading, options };
}

/** A message the person sent ("❯ Please say hello      11:28"). */
const USER_ROW = /^ ❯ /;
/** The first row of each message in the transcript, the model's or the CLI's own. */
const MESSAGE = /^ ● /;
/** The CLI's own words after a turn it cut short (a refused tool, Esc). */
const CLI_NOTE = /^ ● Operation (?:cancelled|aborted) by user/;
/** The scrollbar Copilot draws in the last column while the transcript overflows. */
const SCROLLBAR = /\s*┃$/;

/**
 * The transcript lies above the folder line and the input between its two rules. Until the
 * person's first message is drawn there is no turn (only the CLI's own notices at start).
 */
function lastResponse(lines: string[], cols: number): string | undefined {
  const rows = rowsAboveRule(lines, 2).map((row) => row.replace(SCROLLBAR, ''));
  if (lastIndexMatching(rows, USER_ROW) < 0) return undefined;
  const last = markedBlocks(latestTurn(rows, USER_ROW), MESSAGE)
    .filter((block) => !CLI_NOTE.test(block[0]!))
    .at(-1);
  // It wraps two columns short of the edge: a margin, and the scrollbar's column.
  return last && answerText(last, MESSAGE, cols - 2);
}

export const read: Reader = { permissionPrompt, lastResponse, transcriptResponse };
