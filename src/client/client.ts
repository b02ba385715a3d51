/**
 * A connection to the drover daemon: the hello handshake, calls typed and validated by the
 * protocol's zod schemas on both ends, and the daemon's events.
 */
import net from 'node:net';
import { JSONRPCClient, JSONRPCErrorException, type JSONRPCResponse } from 'json-rpc-2.0';
import { UserError } from '../errors.ts';
import { frame, frameTooLarge, MAX_DAEMON_FRAME_BYTES, onLines } from '../protocol/framing.ts';
import {
  describeIssue,
  events,
  methods,
  PROTOCOL_VERSION,
  RpcError,
  type CallParams,
  type CallResult,
  type EventName,
  type EventParams,
  type Method,
} from '../protocol/schema.ts';

/** Nothing answers at the socket: the caller may start a daemon and connect again. */
export class NoDaemonError extends UserError {
  readonly code = 'NO_DAEMON';

  constructor(readonly socketPath: string) {
    super(`no drover daemon at ${socketPath}`);
  }
}

export type ClientMethod = Exclude<Method, 'hello'>;
/** Params may be left out where the method takes none. */
type ParamsArg<M extends Method> = {} extends CallParams<M> ? [params?: CallParams<M>] : [params: CallParams<M>];

export interface Client {
  /** The daemon's answer to hello. */
  readonly daemon: CallResult<'hello'>;
  /** Rejects with an RpcError when the daemon replies with an error. */
  call<M extends ClientMethod>(method: M, ...params: ParamsArg<M>): Promise<CallResult<M>>;
  /** Returns a function that removes the handler. */
  on<E extends EventName>(event: E, handler: (params: EventParams<E>) => void): () => void;
  /** Settles when the connection has ended, from either side. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** How long the daemon gets to answer hello. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

export async function connect(socketPath: string, options: ConnectOptions = {}): Promise<Client> {
  const socket = await open(socketPath);
  const listeners = new Map<string, Set<(params: never) => void>>();
  let closeReason = `the drover daemon at ${socketPath} closed the connection`;
  let ended = false;

  const rpc = new JSONRPCClient(
    (payload) => new Promise<void>((resolve, reject) => void socket.write(frame(payload), (error) => (error ? reject(error) : resolve()))),
  );
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      ended = true;
      rpc.rejectAllPendingRequests(closeReason);
      resolve();
    });
  });
  // ECONNRESET and the like: 'close' follows and rejects what is pending.
  socket.on('error', () => {});

  const drop = (reason: string) => {
    closeReason = `the drover daemon at ${socketPath} ${reason}`;
    socket.destroy();
  };
  onLines(
    socket,
    MAX_DAEMON_FRAME_BYTES,
    (line) => {
      const message = parseObject(line);
      if (!message) return drop('sent a malformed frame');
      if (typeof message.method !== 'string') return rpc.receive(message as JSONRPCResponse);
      // An event this client does not know (from a newer daemon) is skipped. One that fails its
      // schema can only be a daemon bug, and should not cost a TUI its connection: skipped too.
      if (!Object.hasOwn(events, message.method)) return;
      const parsed = events[message.method as EventName].safeParse(message.params);
      if (!parsed.success) return;
      for (const handler of listeners.get(message.method) ?? []) handler(parsed.data as never);
    },
    () => drop(`sent a ${frameTooLarge(MAX_DAEMON_FRAME_BYTES)}`),
  );

  const request = async <M extends Method>(method: M, params: CallParams<M> | undefined): Promise<CallResult<M>> => {
    if (ended) throw new Error(closeReason);
    let raw: unknown;
    try {
      raw = await rpc.request(method, params ?? {});
    } catch (error) {
      // json-rpc-2.0 reports its own failures (connection closed, write failed) with code 0, which
      // the daemon never sends.
      if (error instanceof JSONRPCErrorException && error.code !== 0) throw new RpcError(error.message, error.code, error.data);
      throw new Error((error as Error).message);
    }
    const parsed = methods[method].result.safeParse(raw);
    if (!parsed.success) throw new Error(`the drover daemon sent an invalid result for ${method}: ${describeIssue(parsed.error)}`);
    return parsed.data as CallResult<M>;
  };

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => {
    closeReason = `the drover daemon at ${socketPath} did not answer hello within ${timeoutMs} ms`;
    socket.destroy();
  }, timeoutMs);
  let daemon: CallResult<'hello'>;
  try {
    daemon = await request('hello', { version: PROTOCOL_VERSION });
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return {
    daemon,
    closed,
    call: (method, ...[params]) => request(method, params),
    on(event, handler) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(handler);
      return () => void set.delete(handler);
    },
    close() {
      // Our writes flushed, the connection is done: no need to wait for the daemon's side.
      socket.end(() => socket.destroy());
      return closed;
    },
  };
}

function parseObject(line: string): { method?: unknown; params?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function open(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const fail = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? new NoDaemonError(socketPath) : error);
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
