/**
 * System notices in the user's inbox when an agent needs them or has finished: needs input,
 * done, error, exited (permission requests are announced by the approvals queue, and only when
 * they wait for a person). One notice per episode: a status repeated without work in between,
 * or `done` with the next message already queued to go in, says nothing new.
 */
import { inBackground, type Log } from '../errors.ts';
import type { Status } from '../status/status.ts';
import type { Inbox } from './inbox.ts';
import type { Supervisor } from './supervisor.ts';

const NOTICES: Partial<Record<Status, (name: string, detail: string) => string>> = {
  needs_input: (name) => `${name} asks you something: drover attach ${name}`,
  done: (name) => `${name} is done`,
  error: (name, detail) => `${name} reports an error${detail}`,
  exited: (name, detail) => `${name} exited${detail}`,
};

export class Notices {
  /** The status each agent was last told about, until it works again. */
  private readonly told = new Map<string, Status>();
  private readonly unsubscribe: () => void;

  constructor(supervisor: Supervisor, inbox: Inbox, log: Log = () => {}) {
    this.unsubscribe = supervisor.onStatus((record, change) => {
      const notice = NOTICES[change.status];
      if (!notice) {
        if (change.status === 'working') this.told.delete(record.id);
        return;
      }
      if (this.told.get(record.id) === change.status) return;
      if (change.status === 'done' && inbox.hasPendingFor(record.name)) return;
      this.told.set(record.id, change.status);
      inBackground(inbox.notify(notice(record.name, change.detail ? ` (${change.detail})` : '')), `notice for ${record.name}`, log);
    });
  }

  dispose(): void {
    this.unsubscribe();
  }
}
