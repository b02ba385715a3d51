/**
 * Gemini CLI and its fork Qwen Code draw tool approvals the same way: a rounded box whose header
 * names the tool and command ("? Shell  touch x"), then a question and numbered options.
 */
import type { Matcher } from '../engine/rules.ts';
import { lastIndexMatching, numberedOptions, shortcutIn, unboxed } from './prompt.ts';
import type { PermissionPrompt } from './types.ts';

const QUESTION = /^[\s│]*(Allow execution of.*\?|Apply this change\?|Do you want to .*\?|Allow .*\?)[\s│]*$/;
const HEADER = /^[\s│]*\?\s+(\S+)\s+(.*?)[\s│←]*$/;

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

export const boxedApproval = {
  parse,
  match,
  detail: '\\?\\s+(\\S+\\s+[^│\\n(]*)',
};
