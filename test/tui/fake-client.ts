/** A stand-in for the daemon connection: scripted replies, recorded calls, events on demand. */
import type { Client, ClientMethod } from '../../src/client/client.ts';
import { ErrorCode, RpcError } from '../../src/protocol/errors.ts';
import {
  type AgentSummary,
  type ApprovalView,
  type CallParams,
  type CallResult,
  type EventName,
  type EventParams,
  type MessageView,
  type ScreenState,
} from '../../src/protocol/schema.ts';

type Handlers = { [M in ClientMethod]?: (params: CallParams<M>) => CallResult<M> | Promise<CallResult<M>> };

export class FakeClient implements Client {
  readonly daemon = { version: 2, pid: 1 };
  readonly closed = new Promise<void>(() => {});
  readonly calls: { method: ClientMethod; params: unknown }[] = [];
  private readonly listeners = new Map<string, Set<(params: never) => void>>();

  constructor(private readonly handlers: Handlers = {}) {}

  handle<M extends ClientMethod>(method: M, handler: NonNullable<Handlers[M]>): void {
    (this.handlers as Record<string, unknown>)[method] = handler;
  }

  async call<M extends ClientMethod>(method: M, ...[params]: [params?: CallParams<M>]): Promise<CallResult<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers[method] as ((p: unknown) => CallResult<M>) | undefined;
    if (!handler) throw new RpcError('Method not found', ErrorCode.MethodNotFound);
    return handler(params);
  }

  /** The calls made to `method`, their params. */
  callsTo(method: ClientMethod): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  on<E extends EventName>(event: E, handler: (params: EventParams<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(handler as (params: never) => void);
    return () => void set.delete(handler as (params: never) => void);
  }

  emit<E extends EventName>(event: E, params: EventParams<E>): void {
    for (const handler of this.listeners.get(event) ?? []) handler(params as never);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export function agent(name: string, status: AgentSummary['status'], changes: Partial<AgentSummary> = {}): AgentSummary {
  return { id: `id-${name}`, name, provider: 'shell', cwd: '/tmp', status, since: Date.now() - 5000, ...changes };
}

export function screen(lines: string[], changes: Partial<ScreenState> = {}): ScreenState {
  return { lines, title: '', cursor: { x: 0, y: lines.length - 1 }, cols: 120, rows: 35, ...changes };
}

export function approval(id: string, agentName: string, choices: ('once' | 'always' | 'deny')[]): ApprovalView {
  return {
    id,
    agent: `id-${agentName}`,
    agentName,
    provider: 'claude',
    tool: 'Bash',
    summary: 'npm test',
    options: choices.map((choice, i) => ({ label: choice, keys: String(i + 1), choice })),
    screen: '',
    fingerprint: `fp-${id}`,
    state: 'pending',
    createdAt: new Date().toISOString(),
  };
}

export function message(id: string, from: string, to: string, body: string, state: MessageView['state'] = 'pending'): MessageView {
  return { id, from, to, body, state, createdAt: new Date().toISOString(), attempts: 0 };
}
