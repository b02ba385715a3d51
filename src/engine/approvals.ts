/**
 * The permission-approval queue across agents. An agent entering `needs_permission` makes a
 * request from its provider's parse of the dialog; the user's policies may answer it at once,
 * else it waits for a person. An answer is typed into the agent only while the dialog on its
 * screen is still the one the request was made from, and is confirmed on the screen. A dialog
 * answered inside the agent (attached) resolves its request. Every decision goes to the audit log.
 */
import { createHash } from 'node:crypto';
import { inBackground, UserError, type Log } from '../errors.ts';
import type { PermissionChoice, PermissionOption, PermissionPrompt } from '../status/permission.ts';
import type { Policy } from '../store/config.ts';
import type { AgentRecord, Approval, DeepReadonly, NoticeCause } from '../store/state.ts';
import type { Store } from '../store/store.ts';
import { realClock, sleep, type Clock } from '../terminal/clock.ts';
import type { LiveAgent } from './live-agent.ts';
import { decide } from './policy.ts';
import { findByRef, forgetOldest, newId } from './refs.ts';
import type { Supervisor } from './supervisor.ts';

export class ApprovalError extends UserError {}

export type Answer = Exclude<PermissionChoice, 'other'>;
type Decider = 'user' | `policy:${string}`;

export interface ApprovalsOptions {
  store: Store;
  supervisor: Supervisor;
  policies: readonly Policy[];
  /** Tells the user a request waits for them (their inbox), and what it is about. */
  notify: (text: string, about: NoticeCause) => void;
  clock?: Clock;
  log?: Log;
}

type ApprovalListener = (approval: Approval) => void;

/** Claude Code ignores a key typed the moment its dialog draws: answers wait until it has shown this long. */
const DIALOG_SHOWN_MS = 600;
/** How long the screen gets to answer the keys, and how many times they are sent while it has not moved. */
const ANSWER_TAKEN_MS = 3000;
const ANSWER_TRIES = 2;
/** Lines of screen kept with a request: the dialog as the person would see it. */
const EXCERPT_LINES = 16;

/** Requests decided and kept in the store; older ones go (the audit log keeps every decision). */
const DECIDED_KEPT = 500;

export class Approvals {
  private readonly listeners = new Set<ApprovalListener>();
  /** Per agent, the checks and answers in order: a redraw and an answer never race. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** When each agent's current dialog first showed (clock ms). */
  private readonly shownAt = new Map<string, number>();
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly unsubscribe: Array<() => void>;
  private policies: readonly Policy[];

  constructor(private readonly options: ApprovalsOptions) {
    this.policies = options.policies;
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? (() => {});
    const { supervisor } = options;
    this.unsubscribe = [
      supervisor.onStatus((record) => this.checkSoon(record.id)),
      // A second dialog may replace the first without the status leaving needs_permission.
      supervisor.onScreen((id) => {
        if (supervisor.find(id)?.live?.status.status === 'needs_permission') this.checkSoon(id);
      }),
    ];
  }

  /** Stops following the agents (the daemon is stopping, or a test is done). */
  dispose(): void {
    for (const off of this.unsubscribe) off();
  }

  /** The user's policies changed (config reloaded): the next request is decided by these. */
  setPolicies(policies: readonly Policy[]): void {
    this.policies = policies;
  }

  onChange(listener: ApprovalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Pending requests; `all` adds decided ones. */
  list({ all = false } = {}): Approval[] {
    return this.options.store
      .read()
      .approvals.filter((a) => all || a.state === 'pending')
      .map((a) => structuredClone(a) as Approval);
  }

  /**
   * After a daemon restart: a request of an agent that did not survive it is stale; one of an agent
   * adopted from the PTY host still waits, and its screen is looked at again (answered meanwhile,
   * attached, it is resolved).
   */
  async recoverAfterRestart(): Promise<number> {
    const pending = this.options.store.read().approvals.filter((a) => a.state === 'pending');
    const lost = pending.filter((a) => !this.options.supervisor.find(a.agent)?.live);
    await this.settle(lost.map((a) => a.id), 'stale', 'system', 'the daemon restarted and the agent with it');
    for (const agent of new Set(pending.filter((a) => !lost.includes(a)).map((a) => a.agent))) this.checkSoon(agent);
    return lost.length;
  }

  /** An agent's record is going away: what it asked can no longer be answered. */
  async settlePendingFor(agentId: string, why: string): Promise<Approval[]> {
    const pending = this.options.store.read().approvals.filter((a) => a.agent === agentId && a.state === 'pending');
    return this.settle(pending.map((a) => a.id), 'stale', 'system', why);
  }

  /** A person's answer (or a policy's): typed into the agent if its dialog is still this request's. */
  answer(ref: string, answer: Answer, by: Decider = 'user', reason = 'answered by the user'): Promise<Approval> {
    const request = findByRef(this.options.store.read().approvals, ref, 'approval request', 'drover approvals');
    return this.serially(request.agent, () => this.typeAnswer(request.id, answer, by, reason));
  }

  private checkSoon(agentId: string): void {
    inBackground(this.serially(agentId, () => this.check(agentId)), `approvals: checking agent ${agentId}'s screen`, this.log);
  }

  private serially<T>(agentId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(agentId) ?? Promise.resolve()).then(work);
    this.queues.set(
      agentId,
      run.catch(() => undefined),
    );
    return run;
  }

  /** Brings the agent's requests in line with its screen: a new dialog is a new request. */
  private async check(agentId: string): Promise<void> {
    const view = this.options.supervisor.find(agentId);
    const live = view?.live;
    const pending = this.options.store.read().approvals.filter((a) => a.agent === agentId && a.state === 'pending');
    if (!view || !live || live.status.status !== 'needs_permission') {
      this.shownAt.delete(agentId);
      const gone = live ? 'answered in the agent' : 'the agent exited';
      await this.settle(pending.map((a) => a.id), live ? 'resolved-in-agent' : 'stale', 'system', gone);
      return;
    }
    // A dialog the hooks announced before it is drawn: its request is filed once the screen shows
    // it whole (a dialog read mid-draw would be a request replaced by the next frame's).
    if (live.screenStatus !== 'needs_permission') return;
    const prompt = live.permissionPrompt();
    const fingerprint = fingerprintOf(prompt);
    if (pending.some((a) => a.fingerprint === fingerprint)) return;
    await this.settle(pending.map((a) => a.id), 'resolved-in-agent', 'system', 'a new dialog replaced it');
    this.shownAt.set(agentId, this.clock.now());
    const request = await this.create(view.record, live, prompt, fingerprint);
    const about = { agent: agentId, approval: request.id };
    if (!prompt) {
      this.options.notify(`${view.record.name} asks for permission in a dialog drover cannot read: drover attach ${view.record.name}`, about);
      return;
    }
    const decision = decide({ provider: view.record.provider, tool: prompt.tool, summary: prompt.summary }, this.policies);
    if (decision.action === 'ask') {
      this.options.notify(`${view.record.name} asks: ${prompt.tool}: ${prompt.summary} (drover approve ${request.id} / drover deny ${request.id})`, about);
      return;
    }
    const answer = decision.action === 'allow' ? 'once' : 'deny';
    try {
      await this.typeAnswer(request.id, answer, `policy:${decision.rule}`, decision.reason);
      // An allow is routine; a "no" the agent was told without you is worth a line.
      if (answer === 'deny') this.options.notify(`${view.record.name} was denied ${prompt.tool}: ${prompt.summary} (${decision.reason})`, { agent: agentId });
    } catch (error) {
      if (!(error instanceof ApprovalError)) throw error;
      // Settled already (its dialog went): the notice cannot wait for an answer that will not come.
      const stillPending = this.options.store.read().approvals.some((a) => a.id === request.id && a.state === 'pending');
      this.options.notify(`${view.record.name}: policy ${decision.rule} could not answer (${error.message}); it waits for you: drover approvals`, stillPending ? about : { agent: agentId });
    }
  }

  private async create(record: DeepReadonly<AgentRecord>, live: LiveAgent, prompt: PermissionPrompt | undefined, fingerprint: string): Promise<Approval> {
    const lines = live.screen.lines();
    const now = new Date().toISOString();
    const request = await this.options.store.update((state) => {
      const created: Approval = {
        id: newId((id) => state.approvals.some((a) => a.id === id)),
        agent: record.id,
        tool: prompt?.tool ?? 'unknown',
        summary: prompt?.summary ?? 'a permission dialog drover could not parse: open the agent to answer it',
        options: prompt?.options ?? [],
        screen: excerpt(lines),
        fingerprint,
        state: 'pending',
        createdAt: now,
      };
      state.approvals.push(created);
      forgetOldest(state.approvals, (a) => a.state !== 'pending', DECIDED_KEPT);
      return created;
    });
    this.emit(request);
    return request;
  }

  /** Types the chosen option's keys into the agent, once its dialog is still this request's. */
  private async typeAnswer(id: string, answer: Answer, by: Decider, reason: string): Promise<Approval> {
    const request = this.options.store.read().approvals.find((a) => a.id === id)!;
    if (request.state !== 'pending') throw new ApprovalError(`request ${id} is already ${request.state}`);
    const view = this.options.supervisor.find(request.agent);
    const name = view?.record.name ?? request.agent;
    const live = view?.live;
    const stale = async (why: string): Promise<never> => {
      await this.settle([id], 'stale', 'system', why);
      throw new ApprovalError(`request ${id} is stale: ${why} (see drover approvals)`);
    };
    if (!live) return stale(`${name} has exited`);
    const onScreen = live.status.status === 'needs_permission' ? fingerprintOf(live.permissionPrompt()) : undefined;
    if (onScreen !== request.fingerprint) return stale(`the dialog on ${name}'s screen is no longer the one asked about`);
    const option = optionFor(request.options, answer);
    if (!option) {
      const offered = request.options.map((o) => o.label).join(' / ') || 'none that drover could read';
      throw new ApprovalError(`${name} does not offer "${answer}" here (its options: ${offered}); drover attach ${name} to answer it yourself`);
    }
    const shownFor = this.clock.now() - (this.shownAt.get(request.agent) ?? 0);
    if (shownFor < DIALOG_SHOWN_MS) await sleep(this.clock, DIALOG_SHOWN_MS - shownFor);
    if (!(await this.typeConfirmed(live, option.keys, request.fingerprint))) {
      throw new ApprovalError(`${name} did not take the answer (its screen did not change after "${option.label}"); drover attach ${name} to check`);
    }
    const [decided] = await this.settle([id], answer === 'deny' ? 'denied' : 'approved', by, reason, `${answer}: ${option.label}`);
    this.shownAt.delete(request.agent);
    await this.untilDialogLeft(live, request.fingerprint);
    return decided!;
  }

  /**
   * The keys have landed (the screen moved: often the title first), but the answered dialog can
   * stay drawn, or the status stay needs_permission after it is gone, for a few frames. The checks
   * queued behind this answer must not take either for a new dialog: a second request for the
   * same dialog (a policy would type its answer twice) or an "unreadable dialog" one. So the
   * answer ends when the status has left needs_permission or another dialog is up (bounded).
   */
  private async untilDialogLeft(live: LiveAgent, fingerprint: string): Promise<void> {
    await live.until(() => {
      if (live.status.status !== 'needs_permission') return true;
      const prompt = live.permissionPrompt();
      return prompt !== undefined && fingerprintOf(prompt) !== fingerprint;
    }, ANSWER_TAKEN_MS);
  }

  /**
   * Types the option's keys; true once the dialog is gone or its lines have changed (the keys
   * landed). The title does not count: a title may animate while the dialog waits.
   */
  private async typeConfirmed(live: LiveAgent, keys: string, fingerprint: string): Promise<boolean> {
    const before = live.screen.lines().join('\n');
    const moved = () =>
      live.status.status !== 'needs_permission' ||
      fingerprintOf(live.permissionPrompt()) !== fingerprint ||
      live.screen.lines().join('\n') !== before;
    for (let attempt = 0; attempt < ANSWER_TRIES; attempt++) {
      live.typeKeys(keys);
      if (await live.until(moved, ANSWER_TAKEN_MS)) return true;
    }
    return moved();
  }

  /** Decides requests (or marks them resolved / stale), audits it, then announces them. */
  private async settle(ids: readonly string[], state: Approval['state'], by: Decider | 'system', reason: string, chose?: string): Promise<Approval[]> {
    if (ids.length === 0) return [];
    const now = new Date().toISOString();
    const settled = await this.options.store.update((draft) =>
      draft.approvals
        .filter((a) => ids.includes(a.id) && a.state === 'pending')
        .map((a) => {
          a.state = state;
          a.decidedAt = now;
          a.decidedBy = by;
          a.reason = reason;
          draft.audit.push({ at: now, actor: by, action: `approval.${state}`, agent: a.agent, detail: `${a.tool}: ${a.summary}${chose ? ` → ${chose}` : ''} (${reason})` });
          return structuredClone(a);
        }),
    );
    for (const approval of settled) this.emit(approval);
    return settled;
  }

  private emit(approval: Approval): void {
    for (const listener of this.listeners) listener(approval);
  }
}

/** Identifies a dialog: the same dialog redrawn has the same fingerprint; an unreadable one has one per agent. */
function fingerprintOf(prompt: PermissionPrompt | undefined): string {
  if (!prompt) return 'unparsed';
  const text = [prompt.tool, prompt.summary, ...prompt.options.map((o) => o.label)].join('\u0000');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function optionFor(options: readonly DeepReadonly<PermissionOption>[], answer: Answer): DeepReadonly<PermissionOption> | undefined {
  return options.find((o) => o.choice === answer);
}

/** The bottom of the screen, blank lines trimmed: where every agent draws its dialog. */
function excerpt(lines: string[]): string {
  let end = lines.length - 1;
  while (end >= 0 && lines[end]!.trim() === '') end--;
  return lines
    .slice(Math.max(0, end + 1 - EXCERPT_LINES), end + 1)
    .map((line) => line.trimEnd())
    .join('\n');
}
