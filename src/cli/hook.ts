/**
 * `drover hook PROVIDER EVENT`: what an agent's own hooks run (drover injects them per launch).
 * Reads the hook's JSON payload from stdin and reports it to the daemon with the agent's token
 * (DROVER_AGENT_ID, DROVER_HOOK_TOKEN, DROVER_SOCKET from the agent's environment). It never
 * holds the agent up and never fails it: always exit 0, within a second; what it cannot read or
 * deliver is dropped.
 */
import { connect } from '../client/client.ts';
import { agentFromEnv } from '../protocol/launch.ts';

/** From the process's start (loading drover takes about half of it). */
const DEADLINE_MS = 950;
const MAX_PAYLOAD = 1024 * 1024;

export async function hookCommand(argv: string[]): Promise<number> {
  const at = Date.now();
  const left = Math.max(50, DEADLINE_MS - process.uptime() * 1000);
  setTimeout(() => process.exit(0), left).unref();
  const [, event] = argv;
  const self = agentFromEnv();
  if (!event || !self) return 0;
  const { agent, token, socket } = self;
  try {
    const payload = parsePayload(await readStdin());
    if (!payload) return 0;
    const client = await connect(socket, { timeoutMs: Math.max(10, left - (Date.now() - at)) });
    await client.call('agents.report', { agent, token, event, at, payload });
    await client.close();
  } catch {
    // Dropped: a hook must not break the agent it serves.
  }
  return 0;
}

function parsePayload(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.length > MAX_PAYLOAD) return '';
  }
  return text;
}
