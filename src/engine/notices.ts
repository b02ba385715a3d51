/**
 * System notices in the user's inbox when an agent needs them or has finished: needs input,
 * done, error, exited (permission requests are announced by the approvals queue, and only when
 * they wait for a person). One notice per episode: a status repeated without work in between,
 * or `done` with the next message already queued to go in, says nothing new.
 */
import type { Status } from './status.ts';
import type { Inbox } from './inbox.ts';
import type { Supervisor } from './supervisor.ts';

const NOTICES: Partial<Record<Status, (name: string, detail: string) => string>> = {
  needs_input: (name) => `${name} asks you something: drover attach ${name}`,
  done: (name) => `${name} is done`,
  error: (name, detail) => `${name} reports an error${detail}`,
  exited: (name, detail) => `${name} exited${detail}`,
};

export function sendNotices(supervisor: Supervisor, inbox: Inbox): () => void {
  const told = new Map<string, Status>();
  return supervisor.onStatus((record, change) => {
    const notice = NOTICES[change.status];
    if (!notice) {
      if (change.status === 'working') told.delete(record.id);
      return;
    }
    if (told.get(record.id) === change.status) return;
    if (change.status === 'done' && inbox.hasPendingFor(record.name)) return;
    told.set(record.id, change.status);
    void inbox.notify(notice(record.name, change.detail ? ` (${change.detail})` : ''));
  });
}
