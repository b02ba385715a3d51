/**
 * What opencode's screen means. A full-screen TUI: the input is a bar-framed block (┃) closed by
 * ╹▀▀▀, and the bottom line is a footer that shows "esc interrupt" beside a progress bar while a
 * turn runs. Permission requests replace the input with "△ Permission required" and a button row.
 */
import type { ProviderDefinition } from '../define.ts';

/** The permission dialog's row of buttons. */
export const BUTTONS = /Allow once\s+Allow always\s+Reject/;

export const detect: ProviderDefinition['detect'] = {
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
};
