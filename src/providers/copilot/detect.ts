/**
 * What Copilot CLI's screen means (measured on 1.0.102). A full-screen TUI: the transcript, a
 * folder line, the input (❯) between two rules, and one status line under them that reads
 * "◉ Working · 38 B esc esc interrupt" while a turn runs, "● Loading: …" while it starts, and
 * its key hints ("/ commands · ? help") when ready. Approvals and ask_user forms replace the
 * input and status line with a box of their own.
 */
import type { ProviderDefinition } from '../define.ts';

/** The question an approval dialog asks ("Do you want to run this command?" / "… allow this?"). */
export const QUESTION = /^[\s│]*Do you want to [^?]+\?[\s│]*$/;

export const detect: ProviderDefinition['detect'] = {
  // The mascot in the header blinks: only the bottom of the screen says whether Copilot moves.
  settleRegions: [{ above_prompt_box: 1 }, 'prompt_box', 'after_last_rule'],
  // Its whole screen runs behind the keys on a busy machine (typed text echoed, then the Enter
  // taken, 1.5–2 s later), and it runs git before it draws "Working".
  submitLagMs: 4000,
  rules: [
    {
      id: 'copilot.permission',
      state: 'needs_permission',
      priority: 100,
      region: { bottom_lines: 12 },
      match: {
        all: [
          { line_regex: QUESTION.source },
          { line_regex: '^│\\s*(?:❯\\s*)?1\\.\\s+Yes' },
          { regex: 'enter to select · esc to cancel' },
        ],
      },
      detail: '^│ (\\S[^│]*?)\\s*│\\s*\\n│ ─',
    },
    {
      id: 'copilot.question',
      state: 'needs_input',
      priority: 95,
      region: { bottom_lines: 3 },
      match: { regex: 'enter accept · ctrl\\+d decline' },
    },
    {
      id: 'copilot.working',
      state: 'working',
      priority: 50,
      region: 'after_last_rule',
      match: { line_regex: '^\\s*\\S\\s+Working\\b' },
    },
    {
      // A failed request ends the turn with "✗ 400 <message>" as the transcript's last block, right
      // above the folder line (a refused tool's "✗ Shell …" is followed by "● Operation cancelled").
      id: 'copilot.api-error',
      state: 'error',
      priority: 40,
      region: { above_prompt_box: 6 },
      match: { regex: '(?:^|\\n)\\s*✗ \\d{3} [^\\n]*(?:\\n {3,}\\S[^\\n]*)*\\n[^\\n]*$' },
      detail: '✗ (\\d{3} [^\\n]{0,60})',
    },
    {
      id: 'copilot.ready',
      state: 'idle',
      priority: 10,
      region: 'prompt_box',
      match: { line_regex: '^❯' },
      and: [{ region: 'after_last_rule', match: { not: { regex: 'Loading:' } } }],
    },
  ],
};
