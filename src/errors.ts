/**
 * How drover tells the user what went wrong: one line naming the problem and the fix. Every layer
 * throws its own subclass of UserError; the CLI prints its message and exits 2, the daemon sends
 * it as the reply's message. Any other error is a bug in drover, and keeps its stack.
 *
 * Imports nothing of drover, so every folder may use it.
 */
import type { z } from 'zod';

/** An error the user can act on: its message is the whole story, on one line. */
export class UserError extends Error {
  /** The exit code a verb ends with when this error stops it. */
  readonly exitCode: number = 2;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The first problem zod found, as one line: `agents[2].status: Invalid option: …`. */
export function describeIssue(error: z.ZodError, topLevel = '(top level)'): string {
  const issue = error.issues[0]!;
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return `${where || topLevel}: ${issue.message}`;
}

/** Where background failures are written (the daemon's log). */
export type Log = (line: string) => void;

/**
 * Work started and not awaited (a store write after a status change, a notice): a failure is logged
 * and goes no further. Node ends the process on an unhandled rejection, and one failed write must
 * not take every agent's supervisor with it.
 */
export function inBackground(work: Promise<unknown>, what: string, log: Log): void {
  work.catch((error: unknown) => log(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
}
