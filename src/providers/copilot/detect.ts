/**
 * What Copilot CLI's screen means (measured on 1.0.102). A full-screen TUI: the transcript, a
 * folder line, the input (❯) between two rules, and one status line under them that reads
 * "◉ Working · 38 B esc esc interrupt" while a turn runs (the spinner cycles ● ◉ ◎ ○), "● Loading: …" while it starts, and
 * its key hints ("/ commands · ? help") when ready. Approvals and ask_user forms replace the
 * input and status line with a box of their own.
 */
import type { ProviderDefinition } from '../define.ts';

/** The question an approval dialog asks ("Do you want to run this command?" / "… allow this?"). */
export const QUESTION = /^[\s│]*Do you want to [^?]+\?[\s│]*$/;

export const detect: ProviderDefinition['detect'] = {
  // The mascot in the header blinks: only the bottom of the screen says whether Copilot moves
  // (the transcript's last row too: a failed request's "✗ 400 …" is drawn after the status line
  // is back, and only a change in these regions has the screen read again).
  settleRegions: [{ above_prompt_box: 2 }, 'prompt_box', 'after_last_rule'],
  // Its whole screen runs behind the keys on a busy machine: typed text is echoed and the Enter
  // taken 1.5–5 s late (measured on a loaded 2-core machine), and it runs git before "Working".
  submitLagMs: 8000,
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
      // The status line under the input starts with its spinner ("◉ Working · 38 B …", "◎ Cancelling"
      // after an Esc) for as long as a turn runs; "● Loading:" is its start, not a turn.
      id: 'copilot.working',
      state: 'working',
      priority: 50,
      region: 'after_last_rule',
      match: { line_regex: '^\\s*[●◉◎○∙∘]\\s+(?!Loading:)\\S' },
      detail: '^\\s*\\S\\s+(\\S+)',
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
      // An empty input: text in it is a message being written, or one submitted that Copilot has
      // not taken yet (it echoes keys late), and neither says the turn is over.
      id: 'copilot.ready',
      state: 'idle',
      priority: 10,
      region: 'prompt_box',
      match: { line_regex: '^❯\\s*$' },
      and: [{ region: 'after_last_rule', match: { not: { regex: 'Loading:' } } }],
    },
  ],
};
