/**
 * `drover mcp`: a stdio MCP server over the herd.
 * - For an agent: drover registers it into each launch that supports MCP (never into the user's
 *   config), with the agent's id and token in its environment, so the daemon knows who is calling
 *   and lets it do only what an agent may. Tools: list_agents, send_message, assign, handoff,
 *   get_status, read_last_response.
 * - For the person (no agent in its environment: started by their own MCP client): it acts as the
 *   user, with the same authority as the CLI verbs (the socket is the user's alone), and has the
 *   same tools plus approvals, approve, deny and read_screen. Inside an agent's terminal with the
 *   agent's environment stripped, the daemon still refuses it (the session check, as for verbs).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { connect, type Client } from '../client/client.ts';
import { messageTooLarge } from '../protocol/limits.ts';
import type { AgentSummary, ApprovalView } from '../protocol/schema.ts';
import { agentFromEnv } from '../protocol/launch.ts';
import { OUTCOME_STATUSES as OUTCOMES, type Status } from '../status/status.ts';
import { UsageError } from './errors.ts';
import { mcpUsage } from './usage.ts';

const DEFAULT_HANDOFF_TIMEOUT_S = 600;
/** How long a worker's `done` with no answer to read must hold before a handoff takes it as the end. */
const DONE_HOLDS_MS = 15_000;
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

function approvalBrief(a: ApprovalView) {
  return {
    id: a.id,
    agent: a.agentName,
    provider: a.provider,
    tool: a.tool,
    summary: a.summary,
    offers: [...new Set(a.options.map((o) => o.choice))],
    state: a.state,
    createdAt: a.createdAt,
    ...(a.decidedBy ? { decidedBy: a.decidedBy } : {}),
  };
}

/**
 * The tools, on a client whose hello said whom it acts for: an agent (`as: 'agent'`) or the person
 * (`as: 'user'`, who also answers approvals and reads screens). The daemon checks each call too.
 */
export function mcpServer(client: Client, as: 'agent' | 'user' = 'agent'): McpServer {
  const server = new McpServer({ name: 'drover', version: '1' });
  const user = as === 'user';

  server.registerTool(
    'list_agents',
    { description: 'The agents drover supervises: name, provider, status (idle, working, needs_permission, done, …).' },
    () => tool(async () => (await client.call('agents.list')).agents.map(brief)),
  );
  server.registerTool(
    'send_message',
    {
      description: user
        ? "Sends a message to an agent's inbox, from you (`user`); drover types it in when that agent is ready."
        : "Sends a message to another agent's inbox (or to `user`); drover types it in when that agent is ready.",
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
    cwd: z.string().optional().describe(user ? "its folder (default: this server's folder)" : 'its folder (default: yours)'),
  };
  // The person's worker is spawned as `drover spawn --prompt` would (its task from `user`); an
  // agent's is delegated, its outcome reported to that agent.
  const startWorker = async (request: { provider: string; task: string; name?: string; cwd?: string }, reportBack: boolean) =>
    user
      ? client.call('agents.spawn', { provider: request.provider, ...(request.name ? { name: request.name } : {}), cwd: request.cwd ?? process.cwd(), prompt: request.task })
      : client.call('agents.delegate', { ...request, reportBack });
  server.registerTool(
    'assign',
    {
      description: user
        ? 'Starts a worker agent on a task and returns at once; once it is done (your inbox gets a notice), read_last_response has its answer.'
        : 'Starts a worker agent on a task and returns at once; when it is done, its last response arrives in your inbox.',
      inputSchema: task,
    },
    (request) => tool(async () => {
      const worker = await startWorker(request, true);
      return { worker: worker.name, id: worker.id, status: worker.status };
    }),
  );
  server.registerTool(
    'handoff',
    {
      description: "Starts a worker agent on a task and waits until it is done (or errors, exits, or times out); returns its last response.",
      inputSchema: { ...task, timeout_s: z.number().positive().max(MAX_HANDOFF_TIMEOUT_S).optional().describe(`default ${DEFAULT_HANDOFF_TIMEOUT_S}, at most ${MAX_HANDOFF_TIMEOUT_S}`) },
    },
    ({ timeout_s, ...request }) => tool(() => handoff(client, () => startWorker(request, false), (timeout_s ?? DEFAULT_HANDOFF_TIMEOUT_S) * 1000)),
  );
  server.registerTool(
    'get_status',
    { description: "An agent's status now.", inputSchema: { agent: z.string() } },
    ({ agent }) => tool(async () => brief(await client.call('agents.get', { agent }))),
  );
  server.registerTool(
    'read_last_response',
    {
      description: "The text of an agent's answer in its latest turn, whole: from the agent CLI's own transcript where it keeps one, else read from its screen.",
      inputSchema: { agent: z.string() },
    },
    ({ agent }) => tool(async () => {
      const { name, status, text: response, source } = await client.call('agents.lastResponse', { agent });
      return { agent: name, status, response: response ?? null, ...(source ? { source } : {}) };
    }),
  );
  if (user) personTools(server, client);
  return server;
}

/** What only the person may do: answer permission requests, read an agent's screen. */
function personTools(server: McpServer, client: Client): void {
  server.registerTool(
    'approvals',
    {
      description: 'Permission requests the agents are waiting on (pending; `all`: decided ones too): id, agent, tool, what it would run or touch, the answers it offers.',
      inputSchema: { all: z.boolean().optional() },
    },
    ({ all }) => tool(async () => (await client.call('approvals.list', { all: Boolean(all) })).approvals.map(approvalBrief)),
  );
  server.registerTool(
    'approve',
    {
      description: "Answers a permission request yes, with the agent's own key (`always`: its \"don't ask again\", only where it offers one). An id prefix is enough. Refused when the dialog on its screen is no longer the one asked about.",
      inputSchema: { id: z.string().min(1), always: z.boolean().optional() },
    },
    ({ id, always }) => tool(async () => approvalBrief(await client.call('approvals.answer', { id, answer: always ? 'always' : 'once' }))),
  );
  server.registerTool(
    'deny',
    { description: 'Answers a permission request no. An id prefix is enough.', inputSchema: { id: z.string().min(1) } },
    ({ id }) => tool(async () => approvalBrief(await client.call('approvals.answer', { id, answer: 'deny' }))),
  );
  server.registerTool(
    'read_screen',
    { description: "An agent's terminal screen as it is now, one line per row (what `drover screen` prints).", inputSchema: { agent: z.string() } },
    ({ agent }) => tool(async () => (await client.call('agents.screen', { agent })).lines.join('\n')),
  );
}

/** Spawns the worker, then waits for its outcome: done, error, exited, or timeout. */
async function handoff(client: Client, start: () => Promise<AgentSummary>, timeoutMs: number) {
  let resolveOutcome!: (status: Status | 'timeout') => void;
  const outcome = new Promise<Status | 'timeout'>((resolve) => (resolveOutcome = resolve));
  let workerId: string | undefined;
  // A CLI slow to show its turn (a loaded machine) can read as done for a moment just after the
  // task went in, then working again. So `done` is the end once the worker's answer can be read,
  // or once it has held DONE_HOLDS_MS with none (a turn that ended without an answer).
  let doneTimer: NodeJS.Timeout | undefined;
  let changes = 0;
  const seen = (status: Status) => {
    clearTimeout(doneTimer);
    const change = ++changes;
    if (status === 'done') {
      doneTimer = setTimeout(() => resolveOutcome('done'), DONE_HOLDS_MS);
      client.call('agents.lastResponse', { agent: workerId! }).then(
        ({ text }) => change === changes && text !== undefined && resolveOutcome('done'),
        () => {}, // the timer decides
      );
    } else if (OUTCOMES.has(status)) resolveOutcome(status);
  };
  // Listening before the worker exists; what it did before its id was known, agents.get tells.
  const off = client.on('event.status', (event) => {
    if (event.agent === workerId) seen(event.status);
  });
  try {
    const worker = await start();
    workerId = worker.id;
    const now = await client.call('agents.get', { agent: worker.id });
    if (OUTCOMES.has(now.status)) seen(now.status);
    const timer = setTimeout(() => resolveOutcome('timeout'), timeoutMs);
    const status = await outcome;
    clearTimeout(timer);
    clearTimeout(doneTimer);
    const { text: response } = await client.call('agents.lastResponse', { agent: worker.id });
    return { worker: worker.name, status, response: response ?? null };
  } finally {
    off();
  }
}

export async function mcpCommand(argv: string[]): Promise<number> {
  if (argv.length) throw new UsageError(`mcp takes no arguments (${mcpUsage.trim()})`);
  const self = agentFromEnv();
  // An agent's: connect() says hello as the agent its environment names. Else the person's, as
  // the verbs connect (the daemon started when none answers; its notes on stderr, never stdout).
  const client = self ? await connect(self.socket) : await (await import('./hosts.ts')).connectDaemon(process.env, {});
  const server = mcpServer(client, self ? 'agent' : 'user');
  await server.connect(new StdioServerTransport());
  // Serves until the agent closes stdin, or the daemon goes away.
  await Promise.race([new Promise<void>((resolve) => process.stdin.once('end', resolve)), client.closed]);
  await server.close();
  await client.close();
  return 0;
}
