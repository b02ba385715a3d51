/** How opencode is launched. */
import type { ProviderDefinition } from '../define.ts';

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'opencode', install: 'npm install -g opencode-ai' },
  resumeArgs: (sessionId) => ['--session', sessionId],
};
