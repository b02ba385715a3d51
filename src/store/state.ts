/**
 * The daemon's state file: its schema (strict, so a foreign file is refused rather than
 * half-read) and the error for a file drover will not load.
 */
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { PERMISSION_CHOICES, type PermissionOption } from '../status/permission.ts';
import { STATUSES } from '../status/status.ts';

export const SCHEMA_VERSION = 2;

/** A file drover refuses to load: one line naming the file, the problem and the fix. */
export class StoreError extends UserError {
  constructor(file: string, problem: string, fix = 'run "drover daemon --reset-store" to move it aside') {
    super(`${file}: ${problem}; the file was kept: ${fix}`);
  }
}

const time = z.iso.datetime();
const id = z.string().min(1);

/** Who did something: the user, a policy rule (`policy:<rule id>`) or drover itself. */
const actorSchema = z.union([z.literal('user'), z.literal('system'), z.templateLiteral(['policy:', id])]);
export type Actor = z.infer<typeof actorSchema>;

const exitSchema = z.strictObject({
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  at: time,
});

export const agentSchema = z.strictObject({
  id,
  /** Unique: messages are addressed by name. */
  name: id,
  provider: id,
  cwd: z.string().min(1),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  status: z.enum(STATUSES),
  createdAt: time,
  /** The last launch (a resume launches again). */
  startedAt: time,
  /** Since when the current status holds. */
  statusAt: time,
  exit: exitSchema.optional(),
  /** The asciicast file the agent's terminal is recorded to. */
  recording: z.string().min(1),
  /** The provider's own session id, for resume. */
  sessionId: id.optional(),
  /** The CLI's own transcript of that session, as its hooks named it (the last response is read from it). */
  transcriptPath: z.string().min(1).optional(),
  worktree: z.strictObject({ path: z.string().min(1), branch: id }).optional(),
  firstPrompt: z.string().optional(),
  /** The agent (id) that assigned this one its task, until it has been told the outcome. */
  assignedBy: id.optional(),
});
/** An agent as the store remembers it (the live one, with its terminal, is the engine's LiveAgent). */
export type AgentRecord = z.infer<typeof agentSchema>;

export const MESSAGE_STATES = ['pending', 'delivering', 'delivered', 'failed'] as const;

export const messageSchema = z.strictObject({
  id,
  /** `user`, `system` or an agent's name. */
  from: id,
  /** An agent's name, or `user`. */
  to: id,
  body: z.string(),
  createdAt: time,
  state: z.enum(MESSAGE_STATES),
  attempts: z.number().int().min(0),
  error: z.string().optional(),
  /**
   * When the submit key went to the agent in the current attempt. A message caught `delivering` by
   * a daemon crash without it was never submitted; with it, only the agent's recording can tell.
   */
  submittedAt: time.optional(),
  deliveredAt: time.optional(),
  /**
   * What a notice to the user is about, so it leaves by itself once that is resolved: the agent
   * (by id), and the status it reported or the permission request it made.
   */
  about: z.strictObject({ agent: id, status: z.enum(STATUSES).optional(), approval: id.optional() }).optional(),
  /** When the user saw it (selected it in the TUI, or had it listed). */
  readAt: time.optional(),
  /** When it left the user's inbox: dismissed, or its cause resolved. */
  dismissedAt: time.optional(),
});
export type Message = z.infer<typeof messageSchema>;
export type NoticeCause = NonNullable<Message['about']>;

const permissionOptionSchema = z.strictObject({
  label: z.string(),
  keys: z.string(),
  choice: z.enum(PERMISSION_CHOICES),
}) satisfies z.ZodType<PermissionOption>;

export const APPROVAL_STATES = ['pending', 'approved', 'denied', 'stale', 'resolved-in-agent'] as const;

export const approvalSchema = z.strictObject({
  id,
  /** The agent's id. */
  agent: id,
  tool: z.string(),
  /** The command, file or URL being asked about. */
  summary: z.string(),
  options: z.array(permissionOptionSchema),
  /** The screen lines the prompt was parsed from, as the user would have seen them. */
  screen: z.string(),
  /** Identifies the prompt, so a redraw of the same dialog is not a second request. */
  fingerprint: id,
  state: z.enum(APPROVAL_STATES),
  createdAt: time,
  decidedAt: time.optional(),
  decidedBy: actorSchema.optional(),
  /** Why it was decided, refused or went stale, in a line. */
  reason: z.string().optional(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const auditEntrySchema = z.strictObject({
  at: time,
  actor: actorSchema,
  action: id,
  /** The agent's id, when the action concerns one. */
  agent: id.optional(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Reports the second holder of each value of `key` in `items`. */
function unique<T>(items: readonly T[], key: (item: T) => string, list: string, field: string, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [list, index, field], message: `duplicate ${field} "${value}"` });
    seen.add(value);
  });
}

export const stateSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    agents: z.array(agentSchema),
    inbox: z.array(messageSchema),
    approvals: z.array(approvalSchema),
    audit: z.array(auditEntrySchema),
    /** The folder each provider was last spawned in by the user (by provider id): the spawn dialog's default. */
    spawnFolders: z.record(id, z.string().min(1)),
  })
  .superRefine((state, ctx) => {
    unique(state.agents, (a) => a.id, 'agents', 'id', ctx);
    unique(state.agents, (a) => a.name, 'agents', 'name', ctx);
    unique(state.inbox, (m) => m.id, 'inbox', 'id', ctx);
    unique(state.approvals, (a) => a.id, 'approvals', 'id', ctx);
  });
export type State = z.infer<typeof stateSchema>;

export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export function emptyState(): State {
  return { schemaVersion: SCHEMA_VERSION, agents: [], inbox: [], approvals: [], audit: [], spawnFolders: {} };
}
