/**
 * System notices in the user's inbox when an agent needs them or has finished: needs input,
 * done, error, exited (permission requests are announced by the approvals queue, and only when
 * they wait for a person). One notice per episode: a status repeated without work in between,
 * or `done` with the next message already queued to go in, says nothing new.
 *
 * A notice leaves the inbox by itself once its cause is resolved: a status notice when its agent
 * works again, a request's when the request is answered (or settled otherwise), and every notice
 * about an agent when it is restarted, resumed or removed.
 */
import { inBackground, type Log } from '../errors.ts';
import type { Status } from '../status/status.ts';
import type { Approvals } from './approvals.ts';
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
  private readonly unsubscribe: Array<() => void>;

  constructor(
    supervisor: Supervisor,
    private readonly inbox: Inbox,
    approvals: Approvals,
    private readonly log: Log = () => {},
  ) {
    const onStatus = supervisor.onStatus((record, change) => {
      const notice = NOTICES[change.status];
      if (!notice) {
        if (change.status === 'working') {
          this.told.delete(record.id);
          this.resolve(`${record.name} working again`, (about) => about.agent === record.id && about.status !== undefined);
        }
        return;
      }
      if (this.told.get(record.id) === change.status) return;
      if (change.status === 'done' && inbox.hasPendingFor(record.name)) return;
      this.told.set(record.id, change.status);
      const text = notice(record.name, change.detail ? ` (${change.detail})` : '');
      inBackground(inbox.notify(text, { agent: record.id, status: change.status }), `notice for ${record.name}`, log);
    });
    const onApproval = approvals.onChange((request) => {
      if (request.state !== 'pending') this.resolve(`request ${request.id} settled`, (about) => about.approval === request.id);
    });
    this.unsubscribe = [onStatus, onApproval];
  }

  /** The agent (by id) was restarted, resumed or removed: what was said about it is over. */
  agentReset(agent: string): void {
    this.told.delete(agent);
    this.resolve(`agent ${agent} relaunched or removed`, (about) => about.agent === agent);
  }

  private resolve(why: string, resolved: Parameters<Inbox['dismissResolved']>[0]): void {
    inBackground(this.inbox.dismissResolved(resolved), `dismissing notices: ${why}`, this.log);
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
  }
}
