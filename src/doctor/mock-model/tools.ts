// Turns a scenario tool spec into the call to send, given the tools the request offers.
import { isObject } from './json.ts';
import { minimalValue } from './json-schema.ts';
import type { Turn } from './scenario.ts';
import type { OfferedTool, Protocol, RequestInfo, ToolCall } from './types.ts';

type ToolSpec = NonNullable<Turn['tool']>;

interface ShellTool {
  name: string;
  args(cmd: string, escalate: boolean): Record<string, unknown>;
}

// The shell tool of each CLI, in the order they are looked for in a request.
const SHELL_TOOLS: ShellTool[] = [
  // Claude Code. The description is shown in the permission prompt.
  { name: 'Bash', args: (cmd) => ({ command: cmd, description: `Run: ${cmd}` }) },
  // Codex. With approval_policy on-request it asks only when the model requests escalation;
  // the justification is the "Reason:" on the approval screen.
  {
    name: 'exec_command',
    args: (cmd, escalate) =>
      escalate
        ? { cmd, sandbox_permissions: 'require_escalated', justification: `Do you want to run \`${cmd}\`?` }
        : { cmd },
  },
  // Gemini CLI and Qwen Code.
  { name: 'run_shell_command', args: (cmd) => ({ command: cmd }) },
  // opencode.
  { name: 'bash', args: (cmd) => ({ command: cmd, description: `Run: ${cmd}` }) },
];

// Used when the request offers no known shell tool.
const FALLBACK_SHELL: Record<Protocol, string> = {
  anthropic: 'Bash',
  responses: 'exec_command',
  gemini: 'run_shell_command',
  chat: 'bash',
};

export function resolveTool(spec: ToolSpec, req: RequestInfo): ToolCall {
  if (spec.name !== undefined) {
    const offered = req.tools.find((t) => t.name === spec.name);
    if (offered?.kind === 'custom') {
      const input = spec.input ?? '';
      return { name: spec.name, kind: 'custom', args: typeof input === 'string' ? input : JSON.stringify(input) };
    }
    return { name: spec.name, kind: 'function', args: spec.input ?? {} };
  }
  return shellCall(spec.shell!, spec.escalate ?? true, req);
}

function shellCall(cmd: string, escalate: boolean, req: RequestInfo): ToolCall {
  const callable = req.tools.filter((t) => t.kind === 'function');
  for (const shell of SHELL_TOOLS) {
    const offered = callable.find((t) => t.name === shell.name);
    if (offered) {
      return { name: shell.name, kind: 'function', args: fitSchema(shell.args(cmd, escalate), offered, cmd) };
    }
  }
  if (req.tools.some((t) => t.kind === 'local_shell')) {
    return { name: 'local_shell', kind: 'local_shell', args: { command: cmd } };
  }
  const name = FALLBACK_SHELL[req.protocol];
  return { name, kind: 'function', args: SHELL_TOOLS.find((s) => s.name === name)!.args(cmd, escalate) };
}

/** Adds a description when the tool takes one (Qwen shows it) and fills other required arguments. */
function fitSchema(args: Record<string, unknown>, tool: OfferedTool, cmd: string): Record<string, unknown> {
  const schema = tool.schema;
  const props = isObject(schema?.['properties']) ? schema['properties'] : {};
  const out = { ...args };
  if ('description' in props && out['description'] === undefined) out['description'] = `Run: ${cmd}`;
  const required = Array.isArray(schema?.['required']) ? schema['required'] : [];
  for (const key of required) {
    if (typeof key === 'string' && !(key in out)) out[key] = minimalValue(props[key], schema);
  }
  return out;
}

/** Arguments as an object, for protocols that carry them as JSON objects. */
export function argsObject(call: ToolCall): Record<string, unknown> {
  if (typeof call.args !== 'string') return call.args;
  return { input: call.args };
}

/** Arguments as a JSON string, for protocols that carry them as text. */
export function argsText(call: ToolCall): string {
  return typeof call.args === 'string' ? call.args : JSON.stringify(call.args);
}

/** Splits a string into a few pieces, to stream tool arguments the way real APIs do. */
export function pieces(text: string, n = 3): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}
