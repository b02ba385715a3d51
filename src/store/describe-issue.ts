import type { z } from 'zod';

/** The first problem zod found, as one line: `agents[2].status: Invalid option: …`. */
export function describeIssue(error: z.ZodError, topLevel = '(top level)'): string {
  const issue = error.issues[0]!;
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return `${where || topLevel}: ${issue.message}`;
}
