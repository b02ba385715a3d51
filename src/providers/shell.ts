/**
 * A shell or any other command. Live, the terminal's foreground process group says it: the shell
 * itself at its prompt → ready; a child holding the terminal → working. In a replay (no process to
 * ask) a prompt-looking last line stands in, and other output means working.
 */
import { defineProvider, NO_RULE } from './define.ts';

export const shell = defineProvider({
  id: 'shell',
  displayName: 'Shell / any command',
  settleMs: 200,
  doneAfterWork: true,
  initialStatus: 'starting',
  launch: { command: process.env.SHELL || 'bash', args: [], env: {}, install: 'any program on PATH' },
  parsePermission: () => undefined,
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
      match: { line_regex: '[$#%>❯]\\s?$' },
    },
  ],
});
