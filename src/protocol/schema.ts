/**
 * The daemon protocol, shared by the server (src/daemon/server.ts) and the client
 * (src/client/client.ts): one zod schema per method's params and result and per event, in one map,
 * so both sides are typed and validated from the same source.
 *
 * Wire: JSON-RPC 2.0, one JSON message per line over a unix socket. A connection starts with
 * `hello {version}`; events are JSON-RPC notifications from the daemon.
 *
 * The wire has its own schemas, never the store's: a field the store gains does not reach the
 * wire until it is added here, with a PROTOCOL_VERSION bump. (The daemon links the two with
 * `satisfies`, so a stored shape that drifts from its wire shape fails the type check.)
 */
import { z } from 'zod';
import { describeIssue as describeZodIssue } from '../errors.ts';
import { PERMISSION_CHOICES } from '../status/permission.ts';
import { STATUSES } from '../status/status.ts';
import { MAX_COLS, MAX_ROWS } from './limits.ts';

export { PROTOCOL_VERSION } from './version.ts';

/** What JSON-RPC allows as a request's id; json-rpc-2.0 echoes whatever it is given. */
const requestIdSchema = z.union([z.string(), z.number(), z.null()]);

/**
 * A request or notification as it arrives, checked before anything else looks at it: the reply
 * echoes its id, so an id that is not a string, a number or null (an array nested thousands deep)
 * must never reach a reply. Params are checked for their kind only; each method's schema checks the rest.
 */
export const requestEnvelopeSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: requestIdSchema.optional(),
  method: z.string(),
  params: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
});

/** The id to answer a bad envelope with: its own if that is a valid id, else null. */
export function replyIdOf(message: unknown): string | number | null {
  const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : null;
  const parsed = requestIdSchema.safeParse(id);
  return parsed.success ? parsed.data : null;
}

/** An agent's id or its name; the daemon resolves it. */
const agentRef = z.string().min(1);
/** A terminal size the emulator can hold. */
const terminalSize = {
  cols: z.number().int().positive().max(MAX_COLS, { error: `at most ${MAX_COLS} columns` }),
  rows: z.number().int().positive().max(MAX_ROWS, { error: `at most ${MAX_ROWS} rows` }),
};
const empty = z.object({});

const exitSchema = z.object({ code: z.number().int().nullable(), signal: z.string().nullable() });

export const agentSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  cwd: z.string(),
  status: z.enum(STATUSES),
  /** The rule or signal that decided the status. */
  statusRule: z.string().optional(),
  /** When the status was entered (epoch ms). */
  since: z.number(),
  pid: z.number().int().optional(),
  exit: exitSchema.optional(),
  /** The asciicast recording of its terminal. */
  recording: z.string().optional(),
  /** Ms its screen has gone unrecognised by every rule (set from 10 s on): its status may be stale. */
  unrecognisedMs: z.number().optional(),
});
export type AgentSummary = z.infer<typeof agentSummarySchema>;

const colour = z.union([z.number().int(), z.string()]);
const styledRunSchema = z.object({
  text: z.string(),
  fg: colour.optional(),
  bg: colour.optional(),
  bold: z.literal(true).optional(),
  dim: z.literal(true).optional(),
  italic: z.literal(true).optional(),
  underline: z.literal(true).optional(),
  inverse: z.literal(true).optional(),
});

/** A composited screen, as `Screen.snapshot()` gives it. */
export const screenSchema = z.object({
  lines: z.array(z.string()),
  title: z.string(),
  cursor: z.object({ x: z.number().int(), y: z.number().int() }),
  cols: z.number().int().positive(),
  rows: z.number().int().positive(),
  styled: z.array(z.array(styledRunSchema)).optional(),
});
export type ScreenState = z.infer<typeof screenSchema>;

/** Who did something: the user, a policy rule (`policy:<rule id>`) or drover itself. */
const actor = z.union([z.literal('user'), z.literal('system'), z.templateLiteral(['policy:', z.string().min(1)])]);

/** A message in the inbox: to an agent (by name) or to `user`. */
export const messageViewSchema = z.object({
  id: z.string(),
  /** `user`, `system` or an agent's name. */
  from: z.string(),
  to: z.string(),
  body: z.string(),
  createdAt: z.string(),
  state: z.enum(['pending', 'delivering', 'delivered', 'failed']),
  attempts: z.number().int(),
  error: z.string().optional(),
  submittedAt: z.string().optional(),
  deliveredAt: z.string().optional(),
  /** What a notice is about (the agent's id, and its status or request): it leaves once that is resolved. */
  about: z.object({ agent: z.string(), status: z.enum(STATUSES).optional(), approval: z.string().optional() }).optional(),
  /** When the user saw it. */
  readAt: z.string().optional(),
  /** When it left the user's inbox (dismissed, or its cause resolved): listed only with `all`. */
  dismissedAt: z.string().optional(),
});
export type MessageView = z.infer<typeof messageViewSchema>;

/** A permission request, with the name and provider of the agent asking. */
export const approvalViewSchema = z.object({
  id: z.string(),
  /** The agent's id. */
  agent: z.string(),
  agentName: z.string(),
  provider: z.string(),
  tool: z.string(),
  summary: z.string(),
  options: z.array(z.object({ label: z.string(), keys: z.string(), choice: z.enum(PERMISSION_CHOICES) })),
  /** The dialog's lines, as the user would have seen them. */
  screen: z.string(),
  fingerprint: z.string(),
  state: z.enum(['pending', 'approved', 'denied', 'stale', 'resolved-in-agent']),
  createdAt: z.string(),
  decidedAt: z.string().optional(),
  decidedBy: actor.optional(),
  reason: z.string().optional(),
});
export type ApprovalView = z.infer<typeof approvalViewSchema>;

/** A provider the daemon can launch, as the spawn dialog offers it. */
export const providerViewSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  /** The command it runs (with the user's config applied). */
  command: z.string(),
  /** Whether that command is on the daemon's PATH. */
  installed: z.boolean(),
  /** The folder the user last spawned it in, if any. */
  lastCwd: z.string().optional(),
});
export type ProviderView = z.infer<typeof providerViewSchema>;

/** The parts of the user's config a client acts on itself (the daemon is the one that reads the file). */
export const clientSettingsSchema = z.object({
  keybindings: z.object({ detach: z.string() }),
  notify: z.object({ bell: z.boolean(), osc: z.boolean(), command: z.array(z.string()).optional() }),
});
export type ClientSettings = z.infer<typeof clientSettingsSchema>;

/** A message or approval id, or an unambiguous prefix of one. */
const itemRef = z.string().min(1);

/** Why the daemon cannot write its state file, and since when (epoch ms). */
export const stateWriteProblemSchema = z.object({ message: z.string(), since: z.number() });

/** The most rows one `agents.buffer` call gives: more than a screen's scrollback (5,000) and a screen. */
export const MAX_BUFFER_ROWS = 10_000;

/** A screen and the agent (by id) it belongs to: the subscribe result and each `event.screen`. */
const agentScreenSchema = screenSchema.extend({ agent: z.string() });

export const methods = {
  /**
   * The first call. `agent` (its id and token, from its environment) makes the connection act as
   * that agent, limited to AGENT_METHODS; without it the connection is the user's, unless
   * `session` is an agent's terminal session (see protocol/launch.ts callerClaim).
   */
  hello: {
    params: z.object({
      version: z.number().int(),
      agent: z.object({ id: z.string().min(1), token: z.string() }).optional(),
      session: z.number().int().positive().optional(),
    }),
    result: z.object({ version: z.number().int(), pid: z.number().int() }),
  },
  ping: { params: empty, result: z.object({ pong: z.literal(true) }) },
  'agents.list': {
    params: empty,
    /** `stateWriteProblem`: status changes are held and retried, not lost (README, Reliability). */
    result: z.object({ agents: z.array(agentSummarySchema), stateWriteProblem: stateWriteProblemSchema.optional() }),
  },
  'agents.get': { params: z.object({ agent: agentRef }), result: agentSummarySchema },
  'agents.spawn': {
    params: z.object({
      provider: z.string().min(1),
      /** Default: the provider's id and the first free number (claude-1, claude-2, …). */
      name: z.string().min(1).optional(),
      cwd: z.string().min(1),
      args: z.array(z.string()).optional(),
      env: z.record(z.string(), z.string()).optional(),
      /** The first message, submitted once the agent is ready. */
      prompt: z.string().optional(),
      /** Run in a new git worktree of cwd: true for a branch named after the agent, or the branch. */
      worktree: z.union([z.boolean(), z.string().min(1)]).optional(),
    }),
    result: agentSummarySchema,
  },
  'agents.kill': {
    params: z.object({
      agent: agentRef,
      force: z.boolean().optional(),
      /** Also remove its git worktree (kept when it has uncommitted work). */
      removeWorktree: z.boolean().optional(),
    }),
    result: agentSummarySchema,
  },
  /**
   * Forgets an exited agent (or, with `allExited`, every exited one) so its name is free again:
   * its recordings stay on disk, its queued messages fail, its pending requests go stale.
   */
  'agents.remove': {
    params: z.object({ agent: agentRef.optional(), allExited: z.boolean().optional() }),
    result: z.object({
      removed: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          /** Its latest recording (earlier launches' are beside it). */
          recording: z.string(),
          failedMessages: z.number().int(),
          staleApprovals: z.number().int(),
        }),
      ),
    }),
  },
  /** A new name for an agent, running or not; what was queued to its old name follows it. */
  'agents.rename': {
    params: z.object({ agent: agentRef, name: z.string().min(1) }),
    result: agentSummarySchema.extend({ previousName: z.string(), movedMessages: z.number().int() }),
  },
  'agents.restart': { params: z.object({ agent: agentRef }), result: agentSummarySchema },
  /** Relaunch with the provider's resume command and the session id the agent's hooks reported. */
  'agents.resume': { params: z.object({ agent: agentRef }), result: agentSummarySchema },
  /** From `drover hook`, run by the agent's own hooks: about the agent the connection acts as. */
  'agents.report': {
    params: z.object({
      event: z.string().min(1).max(100),
      /** When the hook ran (epoch ms): a report older than what the screen said is stale. */
      at: z.number(),
      payload: z.record(z.string(), z.unknown()),
    }),
    result: empty,
  },
  /** Raw keystrokes, written as they are (messages go through `inbox.send`). */
  'agents.keys': {
    params: z.object({ agent: agentRef, keys: z.string().min(1) }),
    result: empty,
  },
  /** Which status rule wins on the agent's screen now, on what text, and what else matched. */
  'agents.explain': {
    params: z.object({ agent: agentRef }),
    result: z.object({
      status: z.enum(STATUSES),
      unrecognisedMs: z.number().optional(),
      matched: z.array(
        z.object({
          id: z.string(),
          state: z.enum(STATUSES),
          priority: z.number(),
          region: z.string(),
          text: z.string(),
          detail: z.string().optional(),
        }),
      ),
    }),
  },
  'agents.screen': {
    params: z.object({ agent: agentRef, styled: z.boolean().optional() }),
    result: screenSchema,
  },
  /**
   * Rows of the agent's terminal buffer, its scrollback then its screen (row 0 the oldest kept):
   * `count` from `start`, or the last `count` without one. Full-screen CLIs keep little
   * scrollback, shells keep lots (up to 5,000 rows); `total` is the buffer's length now.
   */
  'agents.buffer': {
    params: z.object({
      agent: agentRef,
      start: z.number().int().nonnegative().optional(),
      count: z.number().int().positive().max(MAX_BUFFER_ROWS, { error: `at most ${MAX_BUFFER_ROWS} rows` }),
      styled: z.boolean().optional(),
    }),
    result: z.object({
      total: z.number().int(),
      start: z.number().int(),
      lines: z.array(z.string()),
      styled: z.array(z.array(styledRunSchema)).optional(),
    }),
  },
  /** The agent's latest recording as text, as `drover logs NAME --text` prints it (redraws resolved). */
  'agents.transcript': {
    params: z.object({ agent: agentRef }),
    result: z.object({ recording: z.string(), lines: z.array(z.string()) }),
  },
  /**
   * What the agent changed in its folder, by git (`git diff HEAD` there, no colour), and the files
   * git does not track yet; refused when its folder is in no git repository.
   */
  'agents.diff': {
    params: z.object({ agent: agentRef }),
    result: z.object({ cwd: z.string(), diff: z.string(), untracked: z.array(z.string()), truncated: z.literal(true).optional() }),
  },
  /** The screen now; then `event.screen` for this agent on this connection until unsubscribed. */
  'agents.subscribe': { params: z.object({ agent: agentRef }), result: agentScreenSchema },
  'agents.unsubscribe': { params: z.object({ agent: agentRef }), result: empty },
  /**
   * Attach: the agent's terminal takes the caller's size; the result redraws its screen, then
   * `event.output` carries every byte it writes, until `agents.detach`. Keys go through agents.keys.
   */
  'agents.attach': {
    params: z.object({ agent: agentRef, ...terminalSize }),
    result: z.object({ agent: z.string(), name: z.string(), redraw: z.string() }),
  },
  'agents.detach': { params: z.object({ agent: agentRef }), result: empty },
  'agents.resize': {
    params: z.object({ agent: agentRef, ...terminalSize }),
    result: empty,
  },
  /**
   * Queues a message from the caller (the user, or the agent the connection acts as): persisted
   * before the reply. `to` is an agent's name or id (delivered when it is ready), or `user`.
   */
  'inbox.send': {
    params: z.object({ to: z.string().min(1), body: z.string().min(1) }),
    result: messageViewSchema,
  },
  /**
   * The agent the connection acts as hands a task to a new worker: spawned (in the caller's folder
   * unless told), the task queued for it from the caller; with `reportBack`, the worker's last
   * response goes to the caller's inbox when it is done.
   */
  'agents.delegate': {
    params: z.object({
      provider: z.string().min(1),
      task: z.string().min(1),
      name: z.string().min(1).optional(),
      cwd: z.string().min(1).optional(),
      reportBack: z.boolean(),
    }),
    result: agentSummarySchema,
  },
  /**
   * The text of the agent's answer in its latest turn (absent: none readable), read from the CLI's
   * own transcript (exact, any length) or from its screen.
   */
  'agents.lastResponse': {
    params: z.object({ agent: agentRef }),
    result: z.object({ agent: z.string(), name: z.string(), status: z.enum(STATUSES), text: z.string().optional(), source: z.enum(['transcript', 'screen']).optional() }),
  },
  /** Messages still to deliver or failed, and the user's inbox; `all` adds delivered messages to agents and dismissed ones. */
  'inbox.list': { params: z.object({ all: z.boolean().optional() }), result: z.object({ messages: z.array(messageViewSchema) }) },
  /** Marks messages in the user's inbox as seen. */
  'inbox.read': { params: z.object({ ids: z.array(itemRef).min(1) }), result: z.object({ messages: z.array(messageViewSchema) }) },
  /** Takes messages out of the user's inbox: those named, or (`read`) every one already seen. */
  'inbox.dismiss': {
    params: z.object({ ids: z.array(itemRef).min(1).optional(), read: z.boolean().optional() }),
    result: z.object({ messages: z.array(messageViewSchema) }),
  },
  /** Queues a failed message again (the user has checked it did not reach the agent). */
  'inbox.retry': { params: z.object({ id: itemRef }), result: messageViewSchema },
  /** Pending permission requests across agents; `all` adds decided ones. */
  'approvals.list': { params: z.object({ all: z.boolean().optional() }), result: z.object({ approvals: z.array(approvalViewSchema) }) },
  /**
   * Answers a pending request with the keys of the option chosen. Refused when the prompt on the
   * agent's screen is no longer the one the request was made from.
   */
  'approvals.answer': {
    params: z.object({ id: itemRef, answer: z.enum(['once', 'always', 'deny']) }),
    result: approvalViewSchema,
  },
  /** The providers the daemon can launch, built-in and configured, and whether each is installed. */
  'providers.list': { params: empty, result: z.object({ providers: z.array(providerViewSchema) }) },
  /** The settings a client applies itself: keys and notifications. */
  'settings.get': { params: empty, result: clientSettingsSchema },
  'daemon.status': {
    params: empty,
    result: z.object({
      pid: z.number().int(),
      version: z.number().int(),
      socket: z.string(),
      /** Epoch ms. */
      startedAt: z.number(),
      clients: z.number().int(),
      agents: z.number().int(),
      /** Agents whose program runs now. */
      running: z.number().int().optional(),
      ptyHostPid: z.number().int().optional(),
      /** Set while the state file cannot be written (see `event.state`). */
      stateWriteProblem: stateWriteProblemSchema.optional(),
    }),
  },
  /**
   * Replies, then the daemon stops and exits: its agents too, unless `keepAgents` (they stay in the
   * PTY host for the next daemon: `drover daemon restart`).
   */
  'daemon.stop': { params: z.object({ keepAgents: z.boolean().optional() }), result: z.object({ keptAgents: z.number().int().optional() }) },
  /** Reads config.json again; a bad file is refused (an error naming it) and the config in force stays. */
  'daemon.reload': { params: empty, result: z.object({ file: z.string() }) },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export type Method = keyof typeof methods;

/**
 * What a connection acting as an agent may call (its hooks, its MCP server, a drover verb run in
 * its terminal): read the herd, report about itself, message and delegate as itself. The rest
 * (answering approvals, spawning, killing, typing into terminals, stopping the daemon) is the
 * person's. `agents.report` and `agents.delegate` are an agent's alone.
 */
export const AGENT_METHODS: ReadonlySet<Method> = new Set<Method>([
  'ping',
  'agents.list',
  'agents.get',
  'agents.lastResponse',
  'providers.list',
  'daemon.status',
  'inbox.send',
  'agents.report',
  'agents.delegate',
]);
export const AGENT_ONLY_METHODS: ReadonlySet<Method> = new Set<Method>(['agents.report', 'agents.delegate']);
/** What a caller passes / a handler receives (after zod). */
export type CallParams<M extends Method> = z.input<(typeof methods)[M]['params']>;
export type HandlerParams<M extends Method> = z.output<(typeof methods)[M]['params']>;
/** What a handler returns / a caller receives (after zod). */
export type HandlerResult<M extends Method> = z.input<(typeof methods)[M]['result']>;
export type CallResult<M extends Method> = z.output<(typeof methods)[M]['result']>;

/** Notifications from the daemon. */
export const events = {
  /** To every client. */
  'event.status': z.object({
    agent: z.string(),
    status: z.enum(STATUSES),
    rule: z.string(),
    detail: z.string().optional(),
    /** Epoch ms. */
    at: z.number(),
  }),
  /** To every client: an agent was renamed (its summary changed) or removed. */
  'event.agent': z.object({ agent: z.string(), removed: z.literal(true).optional() }),
  /** Only to the connections subscribed to `agent`. */
  /**
   * The screen, to its subscribers. After the first (the subscribe result) a connection is sent
   * only the rows that changed since the screen it was sent last: `partial`, with `null` for a row
   * that is as it was (cursor, title and size always come whole).
   */
  'event.screen': agentScreenSchema.extend({
    lines: z.array(z.string().nullable()),
    styled: z.array(z.array(styledRunSchema).nullable()).optional(),
    partial: z.literal(true).optional(),
  }),
  /** Raw terminal output, only to the connections attached to `agent`. */
  'event.output': z.object({ agent: z.string(), data: z.string() }),
  /** A message was queued or changed state. */
  'event.inbox': messageViewSchema,
  /** A permission request was created or changed state. */
  'event.approvals': approvalViewSchema,
  /**
   * To every client: the state file stopped taking writes (a full disk, a read-only folder), or
   * took one again (no `writeProblem`). `host` is set by a client that joins several daemons.
   */
  'event.state': z.object({ writeProblem: stateWriteProblemSchema.optional(), host: z.string().optional() }),
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventParams<E extends EventName> = z.output<(typeof events)[E]>;

/** The first problem zod found, on one line: `path: message` (e.g. `env.HOME: Invalid input…`). */
export function describeIssue(error: z.ZodError, topLevel = '(params)'): string {
  return describeZodIssue(error, topLevel);
}
