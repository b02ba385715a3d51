/**
 * Gemini CLI and its fork Qwen Code draw tool approvals the same way: a rounded box whose header
 * names the tool and command ("? Shell  touch x"), then a question and numbered options. Their
 * transcripts look alike too: the person's message on a "> " row, each answer a "✦ " block, tool
 * calls as boxes, notices on "ℹ"/"✕"/"●" rows. What both detect and read of these lives here.
 */
import type { Matcher } from '../../status/rules.ts';
import type { PermissionPrompt } from '../../status/permission.ts';
import { lastIndexMatching, numberedOptions, shortcutIn, unboxed } from '../shared/prompt.ts';
import { answerText, latestTurn, markedBlocks, rightAligned, rowsAboveRule, rowsBefore } from '../shared/response.ts';

// Qwen Code 0.24 draws the dialog without a box, a scrollbar (█) in the last column beside it.
const QUESTION = /^[\s│]*(Allow execution of.*\?|Apply this change\?|Do you want to .*\?|Allow .*\?)[\s│█]*$/;
const HEADER = /^[\s│]*\?\s+(\S+)\s+(.*?)[\s│←█]*$/;

function parse(lines: string[]): PermissionPrompt | undefined {
  const question = lastIndexMatching(lines, QUESTION);
  if (question < 0) return undefined;
  const options = numberedOptions(lines, question + 1, (n, label) => shortcutIn(label) ?? String(n));
  if (options.length < 2) return undefined;
  const headerRow = lastIndexMatching(lines.slice(0, question), HEADER);
  const header = headerRow >= 0 ? HEADER.exec(lines[headerRow]!) : null;
  const tool = header?.[1] ?? 'unknown';
  // The box body (between header and question) shows the command or diff; its first line is the gist.
  const body = lines
    .slice(headerRow + 1, question)
    .map((line) => unboxed(line).replace(/^[╭╰│─╮╯\s]+|[╭╰│─╮╯\s]+$/g, ''))
    .find((line) => line !== '');
  const summary = body ?? header?.[2]?.replace(/\s*\(.*\)\s*$/, '') ?? unboxed(lines[question]!);
  return { tool, summary, options };
}

const match: Matcher = {
  all: [{ line_regex: QUESTION.source }, { line_regex: '^[\\s│]*[●›]\\s*1\\.\\s+(Yes|Allow)' }],
};

/** An answer's first row: "✦ " (Gemini CLI, Qwen Code 0.15), "◆︎ " (Qwen Code 0.24, with a text-style selector). */
const ANSWER = /^\s*(?:✦|◆\uFE0E?) /;
/** The spinner row under an answer still streaming ("⠙ Thinking... (esc to cancel, 3s)"). */
const SPINNER = /esc to cancel/;
/** The row Gemini CLI shows while a hook runs after the answer (drover's AfterAgent, for one). */
const HOOK_RUNNING = /^\s*Executing Hook: /;

/**
 * The last "✦ " block of the latest turn. `inputRules` is how many horizontal rules the input
 * area has (Gemini: one above it; Qwen: one above and one below), so the transcript ends above
 * them. `userRow` is the person's message at its exact indent (Gemini " > ", Qwen "  > "), so a
 * "> " line inside an answer, indented deeper, does not read as a new turn. `rightMargin` is how
 * many columns short of the edge the CLI wraps its answers.
 */
export function lastAnswerReader(inputRules: number, userRow: RegExp, rightMargin = 0) {
  return (lines: string[], cols: number): string | undefined => {
    // Qwen Code 0.24 draws a scrollbar (█) in the last column once the transcript overflows.
    const rows = rowsAboveRule(lines, inputRules).map((row) => row.replace(/\s*█$/, ''));
    const blocks = markedBlocks(latestTurn(rows, userRow), ANSWER);
    const last = blocks.at(-1);
    // While a turn runs, the spinner hangs under the answer indented like its rows; Gemini also
    // right-aligns "? for shortcuts" there, and says which hook runs once the answer is in.
    return last && answerText(rowsBefore(last, (row) => SPINNER.test(row) || HOOK_RUNNING.test(row) || rightAligned(row, cols)), ANSWER, cols - rightMargin);
  };
}

export const boxedApproval = {
  parse,
  match,
  detail: '\\?\\s+(\\S+\\s+[^│\\n(]*)',
};
