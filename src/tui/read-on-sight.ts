/**
 * A message in the user's own inbox is read once they have had it under the cursor: the inbox pane
 * focused, the message selected. The daemon is told, so `D` (dismiss every one read) and every
 * other client agree on what was seen.
 */
import { useEffect } from 'react';
import type { Client } from '../client/client.ts';
import { selectedMessage, unread, withMessage, type TuiState } from './state.ts';
import type { TuiStore } from './store.ts';

/** The message the user is looking at now, if it is theirs and not yet read. */
export function unreadInSight(state: TuiState): string | undefined {
  if (state.pane !== 'inbox' || state.mode.kind !== 'normal') return undefined;
  const message = selectedMessage(state);
  return message && unread(message) ? message.id : undefined;
}

export function useReadOnSight(client: Client, store: TuiStore, state: TuiState): void {
  const id = unreadInSight(state);
  useEffect(() => {
    if (!id) return;
    // Pinned by id: a notice arriving on top later is not under the cursor, nor taken as seen.
    store.update((s) => (s.selectedMessage === id ? s : { ...s, selectedMessage: id }));
    client.call('inbox.read', { ids: [id] }).then(
      ({ messages }) => store.update((s) => messages.reduce(withMessage, s)),
      (error: unknown) => store.fail('marking it read', error),
    );
  }, [client, store, id]);
}
