/**
 * The inbox: messages to agents, each delivered when its receiver is ready (idle or done, its
 * screen settled), in order, one per ready transition (or a configured batch), and never pasted
 * twice; and the user's own inbox (messages and system notices). A message is persisted before
 * anyone is told it is queued, and every change of state is persisted before it is announced.
 */
import { inBackground, UserError, type Log } from '../errors.ts';
import { messageTooLarge } from '../protocol/limits.ts';
import { READY_STATUSES } from '../status/status.ts';
import type { DeepReadonly, Message, NoticeCause } from '../store/state.ts';
import type { Store } from '../store/store.ts';
import { recordedInput } from '../terminal/asciicast.ts';
import { realClock, type Clock } from '../terminal/clock.ts';
import type { LiveAgent } from './live-agent.ts';
import { findByRef, forgetOldest, newId } from './refs.ts';
import type { AgentView, Supervisor } from './supervisor.ts';

export class InboxError extends UserError {}

/** The user's own inbox: messages to `user` are delivered by being stored. */
export const USER = 'user';

export interface InboxOptions {
  store: Store;
  supervisor: Supervisor;
  clock?: Clock;
  /** Messages submitted together on one ready transition (default 1). */
  batch?: number;
  /** Where a delivery that broke (a store write failing) is reported. */
  log?: Log;
}

type MessageListener = (message: Message) => void;

/** Delivered messages kept in the store; older ones go (an agent's recording keeps what it was sent). */
const DELIVERED_KEPT = 1000;

export class Inbox {
  /** Agents (by id) with a delivery under way: one at a time per receiver keeps the order. */
  private readonly busy = new Set<string>();
  /** Agents that became ready while busy: the turn a delivery started ended before it was recorded. */
  private readonly readyWhileBusy = new Set<string>();
  private readonly listeners = new Set<MessageListener>();
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly unsubscribe: () => void;
  private batch: number;

  constructor(private readonly options: InboxOptions) {
    this.batch = options.batch ?? 1;
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? (() => {});
    this.unsubscribe = options.supervisor.onStatus((record, change) => {
      if (READY_STATUSES.has(change.status)) this.kick(record.id);
    });
  }

  /** Stops following the agents (the daemon is stopping, or a test is done). */
  dispose(): void {
    this.unsubscribe();
  }

  /** Messages submitted together from now on (config reloaded). */
  setBatch(batch: number): void {
    this.batch = batch;
  }


  /** Called with each message once it is stored: queued, or changed state. */
  onChange(listener: MessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What still needs someone: undelivered and failed messages, and the user's inbox (not dismissed); `all` adds the rest. */
  list({ all = false } = {}): Message[] {
    return this.options.store
      .read()
      .inbox.filter((m) => all || (m.to === USER ? !m.dismissedAt : m.state !== 'delivered'))
      .map((m) => structuredClone(m) as Message);
  }

  /** Whether a message is waiting for this agent (by name): its next ready moment is taken. */
  hasPendingFor(name: string): boolean {
    return this.options.store.read().inbox.some((m) => m.to === name && m.state === 'pending');
  }

  /** Queues a message to an agent (by name or id) or to `user`; resolves once it is stored. */
  async send({ from, to, body, about }: { from: string; to: string; body: string; about?: NoticeCause }): Promise<Message> {
    const receiver = to === USER ? undefined : this.options.supervisor.get(to).record;
    const name = receiver?.name ?? USER;
    if (from === name) throw new InboxError(`${from} cannot send a message to itself`);
    const tooLarge = messageTooLarge(body);
    if (tooLarge) throw new InboxError(tooLarge);
    const now = new Date().toISOString();
    const message = await this.options.store.update((state) => {
      const queued: Message = {
        id: newId((id) => state.inbox.some((m) => m.id === id)),
        from,
        to: name,
        body,
        createdAt: now,
        state: receiver ? 'pending' : 'delivered',
        attempts: 0,
        ...(receiver ? {} : { deliveredAt: now }),
        ...(about ? { about } : {}),
      };
      state.inbox.push(queued);
      forgetOldest(state.inbox, (m) => m.state === 'delivered', DELIVERED_KEPT);
      return queued;
    });
    this.emit([message]);
    if (receiver) this.kick(receiver.id);
    return message;
  }

  /** A notice from drover in the user's inbox; `about` what, when it should leave once that is resolved. */
  notify(body: string, about?: NoticeCause): Promise<Message> {
    return this.send({ from: 'system', to: USER, body, ...(about ? { about } : {}) });
  }

  /** Marks messages in the user's inbox (by id or prefix) as seen; those seen already stay as they were. */
  async markRead(refs: readonly string[]): Promise<Message[]> {
    const ids = this.usersOwn(refs).filter((m) => !m.readAt).map((m) => m.id);
    const at = new Date().toISOString();
    return this.change(ids, (m) => void (m.readAt = at));
  }

  /** Takes messages out of the user's inbox: those named (by id or prefix), or with `read` every one seen. */
  async dismiss({ refs, read = false }: { refs?: readonly string[]; read?: boolean }): Promise<Message[]> {
    if (Boolean(refs?.length) === read) throw new InboxError('dismiss needs message ids or "read" (not both)');
    const listed = this.options.store.read().inbox.filter((m) => m.to === USER && !m.dismissedAt);
    const chosen = refs ? this.usersOwn(refs) : listed.filter((m) => m.readAt);
    return this.dismissIds(chosen.filter((m) => !m.dismissedAt).map((m) => m.id));
  }

  /** Takes out of the user's inbox the notices whose cause `resolved` says is over. */
  async dismissResolved(resolved: (about: NoticeCause) => boolean): Promise<Message[]> {
    const ids = this.options.store
      .read()
      .inbox.filter((m) => m.to === USER && m.about && !m.dismissedAt && resolved(m.about))
      .map((m) => m.id);
    return this.dismissIds(ids);
  }

  private dismissIds(ids: readonly string[]): Promise<Message[]> {
    const at = new Date().toISOString();
    return this.change(ids, (m) => void (m.dismissedAt = at));
  }

  /** The messages `refs` name, each of which must be in the user's inbox. */
  private usersOwn(refs: readonly string[]): DeepReadonly<Message>[] {
    const inbox = this.options.store.read().inbox;
    return refs.map((ref) => {
      const found = findByRef(inbox, ref, 'message', 'drover inbox');
      if (found.to !== USER) throw new InboxError(`message ${found.id} is to ${found.to}, not in your inbox: only your own messages are read or dismissed`);
      return found;
    });
  }

  /** Queues a failed message again: the user has checked that it did not reach the agent. */
  async retry(ref: string): Promise<Message> {
    const found = findByRef(this.options.store.read().inbox, ref, 'message', 'drover inbox');
    if (found.state !== 'failed') throw new InboxError(`message ${found.id} is ${found.state}: only a failed message can be retried`);
    const [message] = await this.change([found.id], (m) => {
      m.state = 'pending';
      delete m.error;
      delete m.submittedAt;
    });
    const receiver = this.options.supervisor.find(found.to);
    if (receiver) this.kick(receiver.record.id);
    return message!;
  }

  /** Fails what waits for an agent that is going away (`why` says so), never dropping it silently. */
  async failPendingFor(name: string, why: string): Promise<Message[]> {
    return this.change(this.queuedFor(name), (m) => {
      m.state = 'failed';
      m.error = why;
    });
  }

  /**
   * An agent was renamed: what is queued for it follows it. Failed messages keep the name they
   * were sent to (one may be from an earlier agent of that name, removed).
   */
  async readdress(from: string, to: string): Promise<Message[]> {
    return this.change(this.queuedFor(from), (m) => void (m.to = to));
  }

  /** The ids of the messages queued for `name`, or on their way in. */
  private queuedFor(name: string): string[] {
    return this.options.store.read().inbox.filter((m) => m.to === name && (m.state === 'pending' || m.state === 'delivering')).map((m) => m.id);
  }

  /**
   * After a daemon restart, the messages it left `delivering`, settled from the receiver's recording — never re-pasted on a guess:
   * - a receiver still running (adopted from the PTY host) whose last input is the paste has it in
   *   its input box: the submit key finishes the delivery;
   * - one whose submit key never went out was never submitted, and is queued again;
   * - one whose submit key went out is delivered if the recording shows the key after the paste;
   *   otherwise it waits, failed, for the user to check and retry.
   * Then each running receiver is given what waits for it: its status may never change again to say so.
   */
  async recoverAfterRestart(): Promise<{ requeued: number; delivered: number; failed: number }> {
    const caught = this.options.store.read().inbox.filter((m) => m.state === 'delivering');
    const counts = { requeued: 0, delivered: 0, failed: 0 };
    // A batch went in as one submission: its messages share their receiver and submit time.
    for (const messages of groupBy(caught, (m) => `${m.to}\u0000${m.submittedAt ?? ''}`).values()) {
      const outcome = await this.settleCaught(messages);
      counts[outcome] += messages.length;
      const now = new Date().toISOString();
      await this.change(
        messages.map((m) => m.id),
        (m) => {
          if (outcome === 'requeued') {
            m.state = 'pending';
          } else if (outcome === 'delivered') {
            m.state = 'delivered';
            m.deliveredAt = now;
          } else {
            m.state = 'failed';
            m.error = `the daemon stopped while delivering it and ${m.to}'s recording does not show it submitted: check ${m.to}, then drover inbox retry ${m.id}`;
          }
        },
      );
    }
    const waiting = new Set(this.options.store.read().inbox.filter((m) => m.state === 'pending').map((m) => m.to));
    for (const to of waiting) {
      const receiver = this.options.supervisor.find(to);
      if (receiver?.live) this.kick(receiver.record.id);
    }
    return counts;
  }

  private async settleCaught(messages: readonly Message[]): Promise<'requeued' | 'delivered' | 'failed'> {
    const submitted = messages.some((m) => m.submittedAt);
    const view = this.options.supervisor.find(messages[0]!.to);
    const keys = view && submitKeysOf(view, messages.map((m) => m.body).join('\n\n'), this.options.supervisor);
    // The recording is read only where it can decide: a running receiver, or a submit key that went out.
    if (!keys || (!view.live && !submitted)) return submitted ? 'failed' : 'requeued';
    const input = await recordedInput(view.live?.recording ?? view.record.recording);
    if (view.live && input.endsWith(keys.paste)) {
      for (const key of keys.submit) view.live.typeKeys(key);
      return 'delivered';
    }
    if (!submitted) return 'requeued';
    const at = input.lastIndexOf(keys.paste);
    return at >= 0 && input.slice(at + keys.paste.length).includes(keys.submit.join('')) ? 'delivered' : 'failed';
  }

  private kick(agentId: string): void {
    if (this.busy.has(agentId)) {
      this.readyWhileBusy.add(agentId);
      return;
    }
    this.busy.add(agentId);
    this.readyWhileBusy.delete(agentId);
    const attempt = this.deliverNext(agentId).catch((error: unknown) => {
      this.log(`inbox: delivery to agent ${agentId} broke: ${(error as Error).stack ?? String(error)}`);
      return false;
    });
    inBackground(
      attempt.then((delivered) => {
        this.busy.delete(agentId);
        // A failed delivery holds the queue: the ready moments its own retries caused do not count.
        if (this.readyWhileBusy.delete(agentId) && delivered) this.kick(agentId);
      }),
      `inbox: after a delivery to agent ${agentId}`,
      this.log,
    );
  }

  /** Whether a message went in. */
  private async deliverNext(agentId: string): Promise<boolean> {
    const view = this.options.supervisor.find(agentId);
    const live = view?.live;
    if (!view || !live || !READY_STATUSES.has(live.status.status)) return false;
    const batch = this.options.store
      .read()
      .inbox.filter((m) => m.to === view.record.name && m.state === 'pending')
      .slice(0, this.batch);
    if (batch.length === 0) return false;
    // Ready, but its screen moved since (someone typing into it while attached): wait for it to settle.
    const wait = live.msUntilSettled();
    if (wait > 0) {
      this.clock.setTimeout(() => this.kick(agentId), wait + 20);
      return false;
    }
    return this.deliver(view.record.name, live, batch.map((m) => m.id));
  }

  private async deliver(name: string, live: LiveAgent, ids: string[]): Promise<boolean> {
    const messages = await this.change(ids, (m) => {
      m.state = 'delivering';
      m.attempts++;
      delete m.error;
      delete m.submittedAt;
    });
    const outcome = await live.submitMessage(messages.map((m) => m.body).join('\n\n'), {
      beforeSubmitKey: async () => {
        const at = new Date().toISOString();
        await this.change(ids, (m) => void (m.submittedAt = at));
      },
    });
    const now = new Date().toISOString();
    await this.change(ids, (m) => {
      if (outcome.taken) {
        m.state = 'delivered';
        m.deliveredAt = now;
        return;
      }
      // Not retried on a guess: the text may sit in its input box. The queue to this agent waits
      // for its next ready transition (the user sorting it out makes one).
      m.state = 'failed';
      const why = live.status.status === 'exited' ? `${name} exited during delivery` : outcome.reason;
      m.error = `${why}: check ${name}, then drover inbox retry ${m.id}`;
    });
    return outcome.taken;
  }

  /** Applies `fn` to the stored messages `ids`, then announces them. */
  private async change(ids: readonly string[], fn: (message: Message) => void): Promise<Message[]> {
    if (ids.length === 0) return [];
    const changed = await this.options.store.update((state) =>
      state.inbox.filter((m) => ids.includes(m.id)).map((m) => {
        fn(m);
        return structuredClone(m);
      }),
    );
    this.emit(changed);
    return changed;
  }

  private emit(messages: Message[]): void {
    for (const message of messages) for (const listener of this.listeners) listener(message);
  }
}

/** The keys that deliver `text` to the agent: its paste, then its submit keys; undefined for a provider drover no longer knows. */
function submitKeysOf(view: AgentView, text: string, supervisor: Supervisor): { paste: string; submit: string[] } | undefined {
  let provider;
  try {
    provider = supervisor.providerOf(view.record);
  } catch (error) {
    if (error instanceof UserError) return undefined; // the user checks
    throw error;
  }
  const [paste, ...submit] = provider.integrate.submit(text);
  return { paste: paste!, submit };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
