/**
 * What Gemini CLI's screen means. A spinner line "⠧ Thinking... (esc to cancel, 5s)" sits above
 * one rule; under it, the " >   Type your message" input and a footer. Tool approvals are a
 * rounded box with "Allow execution of [Tool]?" / "Apply this change?" and "● 1. Allow once".
 */
import type { ProviderDefinition } from '../define.ts';
import { boxedApproval } from './family.ts';

/** The input row under the rule ("> " and the placeholder or a draft). */
const INPUT_ROW = '^\\s*>\\s';

export const detect: ProviderDefinition['detect'] = {
  // The banner and the footer redraw for a moment after start; the spinner line (and the title,
  // always watched) say whether Gemini is still moving.
  settleRegions: [{ above_prompt_box: 1 }],
  // Gemini clears its input when it takes a message, then shows nothing of the turn (no spinner,
  // the title still "◇ Ready", the message not yet in the transcript) for up to a second on a
  // loaded machine: a submit is working for that long unless the screen shows the turn sooner.
  submitLagMs: 3000,
  rules: [
    {
      id: 'gemini.permission',
      state: 'needs_permission',
      priority: 100,
      region: 'viewport',
      match: boxedApproval.match,
      detail: boxedApproval.detail,
    },
    {
      // ask_user: an "Answer Questions" box with numbered choices.
      id: 'gemini.question',
      state: 'needs_input',
      priority: 95,
      region: 'viewport',
      match: { all: [{ line_regex: '^[\\s│]*Answer Questions' }, { contains: 'Enter to select' }] },
      detail: 'Answer Questions[\\s│]*\\n[\\s│]*\\n[\\s│]*([^│\\n]+?)[\\s│]*\\n',
    },
    {
      id: 'gemini.working',
      state: 'working',
      priority: 50,
      region: { above_prompt_box: 3 },
      match: { line_regex: '\\(esc to cancel, \\d' },
      detail: '^\\s*\\S\\s+([^(\\n]+?)\\s*\\(esc to cancel',
    },
    {
      // A message Gemini holds to send by itself ("Queued (press ↑ to edit):" above the input: one
      // typed while it works, or while it is still initializing, when the title already says
      // Ready): the agent is not free for the next one. Its turn is coming: once Gemini takes it
      // from the queue it draws the ready screen for up to a second before the spinner.
      id: 'gemini.queued',
      state: 'working',
      priority: 50,
      region: 'viewport',
      match: { line_regex: '^\\s*Queued \\(press ↑ to edit\\):' },
      coming: true,
    },
    {
      // Gemini names its state in the window title: "✦  Working… (dir)", "◇  Ready (dir)",
      // "✋  Action Required (dir)" (the screen says whether that is a permission or a question).
      id: 'gemini.title-busy',
      state: 'working',
      priority: 45,
      region: 'title',
      match: { regex: '^✦ ' },
    },
    {
      id: 'gemini.api-error',
      state: 'error',
      priority: 40,
      region: { above_prompt_box: 5 },
      match: { regex: '(?:^|\\n)✕ \\[API Error[^\\n]*(?:\\n(?! > )[^\\n]*)*$' },
      detail: '✕ \\[(API Error[^\\n]{0,60})',
    },
    {
      id: 'gemini.title-ready',
      state: 'idle',
      priority: 11,
      region: 'title',
      match: { regex: '^◇ ' },
      // The title says Ready before the screen is drawn: the input must be there too.
      and: [{ region: 'after_last_rule', match: { line_regex: INPUT_ROW } }],
    },
    {
      id: 'gemini.input',
      state: 'idle',
      priority: 10,
      region: 'after_last_rule',
      match: { line_regex: INPUT_ROW },
    },
  ],
};
