/**
 * opencode. A full-screen TUI: the input is a bar-framed block (┃) closed by ╹▀▀▀, and the
 * bottom line is a footer that shows "esc interrupt" beside a progress bar while a turn runs.
 * Permission requests replace the input with "△ Permission required" and a button row.
 */
import { defineProvider } from './define.ts';
import { lastIndexMatching, unboxed } from './prompt.ts';
import type { PermissionPrompt } from './types.ts';

const BUTTONS = /Allow once\s+Allow always\s+Reject/;

function parsePermission(lines: string[]): PermissionPrompt | undefined {
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

export const opencode = defineProvider({
  id: 'opencode',
  displayName: 'opencode',
  settleMs: 300,
  doneAfterWork: true,
  initialStatus: 'starting',
  launch: { command: 'opencode', args: [], env: {}, install: 'npm install -g opencode-ai' },
  resumeArgs: (sessionId) => ['--session', sessionId],
  parsePermission,
  rules: [
    {
      id: 'opencode.permission',
      state: 'needs_permission',
      priority: 100,
      region: { bottom_lines: 16 },
      match: { all: [{ contains: '△ Permission required' }, { regex: BUTTONS.source }] },
      detail: '△ Permission required\\s*\\n[\\s┃]*([^\\n]+)',
    },
    {
      // The question tool: the question, numbered choices and "↑↓ select  enter submit  esc dismiss".
      id: 'opencode.question',
      state: 'needs_input',
      priority: 95,
      region: { bottom_lines: 16 },
      match: { all: [{ contains: 'enter submit' }, { contains: 'esc dismiss' }, { line_regex: '^[\\s┃]*1\\.\\s' }] },
    },
    {
      id: 'opencode.retrying',
      state: 'working',
      priority: 60,
      region: { bottom_lines: 1 },
      match: { regex: '\\[retrying in \\d' },
      detail: '^\\s*\\S*\\s*([^\\[]+)\\[retrying',
    },
    {
      id: 'opencode.working',
      state: 'working',
      priority: 50,
      region: { bottom_lines: 1 },
      // The first Esc only arms the interrupt: "esc again to interrupt" is still a running turn.
      match: { regex: 'esc (again to )?interrupt' },
    },
    {
      // A failed request leaves its message as a ┃-barred block right above the turn's last
      // "▣ Agent · Model" line, which lacks the duration a finished turn gets ("· 12.9s"). (A
      // refused tool call also ends without a duration, but with the tool's "$ command" above.)
      id: 'opencode.error',
      state: 'error',
      priority: 40,
      region: 'viewport',
      match: { regex: '\\n\\s*┃  \\S[^\\n]*\\n\\s*┃?\\s*\\n\\s*▣  [^\\n·]+·[^\\n·]+(?:\\n|$)(?![\\s\\S]*▣)' },
    },
    {
      id: 'opencode.input',
      state: 'idle',
      priority: 10,
      region: { bottom_lines: 3 },
      match: { all: [{ line_regex: '^\\s*╹▀{10,}' }, { not: { regex: 'esc (again to )?interrupt' } }] },
    },
  ],
});
