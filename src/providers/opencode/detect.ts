/**
 * What opencode's screen means. A full-screen TUI: the input is a bar-framed block (┃) closed by
 * ╹▀▀▀, and right under that edge a footer row shows "esc interrupt" beside a progress bar while a
 * turn runs. Permission requests replace the input with "△ Permission required" and a button row.
 *
 * The rules anchor on that edge and its footer row, wherever they sit: the home screen centres the
 * input with a random tip and the status bar under it (a different tip each start), the session
 * screen puts it at the bottom. No rule counts rows from the bottom of the screen.
 */
import type { ProviderDefinition } from '../define.ts';

/** The permission dialog's row of buttons. */
export const BUTTONS = /Allow once\s+Allow always\s+Reject/;

/**
 * The input's bottom edge, the last one on screen; what follows it on its line is not read. Its
 * end is pinned to the end of the line before the look ahead (which scans the rest of the screen):
 * left free, a regex engine tried every split of the edge's row between ▀{10,} and [^\n]*, each
 * with that scan, and this one regex was a fifth of the cost of replaying opencode's recordings.
 */
const INPUT_EDGE = '(?:^|\\n)\\s*╹▀{10}[^\\n]*(?![^\\n])(?![\\s\\S]*╹▀{10})';
/** The footer row right under the edge. */
const FOOTER = `${INPUT_EDGE}\\n[^\\n]*`;
const INTERRUPT = 'esc (?:again to )?interrupt';
/**
 * The end of a row with nothing more in the transcript's column (BESIDE), or nothing there but its
 * bar (SIDEBAR_ROW): on a wide terminal the session sidebar ("Context", "LSP", …) writes on the same
 * row, far to the right.
 */
const BESIDE = '(?: *\\n| {20}[^\\n]*\\n)';
const SIDEBAR_ROW = `[ ┃]*${BESIDE}`;
/** The turn's last "▣ Agent · Model" line, without the duration a finished turn gets. */
const UNFINISHED_TURN = '\\s*▣  [^\\n·]+·[^\\n·]+(?:\\n|$)(?![\\s\\S]*▣)';

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
      region: 'viewport',
      match: { regex: `${FOOTER}\\[retrying in \\d` },
      detail: `${INPUT_EDGE}\\n\\s*\\S*\\s*([^\\[\\n]+)\\[retrying`,
    },
    {
      id: 'opencode.working',
      state: 'working',
      priority: 50,
      region: 'viewport',
      // The first Esc only arms the interrupt: "esc again to interrupt" is still a running turn.
      match: { regex: `${FOOTER}${INTERRUPT}` },
    },
    {
      // The person's message is the transcript's last block, no "▣ Agent · Model" line under it
      // yet: the turn has begun and not drawn its line (a loaded opencode drew the session screen
      // 20 s after the Enter, and its line and working bar 2 s after that). The block is set off
      // from the input below by a row without its bar; the input's own rows are never.
      id: 'opencode.pending',
      state: 'working',
      priority: 45,
      region: 'viewport',
      match: { regex: `\\n\\s*┃  \\S[^\\n]*\\n\\s*┃${BESIDE}${BESIDE}(?![\\s\\S]*▣)[\\s\\S]*${INPUT_EDGE}` },
    },
    {
      // A failed request leaves its message as a ┃-barred block right above the turn's last
      // "▣ Agent · Model" line, which lacks the duration a finished turn gets ("· 12.9s"). (A
      // refused tool call also ends without a duration, but with the tool's "$ command" above.)
      // The rows between are empty in the transcript's column; on a wide terminal the session
      // sidebar writes on them, and the error's toast, far to the right. (On a loaded machine the
      // toast comes first, over the prompt's own block, which then stands right above the line:
      // a turn over with nothing drawn between the prompt and that line failed as well.)
      id: 'opencode.error',
      state: 'error',
      priority: 40,
      region: 'viewport',
      match: { regex: `\\n\\s*┃  \\S[^\\n]*\\n(?:\\s*┃?\\s*\\n|${SIDEBAR_ROW}${SIDEBAR_ROW})${UNFINISHED_TURN}` },
    },
    {
      id: 'opencode.input',
      state: 'idle',
      priority: 10,
      region: 'viewport',
      // The input's edge with a footer row under it that does not say a turn runs.
      match: { regex: `${INPUT_EDGE}(?:$|\\n(?![^\\n]*${INTERRUPT}))` },
    },
  ],
};
