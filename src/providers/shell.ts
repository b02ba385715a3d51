/**
 * A shell or any other command. Live, the terminal's foreground process group says it: the shell
 * itself at its prompt → ready; a child holding the terminal → working. In a replay (no process to
 * ask) a prompt-looking last line stands in, and other output means working.
 */
import { defineProvider, NO_RULE } from './define.ts';

/** A row that ends like a shell prompt. */
const PROMPT = /[$#%>❯]\s?$/;

/**
 * A shell's "answer" is the last command's output: the rows between the prompt it was typed at
 * and the bare prompt now at the bottom. The earlier prompt is found as a row starting with the
 * bare prompt's text, so a prompt that changed meanwhile (after `cd`) finds nothing. Undefined
 * while a command still runs (no bare prompt at the bottom). The program's own newlines are real:
 * nothing is unwrapped (the terminal's soft wraps are already joined in Screen.history).
 */
function lastResponse(lines: string[]): string | undefined {
  let bottom = lines.length - 1;
  while (bottom >= 0 && lines[bottom]!.trim() === '') bottom--;
  const prompt = lines[bottom]?.trimEnd();
  if (!prompt || !PROMPT.test(prompt)) return undefined;
  let typed = bottom - 1;
  while (typed >= 0 && lines[typed] !== prompt && !lines[typed]!.startsWith(`${prompt} `)) typed--;
  if (typed < 0) return undefined;
  return lines.slice(typed + 1, bottom).join('\n').replace(/\n+$/, '');
}

export const shell = defineProvider({
  id: 'shell',
  displayName: 'Shell / any command',
  settleMs: 200,
  doneAfterWork: true,
  initialStatus: 'starting',
  launch: { command: process.env.SHELL || 'bash', args: [], env: {}, install: 'any program on PATH' },
  parsePermission: () => undefined,
  lastResponse,
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
});
