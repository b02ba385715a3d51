/**
 * What GitHub Copilot CLI's screen means. These rules come from GitHub's public documentation
 * (approval options "1. Yes / 2. Yes, and approve … for the rest of this session / 3. No, and tell
 * Copilot what to do differently (Esc)", Esc cancels a running turn) and are unmeasured.
 */
import type { ProviderDefinition } from '../define.ts';

/** The first option of an approval. */
export const FIRST_OPTION = /^[\s│]*(?:[❯›>]\s*)?1\.\s+Yes\b/;

export const detect: ProviderDefinition['detect'] = {
  rules: [
    {
      id: 'copilot.permission',
      state: 'needs_permission',
      priority: 100,
      region: { bottom_lines: 14 },
      match: { all: [{ line_regex: FIRST_OPTION.source }, { line_regex: '^[\\s│]*\\d\\.\\s+No, and tell Copilot' }] },
    },
    {
      id: 'copilot.working',
      state: 'working',
      priority: 50,
      region: { bottom_lines: 6 },
      match: { line_regex: '\\((Esc|esc) to cancel' },
    },
    {
      id: 'copilot.input',
      state: 'idle',
      priority: 10,
      region: { bottom_lines: 6 },
      match: { line_regex: '^[\\s│]*>\\s' },
    },
  ],
};
