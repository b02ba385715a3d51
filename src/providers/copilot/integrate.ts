/** How Copilot CLI is launched. */
import type { ProviderDefinition } from '../define.ts';

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'copilot', install: 'npm install -g @github/copilot' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
};
