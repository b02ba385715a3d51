/**
 * A shell or any other command. Live, the terminal's foreground process group says it: the shell
 * itself at its prompt → ready; a child holding the terminal → working. In a replay (no process to
 * ask) a prompt-looking last line stands in.
 */
import { compileRules, firstMatch } from '../engine/rules.ts';
import { pasteThenEnter } from './define.ts';
import type { AgentProvider, Verdict } from './types.ts';

const rules = [
  {
    id: 'shell.prompt',
    state: 'idle' as const,
    priority: 10,
    region: { bottom_lines: 1 },
    match: { line_regex: '[$#%>❯]\\s?$' },
  },
];
const compiled = compileRules(rules, [], 'shell rules');

export const shell: AgentProvider = {
  id: 'shell',
  displayName: 'Shell / any command',
  settleMs: 200,
  doneAfterWork: true,
  initialStatus: 'starting',
  launch: { command: process.env.SHELL || 'bash', args: [], env: {}, install: 'any program on PATH' },
  rules,
  parsePermission: () => undefined,
  submit: pasteThenEnter,
  classify(view): Verdict {
    if (view.foregroundIsLeader === true) return { status: 'idle', rule: 'shell.foreground' };
    if (view.foregroundIsLeader === false) return { status: 'working', rule: 'shell.child-foreground' };
    const match = firstMatch(compiled, view.lines, view.title);
    if (match) return { status: match.state, rule: match.id };
    return view.changed ? { status: 'working', rule: 'shell.output' } : { status: 'unknown', rule: 'no-rule' };
  },
};
