/**
 * Tasks agents hand to each other: a worker spawned for a caller with the task queued in its
 * inbox, and — for an assignment — the outcome in the caller's inbox once the worker is done
 * (its last response, read from its screen), or has failed or exited.
 */
import type { Agent as AgentRecord, DeepReadonly } from '../store/state.ts';
import type { Store } from '../store/store.ts';
import { USER, type Inbox } from './inbox.ts';
import type { Status } from './status.ts';
import type { AgentView, Supervisor } from './supervisor.ts';

export interface DelegateRequest {
  provider: string;
  task: string;
  name?: string;
  /** Default: the caller's folder. */
  cwd?: string;
  /** Tell the caller the outcome (assign); a handoff waits for it itself. */
  reportBack: boolean;
}

const OUTCOMES: ReadonlySet<Status> = new Set(['done', 'error', 'exited']);

export class Delegation {
  constructor(
    private readonly supervisor: Supervisor,
    private readonly inbox: Inbox,
    private readonly store: Store,
  ) {
    supervisor.onStatus((record, change) => {
      if (record.assignedBy && OUTCOMES.has(change.status)) void this.reportBack(record, change.status, change.detail);
    });
  }

  async delegate(caller: AgentView, request: DelegateRequest): Promise<AgentView> {
    const worker = await this.supervisor.spawn({
      provider: request.provider,
      name: request.name ?? this.freeName(request.provider),
      cwd: request.cwd ?? caller.record.cwd,
      ...(request.reportBack ? { assignedBy: caller.record.id } : {}),
    });
    await this.inbox.send({ from: caller.record.name, to: worker.record.id, body: request.task });
    return worker;
  }

  private freeName(provider: string): string {
    const taken = new Set(this.store.read().agents.map((a) => a.name));
    for (let n = 1; ; n++) if (!taken.has(`${provider}-${n}`)) return `${provider}-${n}`;
  }

  /** Once: the assignment is cleared before the caller is told. */
  private async reportBack(worker: DeepReadonly<AgentRecord>, status: Status, detail: string | undefined): Promise<void> {
    const assigner = await this.store.update((state) => {
      const stored = state.agents.find((a) => a.id === worker.id);
      const id = stored?.assignedBy;
      if (stored) delete stored.assignedBy;
      return id;
    });
    if (!assigner) return;
    const to = this.supervisor.find(assigner)?.record.name ?? USER;
    const body =
      status === 'done'
        ? (this.supervisor.lastResponse(worker.id) ?? `${worker.name} is done, but its answer could not be read from its screen (drover screen ${worker.name})`)
        : `${worker.name} ${status === 'error' ? 'stopped with an error' : 'exited'} before finishing${detail ? ` (${detail})` : ''}`;
    await this.inbox.send({ from: worker.name, to, body });
  }
}
