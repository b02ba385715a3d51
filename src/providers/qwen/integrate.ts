/** How Qwen Code is launched. */
import type { ProviderDefinition } from '../define.ts';

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'qwen', install: 'npm install -g @qwen-code/qwen-code' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
};
