/**
 * What a shell's (or any command's) screen means. Live, the terminal's foreground process group
 * says it: the shell itself at its prompt → ready; a child holding the terminal → working. In a
 * replay (no process to ask) a prompt-looking last line stands in, and other output means working.
 */
import { NO_RULE } from '../../status/detector.ts';
import type { ProviderDefinition } from '../define.ts';

/** A row that ends like a shell prompt. */
export const PROMPT = /[$#%>❯]\s?$/;

export const detect: ProviderDefinition['detect'] = {
  settleMs: 200,
  signal(view) {
    if (view.foregroundIsLeader === true) return { status: 'idle', rule: 'shell.foreground' };
    if (view.foregroundIsLeader === false) return { status: 'working', rule: 'shell.child-foreground' };
    return undefined;
  },
  unmatched: (view) => (view.changed ? { status: 'working', rule: 'shell.output' } : { status: 'unknown', rule: NO_RULE }),
  rules: [
    {
      id: 'shell.prompt',
      state: 'idle',
      priority: 10,
      region: { bottom_lines: 1 },
      match: { line_regex: PROMPT.source },
    },
  ],
};
