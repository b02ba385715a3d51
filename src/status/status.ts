/** The normalized states every provider's signals are reduced to, and the groups drover reasons with. */
export const STATUSES = [
  'starting',
  'idle',
  'working',
  'needs_permission',
  'needs_input',
  'done',
  'error',
  'exited',
  'unknown',
] as const;

export type Status = (typeof STATUSES)[number];

/** "Ready for the next message": only entered once the screen has settled. */
export const READY_STATUSES: ReadonlySet<Status> = new Set(['idle', 'done']);

/** The agent has taken a turn: a later ready screen means `done`, not `idle`. */
export const WORK_STATUSES: ReadonlySet<Status> = new Set(['working', 'needs_permission', 'needs_input', 'error']);

/** How a task ends: what a delegating agent waits for. */
export const OUTCOME_STATUSES: ReadonlySet<Status> = new Set(['done', 'error', 'exited']);

/** The agent waits for a person. */
export const NEEDS_USER_STATUSES: ReadonlySet<Status> = new Set(['needs_permission', 'needs_input', 'error']);

/** One status change: when (clock ms), what, and which signal or rule decided it. */
export interface StatusChange {
  at: number;
  status: Status;
  rule: string;
  detail?: string;
}
