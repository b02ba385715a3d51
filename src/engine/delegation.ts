/**
 * Tasks handed to agents: an agent spawned with its first message queued in its inbox (by the
 * user, or by another agent through drover's MCP server), and — for an assignment — the outcome
 * in the caller's inbox once the worker is done (its last response, read from its screen), or has
 * failed or exited.
 */
import { inBackground, type Log } from '../errors.ts';
import { OUTCOME_STATUSES, type Status } from '../status/status.ts';
import type { AgentRecord, DeepReadonly } from '../store/state.ts';
import type { Store } from '../store/store.ts';
import { USER, type Inbox } from './inbox.ts';
import type { AgentView, SpawnRequest, Supervisor } from './supervisor.ts';

export interface DelegateRequest {
  provider: string;
  task: string;
  name?: string;
  /** Default: the caller's folder. */
  cwd?: string;
  /** Tell the caller the outcome (assign); a handoff waits for it itself. */
  reportBack: boolean;
}

export class Delegation {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly inbox: Inbox,
    private readonly store: Store,
    private readonly log: Log = () => {},
  ) {
    this.unsubscribe = supervisor.onStatus((record, change) => {
      if (record.assignedBy && OUTCOME_STATUSES.has(change.status)) {
        inBackground(this.reportBack(record, change.status, change.detail), `delegation: telling ${record.name}'s assigner`, this.log);
      }
    });
  }

  dispose(): void {
    this.unsubscribe();
  }

  /**
   * Spawns an agent; its first message, if any, goes in through the inbox once it is ready. The
   * folder the user spawned a provider in is remembered: the spawn dialog offers it next time.
   */
  async spawn(request: SpawnRequest, from = USER): Promise<AgentView> {
    const view = await this.supervisor.spawn(request);
    if (from === USER) await this.store.update((state) => void (state.spawnFolders[request.provider] = request.cwd));
    if (request.prompt) await this.inbox.send({ from, to: view.record.id, body: request.prompt });
    return view;
  }

  /** The folder the user last spawned each provider in (by provider id). */
  spawnFolders(): Readonly<Record<string, string>> {
    return this.store.read().spawnFolders;
  }

  /** Another agent hands a task to a new worker, in its own folder unless told. */
  delegate(caller: AgentView, request: DelegateRequest): Promise<AgentView> {
    return this.spawn(
      {
        provider: request.provider,
        ...(request.name ? { name: request.name } : {}),
        cwd: request.cwd ?? caller.record.cwd,
        prompt: request.task,
        ...(request.reportBack ? { assignedBy: caller.record.id } : {}),
      },
      caller.record.name,
    );
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
        ? (this.supervisor.find(worker.id)?.live?.lastResponse() ?? `${worker.name} is done, but its answer could not be read from its screen (drover screen ${worker.name})`)
        : `${worker.name} ${status === 'error' ? 'stopped with an error' : 'exited'} before finishing${detail ? ` (${detail})` : ''}`;
    await this.inbox.send({ from: worker.name, to, body });
  }
}
