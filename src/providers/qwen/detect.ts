/**
 * What Qwen Code's screen means (a Gemini CLI fork): the input sits between two rules, the spinner
 * line above it reads "… (5s · esc to cancel)". Approvals are Gemini's box, plus "Waiting for user
 * confirmation".
 */
import type { ProviderDefinition } from '../define.ts';
import { boxedApproval } from '../gemini/family.ts';

export const detect: ProviderDefinition['detect'] = {
  // Typed text is echoed, and the Enter taken, up to ~0.5 s late on a loaded machine, and the turn
  // drawn after Qwen's UserPromptSubmit hooks (drover's among them) have run: meanwhile the input
  // still holds the message, as a draft would. A submit is held as working that long unless the
  // screen shows work.
  submitLagMs: 4000,
  rules: [
    {
      id: 'qwen.permission',
      state: 'needs_permission',
      priority: 100,
      region: 'viewport',
      match: boxedApproval.match,
      detail: boxedApproval.detail,
    },
    {
      // 0.24's ask_user_question: "? AskUserQuestion Ask user 1 question", the question, numbered
      // choices and "↑/↓: Navigate | Enter: Select | Esc: Cancel" (no box, a scrollbar beside it).
      id: 'qwen.question',
      state: 'needs_input',
      priority: 95,
      region: 'viewport',
      match: { all: [{ line_regex: '^\\s*\\?\\s+AskUserQuestion\\b' }, { line_regex: '^\\s*❯\\s*1\\.\\s' }, { contains: 'Enter: Select' }] },
    },
    {
      id: 'qwen.working',
      state: 'working',
      priority: 50,
      region: { above_prompt_box: 3 },
      // Across lines: at 80 columns "(5s · ↓ 9 tokens · esc to cancel)" wraps.
      match: { regex: '\\(\\d+[smh][^)]*?esc\\s+to\\s+cancel\\)' },
      detail: '^\\s*\\S+\\s+([^(\\n]+?)\\s*\\(\\d',
    },
    {
      // 0.24 offers to queue or steer with what is typed while a turn runs ("Enter to steer · Ctrl+Q
      // to queue"), and counts what is queued ("⏳ 1 queued"): the footer under the input says the
      // agent is busy even where the spinner row is not drawn yet.
      id: 'qwen.busy-footer',
      state: 'working',
      priority: 50,
      region: 'after_last_rule',
      match: { regex: 'Ctrl\\+Q to queue|⏳ \\d+ queued' },
    },
    {
      id: 'qwen.api-error',
      state: 'error',
      priority: 40,
      region: { above_prompt_box: 5 },
      match: { regex: '(?:^|\\n)\\s*✕ \\[API Error[^\\n]*(?:\\n(?!\\s*> )[^\\n]*)*$' },
      detail: '✕ \\[(API Error[^\\n\\]]{0,60})',
    },
    {
      id: 'qwen.input',
      state: 'idle',
      priority: 10,
      region: 'prompt_box',
      match: { line_regex: '^\\s*>\\s' },
    },
  ],
};
