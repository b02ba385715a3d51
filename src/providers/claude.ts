/**
 * Claude Code. Its screen: the transcript, a status/spinner line, the prompt box between two
 * solid rules (─), and a footer that reads "esc to interrupt" while a turn runs. Permission
 * dialogs replace the prompt box with a titled panel ending in numbered options.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineProvider } from './define.ts';
import { lastIndexMatching, numberedOptions, unboxed } from './prompt.ts';
import { answerText, latestTurn, markedBlocks, rightAligned, rowsAboveRule, rowsBefore } from './response.ts';
import type { PermissionPrompt } from './types.ts';

const QUESTION = /^\s*Do you want to .+\?\s*$/;
const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Notification', 'Stop'];

function parsePermission(lines: string[]): PermissionPrompt | undefined {
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

export const claude = defineProvider({
  id: 'claude',
  displayName: 'Claude Code',
  settleMs: 250,
  // The mascot in the header animates for a while after start; only the bottom of the screen
  // (status line, prompt box, footer) says whether Claude is still moving.
  settleRegions: [{ above_prompt_box: 1 }, 'prompt_box', 'after_last_rule'],
  doneAfterWork: true,
  initialStatus: 'starting',
  launch: {
    command: 'claude',
    args: [],
    env: {},
    install: 'npm install -g @anthropic-ai/claude-code',
  },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  hooks({ dir, command }) {
    // A settings layer for this launch only (--settings): the user's ~/.claude stays untouched.
    const hooks = Object.fromEntries(
      HOOK_EVENTS.map((event) => [event, [{ ...(event === 'PreToolUse' ? { matcher: '*' } : {}), hooks: [{ type: 'command', command: command(event) }] }]]),
    );
    const file = path.join(dir, 'claude-settings.json');
    writeFileSync(file, JSON.stringify({ hooks }, null, 2), { mode: 0o600 });
    return { args: ['--settings', file] };
  },
  mcp({ dir, server }) {
    const file = path.join(dir, 'claude-mcp.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { drover: { type: 'stdio', ...server } } }, null, 2), { mode: 0o600 });
    return { args: ['--mcp-config', file] };
  },
  hookReport(event, payload) {
    const sessionId = typeof payload.session_id === 'string' ? payload.session_id : undefined;
    const report = sessionId ? { sessionId } : {};
    if (event === 'UserPromptSubmit' || event === 'PreToolUse') return { ...report, status: 'working' };
    if (event === 'Stop') return { ...report, status: 'idle' };
    if (event === 'Notification' && /permission/i.test(String(payload.message ?? ''))) return { ...report, status: 'needs_permission' };
    return report;
  },
  parsePermission,
  lastResponse,
  rules: [
    {
      id: 'claude.permission',
      state: 'needs_permission',
      priority: 100,
      region: { bottom_lines: 14 },
      match: { all: [{ line_regex: QUESTION.source }, { line_regex: '^\\s*❯\\s*1\\.\\s' }, { contains: 'Esc to cancel' }] },
      detail: '\\n\\s*([A-Z][^\\n]*(?:command|file|Edit|Write|Fetch|Read|tool)[^\\n]*)',
    },
    {
      id: 'claude.question',
      state: 'needs_input',
      priority: 95,
      region: { bottom_lines: 16 },
      // AskUserQuestion: a question with numbered choices, "Enter to select · ↑/↓ to navigate".
      match: { all: [{ contains: 'Enter to select' }, { line_regex: '^\\s*❯\\s*1\\.\\s' }, { contains: 'Esc to cancel' }] },
      detail: '\\n([^\\n]*\\?)\\s*\\n',
    },
    {
      id: 'claude.working',
      state: 'working',
      priority: 50,
      region: 'after_last_rule',
      match: { contains: 'esc to interrupt' },
    },
    {
      // The spinner row ("✢ Zesting…", "· Quantumizing… (running SessionStart hook · 0s)") is up
      // before the footer says "esc to interrupt" on a first prompt sent while Claude is still
      // starting (its SessionStart hooks running): the prompt box is empty by then, not idle.
      id: 'claude.spinner',
      state: 'working',
      priority: 50,
      region: { above_prompt_box: 3 },
      match: { line_regex: '^[·✢*✶✻✽✳] \\S+…' },
    },
    {
      id: 'claude.api-error',
      state: 'error',
      priority: 40,
      region: { above_prompt_box: 6 },
      // The last block above the prompt is the error (its continuation lines are indented).
      match: { regex: '(?:^|\\n)● API Error[^\\n]*(?:\\n  [^\\n]*)*$' },
      detail: '● (API Error: [^\\n.]*)',
    },
    {
      id: 'claude.prompt',
      state: 'idle',
      priority: 10,
      region: 'prompt_box',
      match: { line_regex: '^❯' },
    },
  ],
});
