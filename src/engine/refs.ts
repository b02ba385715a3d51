/**
 * The items a person refers to by id (messages, approval requests): short ids, finding one by a
 * prefix of its id, and keeping their lists bounded.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.ts';

export class RefError extends UserError {}

/** Eight hex digits, not already taken. */
export function newId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = randomBytes(4).toString('hex');
    if (!taken(id)) return id;
  }
}

/** The item whose id is `ref`, or the only one whose id starts with it. */
export function findByRef<T extends { id: string }>(items: readonly T[], ref: string, kind: string, listVerb: string): T {
  const exact = items.find((item) => item.id === ref);
  if (exact) return exact;
  const matches = items.filter((item) => item.id.startsWith(ref));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new RefError(`no ${kind} ${ref} (see ${listVerb})`);
  throw new RefError(`${kind} id "${ref}" is ambiguous: it starts ${matches.map((m) => m.id).join(', ')}`);
}

/** Removes the oldest finished items (in place) beyond the newest `kept`; unfinished ones always stay. */
export function forgetOldest<T>(items: T[], finished: (item: T) => boolean, kept: number): void {
  let excess = items.filter(finished).length - kept;
  for (let i = 0; excess > 0 && i < items.length; ) {
    if (finished(items[i]!)) {
      items.splice(i, 1);
      excess--;
    } else i++;
  }
}
