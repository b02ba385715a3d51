/**
 * Codex CLI. No rules frame its composer: the bottom lines are the "› …" composer and a footer.
 * A turn shows "• Working (Ns • esc to interrupt)" — except while text streams, when Codex
 * removes that row; its window title keeps a spinner for the whole turn, and the settle time
 * keeps a still-growing answer from reading as done.
 * Approvals replace the composer with "Would you like to …?" and lettered options.
 */
import { defineProvider } from './define.ts';
import { lastIndexMatching, numberedOptions, shortcutIn } from './prompt.ts';
import { answerText, latestTurn, markedBlocks, rowsBefore } from './response.ts';
import type { PermissionPrompt } from './types.ts';

const QUESTION = /^\s*Would you like to (.+)\?\s*$/;

function parsePermission(lines: string[]): PermissionPrompt | undefined {
  const question = lastIndexMatching(lines, QUESTION);
  if (question < 0) return undefined;
  const options = numberedOptions(lines, question + 1, (n, label) => shortcutIn(label) ?? String(n));
  if (options.length < 2) return undefined;
  const what = QUESTION.exec(lines[question]!)![1]!;
  const commandLine = lines.slice(question + 1).find((line) => /^\s*\$ /.test(line));
  const tool = /edit/i.test(what) ? 'edit' : /command/i.test(what) ? 'shell' : what;
  const summary = commandLine?.replace(/^\s*\$ /, '').trim() ?? what;
  return { tool, summary, options };
}

/** A message the person sent; the last such row is the composer. */
const USER_ROW = /^› /;
/** The first row of each of Codex's items, text or tool. */
const ITEM = /^• /;
/** A tool item's heading ("• Ran touch x", "• Explored", "• Edited a.ts (+1 -1)"). */
const TOOL_ITEM = /^• (?:Ran|Running|Exited|Explored|Exploring|Edited|Editing|Added|Deleted|Updated Plan|Called|Calling|Searched|Searching|Read|Reading|Waited|Waiting|Working|Interacted|Viewed)\b/;
/** A tool's output row ("  └ (no output)"). */
const TOOL_OUTPUT = /^\s*└/;
/** The end-of-turn line, which Codex indents like an answer's rows ("  Worked for 10s • 23:58"). */
const TURN_SUMMARY = /^\s*(?:─\s*)?Worked for\b/;

/** The latest turn runs from the person's last message to the composer; its last text item is the answer. */
function lastResponse(lines: string[], cols: number): string | undefined {
  const composer = lastIndexMatching(lines, USER_ROW);
  const transcript = composer < 0 ? lines : lines.slice(0, composer);
  const last = markedBlocks(latestTurn(transcript, USER_ROW), ITEM)
    .filter((block) => !TOOL_ITEM.test(block[0]!) && !block.some((row) => TOOL_OUTPUT.test(row)))
    .at(-1);
  return last && answerText(rowsBefore(last, TURN_SUMMARY), ITEM, cols);
}

export const codex = defineProvider({
  id: 'codex',
  displayName: 'Codex CLI',
  settleMs: 300,
  doneAfterWork: true,
  initialStatus: 'starting',
  launch: { command: 'codex', args: [], env: {}, install: 'npm install -g @openai/codex' },
  resumeArgs: (sessionId) => ['resume', sessionId],
  // Config overrides for this launch (TOML values; a JSON string is a TOML basic string).
  mcp: ({ server }) => ({
    args: [
      '-c', `mcp_servers.drover.command=${JSON.stringify(server.command)}`,
      '-c', `mcp_servers.drover.args=[${server.args.map((a) => JSON.stringify(a)).join(',')}]`,
      '-c', `mcp_servers.drover.env={${Object.entries(server.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`,
    ],
  }),
  parsePermission,
  lastResponse,
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
});
