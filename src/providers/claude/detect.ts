/**
 * What Claude Code's screen means. Its screen: the transcript, a status/spinner line, the prompt
 * box between two solid rules (─), and a footer that reads "esc to interrupt" while a turn runs.
 * Permission dialogs replace the prompt box with a titled panel ending in numbered options.
 */
import type { ProviderDefinition } from '../define.ts';

/** The question a permission dialog ends with (its reader finds the panel from it). */
export const QUESTION = /^\s*Do you want to .+\?\s*$/;

export const detect: ProviderDefinition['detect'] = {
  settleMs: 250,
  // A submitted prompt stays in the input, drawn as a draft would be, until Claude has taken the
  // Enter and run its UserPromptSubmit hooks (drover's own among them): 0.5–5.4 s on a loaded
  // 2-core machine. A submit is held as working that long unless the screen shows work.
  submitLagMs: 8000,
  // The mascot in the header animates for a while after start; only the bottom of the screen
  // (status line, prompt box, footer) says whether Claude is still moving.
  settleRegions: [{ above_prompt_box: 1 }, 'prompt_box', 'after_last_rule'],
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
};
