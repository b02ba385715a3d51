/** How a shell is launched: the user's own ($SHELL). */
import type { ProviderDefinition } from '../define.ts';

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: process.env.SHELL || 'bash', install: 'any program on PATH' },
};
