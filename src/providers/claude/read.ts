/** What Claude Code's screen says: its permission dialog and its last answer. */
import { lastIndexMatching, numberedOptions, unboxed } from '../shared/prompt.ts';
import { answerText, latestTurn, markedBlocks, rightAligned, rowsAboveRule, rowsBefore } from '../shared/response.ts';
import type { PermissionPrompt } from '../../status/permission.ts';
import type { Reader } from '../types.ts';
import { QUESTION } from './detect.ts';
import { transcriptResponse } from './transcript.ts';

function permissionPrompt(lines: string[]): PermissionPrompt | undefined {
  const question = lastIndexMatching(lines, QUESTION);
  if (question < 0) return undefined;
  const options = numberedOptions(lines, question + 1, (n) => String(n));
  if (options.length < 2) return undefined;
  // The panel starts at the last solid rule above the question; its first line names the tool.
  const top = lastIndexMatching(lines.slice(0, question), /^\s*─{10,}\s*$/);
  const panel = lines.slice(top + 1, question).map(unboxed).filter((line) => line !== '');
  const tool = panel[0] ?? 'unknown';
  // The command or file sits between dashed rules (╌); else the panel's next line.
  const dashed = panel.flatMap((line, i) => (/^╌{10,}$/.test(line) ? [i] : []));
  const body = dashed.length >= 2 ? panel.slice(dashed[0]! + 1, dashed[1]) : panel.slice(1, 2);
  const summary = body.join(' ').replace(/^Run:\s*/, '').trim() || lines[question]!.trim();
  return { tool, summary, options };
}

/** A message the person sent, as the transcript shows it. */
const USER_ROW = /^[❯>] /;
/** The first row of each of Claude's messages, text or tool call. */
const MESSAGE = /^[●⏺] /;
/** A tool call ("● Bash(ls)") or a failed request ("● API Error: …"): a message that is no answer. */
const NOT_ANSWER = /^[●⏺] (?:[A-Z]\w*\(|API Error\b)/;
/**
 * A collapsed tool group Claude indents under the message before it ("Ran 1 shell command",
 * "Did not run 1 call", "Read 2 files"): a paragraph of its own, so the answer ends above it.
 */
const TOOL_SUMMARY = /^\s+[A-Z][a-z]+(?: [a-z]+)* \d+ [a-z]+(?: [a-z]+)?(?:, [^.]*)?(?: \(.*\))?$/;

/** The note Claude hangs under an answer cut short by Esc; the text above it is still the answer. */
const INTERRUPTED = /⎿\s+Interrupted\b/;

/** A message that is prose: not a tool call, whose result hangs right under its first row on a ⎿ row. */
function isProse(block: string[]): boolean {
  const second = block[1] ?? '';
  return !NOT_ANSWER.test(block[0]!) && !(second.includes('⎿') && !INTERRUPTED.test(second));
}

/** The transcript is what lies above the prompt box; each message in it starts with ●. */
function lastResponse(lines: string[], cols: number): string | undefined {
  const last = markedBlocks(latestTurn(rowsAboveRule(lines, 2), USER_ROW), MESSAGE).filter(isProse).at(-1);
  if (!last) return undefined;
  // The prose ends where a ⎿ row, a right-aligned hint or a collapsed tool summary begins.
  const prose = rowsBefore(last, (row, i) => row.includes('⎿') || rightAligned(row, cols) || (last[i - 1]?.trim() === '' && TOOL_SUMMARY.test(row)));
  return answerText(prose, MESSAGE, cols);
}

export const read: Reader = { permissionPrompt, lastResponse, transcriptResponse };
