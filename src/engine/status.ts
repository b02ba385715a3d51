/** The normalized states every provider's signals are reduced to. */
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

/** States that mean "ready for the next message": only entered once the screen has settled. */
export const READY_STATUSES: ReadonlySet<Status> = new Set(['idle', 'done']);

/** One status change: when (clock ms), what, and which signal or rule decided it. */
export interface StatusChange {
  at: number;
  status: Status;
  rule: string;
  detail?: string;
}
