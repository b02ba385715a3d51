/**
 * `drover mcp`: a stdio MCP server that lets the agent it serves work with the others. drover
 * registers it into each launch that supports MCP (never into the user's config), with the agent's
 * id and token in its environment, so the daemon knows who is calling. Tools: list_agents,
 * send_message, assign, handoff, get_status, read_last_response.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { connect, type Client } from '../client/client.ts';
import { messageTooLarge } from '../protocol/limits.ts';
import type { AgentSummary } from '../protocol/schema.ts';
import { agentFromEnv, AGENT_ENV_NAMES } from '../protocol/launch.ts';
import { OUTCOME_STATUSES as OUTCOMES, type Status } from '../status/status.ts';
import { UsageError } from './errors.ts';
import { mcpUsage } from './usage.ts';

const DEFAULT_HANDOFF_TIMEOUT_S = 600;
/** 24 days: a timer holds at most 2^31 - 1 ms (Node fires a longer one at once). */
const MAX_HANDOFF_TIMEOUT_S = 24 * 24 * 3600;

type ToolResult = { content: Array<{ type: 'text'; text: string }>; isError?: boolean };

const text = (value: unknown): ToolResult => ({ content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] });

/** A daemon refusal (unknown agent, sending to oneself, …) goes back to the model as a tool error. */
async function tool(work: () => Promise<unknown>): Promise<ToolResult> {
  try {
    return text(await work());
  } catch (error) {
    return { ...text((error as Error).message), isError: true };
  }
}

function brief(agent: AgentSummary) {
  return { id: agent.id, name: agent.name, provider: agent.provider, status: agent.status, since: new Date(agent.since).toISOString(), cwd: agent.cwd };
}

/** The tools, on a client connected as the agent (its hello named it): the daemon knows who calls. */
export function mcpServer(client: Client): McpServer {
  const server = new McpServer({ name: 'drover', version: '1' });

  server.registerTool(
    'list_agents',
    { description: 'The agents drover supervises: name, provider, status (idle, working, needs_permission, done, …).' },
    () => tool(async () => (await client.call('agents.list')).agents.map(brief)),
  );
  server.registerTool(
    'send_message',
    {
      description: "Sends a message to another agent's inbox (or to `user`); drover types it in when that agent is ready.",
      inputSchema: { to: z.string().describe('agent name, or "user"'), body: z.string().min(1) },
    },
    ({ to, body }) => tool(async () => {
      const tooLarge = messageTooLarge(body);
      if (tooLarge) throw new UsageError(tooLarge);
      const message = await client.call('inbox.send', { to, body });
      return { queued: message.id, to: message.to };
    }),
  );
  const task = {
    provider: z.string().describe('claude, codex, gemini, opencode, qwen, copilot, shell, or a configured command'),
    task: z.string().min(1).describe('the first message the worker gets'),
    name: z.string().optional().describe('the worker\'s name (default: provider-N)'),
    cwd: z.string().optional().describe('its folder (default: yours)'),
  };
  server.registerTool(
    'assign',
    {
      description: "Starts a worker agent on a task and returns at once; when it is done, its last response arrives in your inbox.",
      inputSchema: task,
    },
    (request) => tool(async () => {
      const worker = await client.call('agents.delegate', { ...request, reportBack: true });
      return { worker: worker.name, id: worker.id, status: worker.status };
    }),
  );
  server.registerTool(
    'handoff',
    {
      description: "Starts a worker agent on a task and waits until it is done (or errors, exits, or times out); returns its last response.",
      inputSchema: { ...task, timeout_s: z.number().positive().max(MAX_HANDOFF_TIMEOUT_S).optional().describe(`default ${DEFAULT_HANDOFF_TIMEOUT_S}, at most ${MAX_HANDOFF_TIMEOUT_S}`) },
    },
    ({ timeout_s, ...request }) => tool(() => handoff(client, request, (timeout_s ?? DEFAULT_HANDOFF_TIMEOUT_S) * 1000)),
  );
  server.registerTool(
    'get_status',
    { description: "An agent's status now.", inputSchema: { agent: z.string() } },
    ({ agent }) => tool(async () => brief(await client.call('agents.get', { agent }))),
  );
  server.registerTool(
    'read_last_response',
    { description: "The text of an agent's answer in its latest turn, read from its screen.", inputSchema: { agent: z.string() } },
    ({ agent }) => tool(async () => {
      const { name, status, text: response } = await client.call('agents.lastResponse', { agent });
      return { agent: name, status, response: response ?? null };
    }),
  );
  return server;
}

/** Spawns the worker, then waits for its outcome: done, error, exited, or timeout. */
async function handoff(client: Client, request: { provider: string; task: string; name?: string; cwd?: string }, timeoutMs: number) {
  let resolveOutcome!: (status: Status | 'timeout') => void;
  const outcome = new Promise<Status | 'timeout'>((resolve) => (resolveOutcome = resolve));
  let workerId: string | undefined;
  // Listening before the worker exists; what it did before its id was known, agents.get tells.
  const off = client.on('event.status', (event) => {
    if (event.agent === workerId && OUTCOMES.has(event.status)) resolveOutcome(event.status);
  });
  try {
    const worker = await client.call('agents.delegate', { ...request, reportBack: false });
    workerId = worker.id;
    const now = await client.call('agents.get', { agent: worker.id });
    if (OUTCOMES.has(now.status)) resolveOutcome(now.status);
    const timer = setTimeout(() => resolveOutcome('timeout'), timeoutMs);
    const status = await outcome;
    clearTimeout(timer);
    const { text: response } = await client.call('agents.lastResponse', { agent: worker.id });
    return { worker: worker.name, status, response: response ?? null };
  } finally {
    off();
  }
}

export async function mcpCommand(argv: string[]): Promise<number> {
  if (argv.length) throw new UsageError(`mcp takes no arguments (${mcpUsage.trim()})`);
  const self = agentFromEnv();
  if (!self) throw new UsageError(`mcp is started by drover for an agent (${AGENT_ENV_NAMES} are not set)`);
  // connect() says hello as the agent its environment names.
  const client = await connect(self.socket);
  const server = mcpServer(client);
  await server.connect(new StdioServerTransport());
  // Serves until the agent closes stdin, or the daemon goes away.
  await Promise.race([new Promise<void>((resolve) => process.stdin.once('end', resolve)), client.closed]);
  await server.close();
  await client.close();
  return 0;
}
