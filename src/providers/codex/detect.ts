/**
 * What Codex CLI's screen means. No rules frame its composer: the bottom lines are the "› …"
 * composer and a footer. A turn shows "• Working (Ns • esc to interrupt)" — except while text
 * streams, when Codex removes that row; its window title keeps a spinner for the whole turn, and
 * the settle time keeps a still-growing answer from reading as done.
 * Approvals replace the composer with "Would you like to …?" and lettered options.
 */
import type { ProviderDefinition } from '../define.ts';

/** The question an approval asks; its reader takes the action from the capture. */
export const QUESTION = /^\s*Would you like to (.+)\?\s*$/;
/**
 * The question Codex asks before an MCP server's tool runs (a form: "Field 1/1", the arguments,
 * numbered options, "enter to submit | esc to cancel"); captures the server and the tool.
 */
export const MCP_QUESTION = /^\s*Allow the (\S+) MCP server to run tool "([^"]+)"\?\s*$/;

export const detect: ProviderDefinition['detect'] = {
  rules: [
    {
      id: 'codex.permission',
      state: 'needs_permission',
      priority: 100,
      region: { bottom_lines: 14 },
      match: { all: [{ line_regex: QUESTION.source }, { line_regex: '^\\s*›\\s*1\\.\\s' }, { contains: 'Press enter to confirm' }] },
      detail: QUESTION.source.replace('^\\s*', '').replace('\\s*$', ''),
    },
    {
      id: 'codex.mcp-permission',
      state: 'needs_permission',
      priority: 100,
      region: { bottom_lines: 16 },
      match: { all: [{ line_regex: MCP_QUESTION.source }, { line_regex: '^\\s*›\\s*1\\.\\s' }, { contains: 'enter to submit' }] },
      detail: 'an MCP tool',
    },
    {
      // The window title carries a braille spinner for the whole turn, also while the answer
      // streams and the Working row is gone from the screen. (It also spins for a moment while
      // Codex starts up: a turn needs a message of the user's above the composer.)
      id: 'codex.title-busy',
      state: 'working',
      priority: 45,
      region: 'title',
      match: { regex: '^[⠀-⣿] ' },
      and: [{ region: 'viewport', match: { regex: '(?:^|\\n)› [^\\n]*\\n[\\s\\S]*\\n› ' } }],
    },
    {
      id: 'codex.working',
      state: 'working',
      priority: 50,
      region: { bottom_lines: 8 },
      match: { line_regex: '^\\s*\\S\\s+(Working|Reconnecting\\.\\.\\.|Thinking)\\b.*esc to interrupt' },
      detail: '^\\s*\\S\\s+(Working|Reconnecting[^(]*)',
    },
    {
      // A message taken before Codex can start its turn (it runs its UserPromptSubmit hooks first,
      // drover's among them) waits in a queue above the composer: the turn is coming.
      id: 'codex.queued',
      state: 'working',
      priority: 48,
      region: { bottom_lines: 12 },
      match: { line_regex: '^\\s*\\S\\s+Queued follow-up inputs?\\b' },
    },
    {
      // The user's message is the transcript's last block, right above the composer: submitted,
      // and nothing of its turn drawn yet (Codex runs its UserPromptSubmit hooks first).
      id: 'codex.submitted',
      state: 'working',
      priority: 46,
      region: 'viewport',
      match: { regex: '(?:^|\\n)› [^\\n]*(?:\\n {2}[^\\n]*)*\\n(?:[ \\t]*\\n)*› [^\\n]*(?![\\s\\S]*\\n› )' },
    },
    {
      id: 'codex.error',
      state: 'error',
      priority: 40,
      region: { bottom_lines: 8 },
      // The last block above the composer (the last "› " line) starts with "■" (wrapped lines follow
      // it; a later "› message" is a new turn). "■ Conversation
      // interrupted" is the same mark after an Esc or a refused command: a finished turn, not a failure.
      match: { regex: '(?:^|\\n)■ (?!Conversation interrupted)[^\\n]*(?:\\n(?!› |\\s*• )[^\\n]*)*\\n› [^\\n]*(?![\\s\\S]*\\n› )' },
      detail: '■ ([^\\n]{0,80})',
    },
    {
      id: 'codex.composer',
      state: 'idle',
      priority: 10,
      region: { bottom_lines: 4 },
      match: { all: [{ line_regex: '^› ' }, { contains: 'for shortcuts' }] },
    },
  ],
};
