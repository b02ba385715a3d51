/**
 * What Qwen Code's screen means (a Gemini CLI fork): the input sits between two rules, the spinner
 * line above it reads "… (5s · esc to cancel)". Approvals are Gemini's box, plus "Waiting for user
 * confirmation".
 */
import type { ProviderDefinition } from '../define.ts';
import { boxedApproval } from '../gemini/family.ts';

export const detect: ProviderDefinition['detect'] = {
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
      id: 'qwen.working',
      state: 'working',
      priority: 50,
      region: { above_prompt_box: 3 },
      // Across lines: at 80 columns "(5s · ↓ 9 tokens · esc to cancel)" wraps.
      match: { regex: '\\(\\d+[smh][^)]*?esc\\s+to\\s+cancel\\)' },
      detail: '^\\s*\\S+\\s+([^(\\n]+?)\\s*\\(\\d',
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
