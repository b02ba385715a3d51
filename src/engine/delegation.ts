/**
 * Tasks handed to agents: an agent spawned with its first message queued in its inbox (by the
 * user, or by another agent through drover's MCP server), and — for an assignment — the outcome
 * in the caller's inbox once the worker is done (its last response, from its transcript or its screen), or has
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
    /** How long a worker's `done` with no answer to read must hold before its assigner is told. */
    private readonly doneHoldsMs = 15_000,
  ) {
    this.unsubscribe = supervisor.onStatus((record, change) => {
      clearTimeout(this.holding.get(record.id));
      this.holding.delete(record.id);
      if (!record.assignedBy || !OUTCOME_STATUSES.has(change.status)) return;
      const report = () => inBackground(this.reportBack(record, change.status, change.detail), `delegation: telling ${record.name}'s assigner`, this.log);
      if (change.status !== 'done') return report();
      // A CLI slow to show its turn can read as done for a moment just after its task went in:
      // `done` is the end once its answer can be read, or once it has held DONE_HOLDS_MS.
      const timer = setTimeout(() => (this.holding.delete(record.id), report()), this.doneHoldsMs);
      this.holding.set(record.id, timer);
      inBackground(
        supervisor.lastResponse(record.id).then(({ text }) => {
          if (text === undefined || this.holding.get(record.id) !== timer) return; // none yet, or the status moved on
          clearTimeout(timer);
          this.holding.delete(record.id);
          report();
        }),
        `delegation: reading ${record.name}'s answer`,
        this.log,
      );
    });
  }

  /** Workers whose `done` is held, until their answer can be read or it has held long enough. */
  private readonly holding = new Map<string, NodeJS.Timeout>();

  dispose(): void {
    this.unsubscribe();
    for (const timer of this.holding.values()) clearTimeout(timer);
    this.holding.clear();
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
    const answer = status === 'done' ? (await this.supervisor.lastResponse(worker.id).catch(() => undefined))?.text : undefined;
    const body =
      status === 'done'
        ? (answer ?? `${worker.name} is done, but its answer could not be read from its transcript or its screen (drover screen ${worker.name})`)
        : `${worker.name} ${status === 'error' ? 'stopped with an error' : 'exited'} before finishing${detail ? ` (${detail})` : ''}`;
    await this.inbox.send({ from: worker.name, to, body });
  }
}
