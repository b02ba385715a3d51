/**
 * Several daemons as one client: this machine's and each host's (over ssh). The TUI talks to the
 * herd as it would to one daemon: lists are merged, events forwarded, and a call goes to the host
 * its agent, message or request belongs to. A remote host's agents, messages and requests carry
 * its name: `box:worker`, ids `box:1f2e3d4c` (agent names cannot hold a colon, so this never
 * clashes with a local one). Each connection that drops is retried by itself with exponential
 * back-off; meanwhile its last known agents stay listed, and `unreachable` says why.
 */
import type { Client, ClientMethod, ParamsArg } from '../client/client.ts';
import type { CallResult, EventName, EventParams } from '../protocol/schema.ts';

/** A machine whose daemon joins the herd: its name tags its agents (`box:worker`). */
export interface HerdHost {
  name: string;
  connect(): Promise<Client>;
}

/** Back-off between failed reconnects: a daemon restarting is back at once, a host that is down is not asked every second. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 8000;

/** The events the herd passes on (an event a newer daemon adds is not, until it is named here). */
const EVENTS: readonly EventName[] = ['event.status', 'event.agent', 'event.screen', 'event.output', 'event.inbox', 'event.approvals', 'event.state'];

/** Fields that name or identify an agent, a message or a request; tagged on the way in, untagged on the way out. */
const REF_FIELDS = ['id', 'agent', 'name', 'agentName', 'from', 'to'] as const;
/** Lists of references in params (`inbox.dismiss {ids}`): all of one host, routed by the first. */
const REF_LIST_FIELDS = ['ids'] as const;
/** Lists of those in results. */
const LIST_FIELDS = ['agents', 'messages', 'approvals'] as const;
/** Not agents: never tagged. */
const PARTIES: ReadonlySet<string> = new Set(['user', 'system']);

export type Lists = Pick<CallResult<'agents.list'>, 'agents'> & Pick<CallResult<'inbox.list'>, 'messages'> & Pick<CallResult<'approvals.list'>, 'approvals'>;

interface Member {
  /** undefined: this machine. */
  readonly name?: string;
  readonly connect: () => Promise<Client>;
  client?: Client;
  /** Why it cannot be reached, while it is not. */
  unreachable?: string;
}

export interface HerdEvents {
  /** A host dropped or came back: the lists need loading again. */
  changed(): void;
  /** A host reconnected ("box"; "" for this machine). */
  reconnected(host: string): void;
  /** What the TUI last heard of a host out of reach, listed for it meanwhile. */
  lastHeard(host: string): Lists;
}

export class Herd implements Client {
  private readonly members: Member[];
  private readonly listeners = new Map<string, Set<(params: never) => void>>();
  private closing = false;
  private readonly wakers = new Set<() => void>();
  private resolveClosed!: () => void;
  readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));

  /** `local` is connected already (the TUI waits for it); the hosts connect in the background. */
  constructor(
    local: Client,
    localConnect: () => Promise<Client>,
    hosts: HerdHost[],
    private readonly events: HerdEvents,
  ) {
    this.members = [{ connect: localConnect }, ...hosts.map((host) => ({ name: host.name, connect: () => host.connect() }))];
    this.attach(this.members[0]!, local);
    for (const member of this.members.slice(1)) void this.reconnect(member, false);
  }

  get daemon(): Client['daemon'] {
    return this.members[0]!.client!.daemon;
  }

  /** Why each host out of reach is ("" for this machine); a host not yet connected for the first time is not listed. */
  unreachable(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const m of this.members) if (m.unreachable !== undefined) out[m.name ?? ''] = m.unreachable;
    return out;
  }

  /** The connection and the daemon's own reference for a tagged one: what `drover attach` over the TUI needs. */
  route(ref: string): { client: Client | undefined; ref: string; host: string } {
    const { member, ref: own } = this.untag(ref);
    return { client: member.client, ref: own, host: member.name ?? '' };
  }

  call<M extends ClientMethod>(method: M, ...[params]: ParamsArg<M>): Promise<CallResult<M>> {
    if (method === 'agents.list' || method === 'inbox.list' || method === 'approvals.list') return this.merged(method, params) as Promise<CallResult<M>>;
    const { member, params: own } = this.destination(method, (params ?? {}) as Record<string, unknown>);
    if (!member.client) return Promise.reject(new Error(`${member.name ?? 'the daemon'} is out of reach${member.unreachable ? `: ${member.unreachable}` : ''}`));
    return (member.client.call as (m: string, p: unknown) => Promise<unknown>)(method, own).then((result) => tagged(member.name, result)) as Promise<CallResult<M>>;
  }

  on<E extends EventName>(event: E, handler: (params: EventParams<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(handler as (params: never) => void);
    return () => void set.delete(handler as (params: never) => void);
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const wake of this.wakers) wake();
    await Promise.all(this.members.map((m) => m.client?.close()));
    this.resolveClosed();
  }

  private attach(member: Member, client: Client): void {
    member.client = client;
    member.unreachable = undefined;
    for (const event of EVENTS) {
      client.on(event, (params) => {
        // A daemon-wide event names no agent: it is told which host it came from.
        const forwarded = event === 'event.state' ? { ...params, host: member.name ?? '' } : tagged(member.name, params);
        for (const handler of this.listeners.get(event) ?? []) handler(forwarded as never);
      });
    }
    void client.closed.then(() => {
      if (member.client !== client || this.closing) return;
      member.client = undefined;
      member.unreachable = 'the connection closed';
      this.events.changed();
      void this.reconnect(member, true);
    });
  }

  /** Connects again until it works or the herd closes, waiting longer after each failure. */
  private async reconnect(member: Member, dropped: boolean): Promise<void> {
    for (let delay = FIRST_RETRY_MS; !this.closing; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        const client = await member.connect();
        if (this.closing) return void client.close();
        this.attach(member, client);
        this.events.changed();
        if (dropped) this.events.reconnected(member.name ?? '');
        return;
      } catch (error) {
        member.unreachable = `${error instanceof Error ? error.message : String(error)} (next try in ${(delay / 1000).toFixed(1)} s)`;
        this.events.changed();
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            this.wakers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, delay);
          this.wakers.add(wake);
        });
      }
    }
  }

  /** Every host's list, tagged; a host out of reach gives what it last listed. */
  private async merged(method: 'agents.list' | 'inbox.list' | 'approvals.list', params: unknown): Promise<unknown> {
    const field = method === 'agents.list' ? 'agents' : method === 'inbox.list' ? 'messages' : 'approvals';
    const lists = await Promise.all(
      this.members.map(async (member) => {
        const lastHeard = () => this.events.lastHeard(member.name ?? '')[field];
        if (!member.client) return lastHeard();
        try {
          const result = tagged(member.name, await (member.client.call as (m: string, p: unknown) => Promise<unknown>)(method, params)) as Lists;
          return result[field];
        } catch (error) {
          // This machine's refusal is the caller's to show; a host's is its unreachable line once it drops.
          if (member.name === undefined) throw error;
          return lastHeard();
        }
      }),
    );
    return { [field]: lists.flat() };
  }

  /**
   * The host a call is for (from the first tagged reference in its params — a list's first item —
   * or a spawn's `host:provider`), and the params as that host knows them.
   */
  private destination(method: string, params: Record<string, unknown>): { member: Member; params: Record<string, unknown> } {
    const key = method === 'agents.spawn' ? 'provider' : REF_FIELDS.find((field) => typeof params[field] === 'string');
    const list = REF_LIST_FIELDS.map((field) => params[field]).find((value) => Array.isArray(value) && typeof value[0] === 'string') as string[] | undefined;
    const ref = key ? (params[key] as string) : list?.[0];
    if (ref === undefined) return { member: this.members[0]!, params };
    const { member } = this.untag(ref);
    const own: Record<string, unknown> = { ...params };
    for (const field of [...REF_FIELDS, 'provider']) {
      const value = own[field];
      if (typeof value === 'string') own[field] = this.untagFor(member, value);
    }
    for (const field of REF_LIST_FIELDS) {
      const value = own[field];
      if (Array.isArray(value)) own[field] = value.map((item: unknown) => (typeof item === 'string' ? this.untagFor(member, item) : item));
    }
    return { member, params: own };
  }

  private untag(ref: string): { member: Member; ref: string } {
    for (const member of this.members.slice(1)) {
      const own = this.untagFor(member, ref);
      if (own !== ref) return { member, ref: own };
    }
    return { member: this.members[0]!, ref };
  }

  private untagFor(member: Member, ref: string): string {
    const prefix = member.name === undefined ? undefined : `${member.name}:`;
    return prefix && ref.startsWith(prefix) ? ref.slice(prefix.length) : ref;
  }
}

/** `value` with its references tagged with `host` (none for this machine), lists included. */
export function tagged(host: string | undefined, value: unknown): unknown {
  if (host === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of REF_FIELDS) {
    const ref = out[field];
    if (typeof ref === 'string' && !PARTIES.has(ref)) out[field] = `${host}:${ref}`;
  }
  for (const field of LIST_FIELDS) {
    const list = out[field];
    if (Array.isArray(list)) out[field] = list.map((item) => tagged(host, item));
  }
  return out;
}
