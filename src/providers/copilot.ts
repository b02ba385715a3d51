/**
 * GitHub Copilot CLI. It needs a GitHub login and its own service, so it cannot run here against
 * a mock model: these rules come from GitHub's public documentation (approval options "1. Yes /
 * 2. Yes, and approve … for the rest of this session / 3. No, and tell Copilot what to do
 * differently (Esc)", Esc cancels a running turn) and are unmeasured.
 */
import { defineProvider } from './define.ts';
import { lastIndexMatching, numberedOptions, shortcutIn } from './prompt.ts';
import type { PermissionPrompt } from './types.ts';

const FIRST_OPTION = /^[\s│]*(?:[❯›>]\s*)?1\.\s+Yes\b/;

function parsePermission(lines: string[]): PermissionPrompt | undefined {
  const first = lastIndexMatching(lines, FIRST_OPTION);
  if (first < 0) return undefined;
  const options = numberedOptions(lines, first, (n, label) => shortcutIn(label) ?? String(n));
  if (options.length < 2 || !options.some((o) => o.choice === 'deny')) return undefined;
  const above = lines.slice(Math.max(0, first - 8), first).map((l) => l.replace(/^[\s│]+|[\s│]+$/g, '')).filter(Boolean);
  const command = above.find((line) => /^\$ /.test(line))?.slice(2);
  return { tool: command ? 'shell' : (above[0] ?? 'unknown'), summary: command ?? above.at(-1) ?? '', options };
}

export const copilot = defineProvider({
  id: 'copilot',
  displayName: 'Copilot CLI',
  settleMs: 300,
  doneAfterWork: true,
  initialStatus: 'starting',
  launch: { command: 'copilot', args: [], env: {}, install: 'npm install -g @github/copilot' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  parsePermission,
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
});
