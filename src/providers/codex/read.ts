/** What Codex CLI's screen says: its approval dialog and its last answer. */
import { choiceOf, lastIndexMatching, numberedOptions, shortcutIn } from '../shared/prompt.ts';
import { answerText, latestTurn, markedBlocks, rowsBefore } from '../shared/response.ts';
import type { PermissionPrompt } from '../../status/permission.ts';
import type { Reader } from '../types.ts';
import { MCP_QUESTION, QUESTION } from './detect.ts';
import { transcriptResponse } from './transcript.ts';

function permissionPrompt(lines: string[]): PermissionPrompt | undefined {
  const question = lastIndexMatching(lines, QUESTION);
  if (question < 0) return mcpToolPrompt(lines);
  const options = numberedOptions(lines, question + 1, (n, label) => shortcutIn(label) ?? String(n));
  if (options.length < 2) return undefined;
  const what = QUESTION.exec(lines[question]!)![1]!;
  const commandLine = lines.slice(question + 1).find((line) => /^\s*\$ /.test(line));
  const tool = /edit/i.test(what) ? 'edit' : /command/i.test(what) ? 'shell' : what;
  const summary = commandLine?.replace(/^\s*\$ /, '').trim() ?? what;
  return { tool, summary, options };
}

/**
 * Codex's question before an MCP tool runs. Its options are a list with a cursor on the first,
 * each label followed by a description column: an option is picked by moving down to it and
 * Enter; "Cancel" refuses the call. The summary is the arguments it shows (cut by Codex).
 */
function mcpToolPrompt(lines: string[]): PermissionPrompt | undefined {
  const question = lastIndexMatching(lines, MCP_QUESTION);
  if (question < 0) return undefined;
  const options = numberedOptions(lines, question + 1, (n) => `${'\x1b[B'.repeat(n - 1)}\r`).map((option) => {
    const label = option.label.split(/\s{2,}/)[0]!;
    return { ...option, label, choice: /^cancel\b/i.test(label) ? ('deny' as const) : choiceOf(label) };
  });
  if (options.length < 2) return undefined;
  const [, server, tool] = MCP_QUESTION.exec(lines[question]!)!;
  const first = lines.findIndex((line, i) => i > question && /^\s*[›>]?\s*1\.\s/.test(line));
  const args = lines.slice(question + 1, first).map((line) => line.trim()).filter(Boolean);
  return { tool: `${server}.${tool}`, summary: args.length ? args.join('; ') : `${server}.${tool}`, options };
}

/** A message the person sent; the last such row is the composer. */
const USER_ROW = /^› /;
/** The first row of each of Codex's items, text or tool. */
const ITEM = /^• /;
/** A tool item's heading ("• Ran touch x", "• Explored", "• Edited a.ts (+1 -1)"). */
const TOOL_ITEM = /^• (?:Ran|Running|Exited|Explored|Exploring|Edited|Editing|Added|Deleted|Updated Plan|Called|Calling|Searched|Searching|Read|Reading|Waited|Waiting|Working|Interacted|Viewed)\b/;
/** A tool's output row ("  └ (no output)"). */
const TOOL_OUTPUT = /^\s*└/;
/** Messages waiting above the composer (typed while a turn or a hook runs): not the answer. */
const QUEUED = /^\S\s+Queued follow-up inputs?\b/;
/** The end-of-turn line, which Codex indents like an answer's rows ("  Worked for 10s • 23:58"). */
const TURN_SUMMARY = /^\s*(?:─\s*)?Worked for\b/;

/** The latest turn runs from the person's last message to the composer; its last text item is the answer. */
function lastResponse(lines: string[], cols: number): string | undefined {
  const composer = lastIndexMatching(lines, USER_ROW);
  const transcript = composer < 0 ? lines : lines.slice(0, composer);
  const last = markedBlocks(latestTurn(transcript, USER_ROW), ITEM)
    .filter((block) => !TOOL_ITEM.test(block[0]!) && !QUEUED.test(block[0]!) && !block.some((row) => TOOL_OUTPUT.test(row)))
    .at(-1);
  return last && answerText(rowsBefore(last, TURN_SUMMARY), ITEM, cols);
}

export const read: Reader = { permissionPrompt, lastResponse, transcriptResponse };
