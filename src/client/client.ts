/**
 * A connection to the drover daemon: the hello handshake, typed calls, and the daemon's events.
 *
 * The client loads no schemas (zod alone costs a one-shot verb more than Node's own start): the
 * daemon checks every call's params and every result against them before it replies, and hello
 * has checked that both sides speak the same protocol version, so what arrives has the shape the
 * types say. Frames that are not JSON objects still end the connection. For the same reason the
 * JSON-RPC side is the few lines below (ids, pending calls, error replies) rather than a library:
 * the daemon's end uses json-rpc-2.0, whose load costs a short verb a fifth of its time.
 */
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { UserError } from '../errors.ts';
import { ErrorCode, RpcError } from '../protocol/errors.ts';
import { frame, frameTooLarge, MAX_DAEMON_FRAME_BYTES, onLines } from '../protocol/framing.ts';
import { callerClaim, type CallerClaim } from '../protocol/launch.ts';
import type { CallParams, CallResult, EventName, EventParams, Method } from '../protocol/schema.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import { checkOwnDir } from '../store/paths.ts';

/** Nothing answers at the socket: the caller may start a daemon and connect again. */
export class NoDaemonError extends UserError {
  readonly code = 'NO_DAEMON';

  constructor(readonly socketPath: string) {
    super(`no drover daemon at ${socketPath}`);
  }
}

export type ClientMethod = Exclude<Method, 'hello'>;
/** Params may be left out where the method takes none. */
export type ParamsArg<M extends Method> = {} extends CallParams<M> ? [params?: CallParams<M>] : [params: CallParams<M>];

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

/** A byte stream to a daemon, and how errors name it ("the drover daemon at /run/…/drover.sock"). */
export interface Channel {
  stream: Duplex;
  label: string;
  /**
   * Whom this drover acts for, said in the hello: on this machine's socket, an agent's identity when
   * it runs inside one (protocol/launch.ts callerClaim). Over ssh, none: the person ssh logged in.
   */
  claim?: CallerClaim;
  /** Why the stream ended, when its end knows better than "closed the connection" (ssh's own words). */
  closeReason?: () => string | undefined;
}

const DEFAULT_TIMEOUT_MS = 5000;

export async function connect(socketPath: string, options: ConnectOptions = {}): Promise<Client> {
  checkOwnDir(path.dirname(socketPath));
  return connectOver({ stream: await openSocket(socketPath), label: `the drover daemon at ${socketPath}`, claim: callerClaim(socketPath) }, options);
}

/** The protocol over any byte stream: the local socket, or ssh's pipes to a remote `drover dial-stdio`. */
export async function connectOver(channel: Channel, options: ConnectOptions = {}): Promise<Client> {
  const { stream: socket, label } = channel;
  const listeners = new Map<string, Set<(params: never) => void>>();
  let closeReason = `${label} closed the connection`;
  let ended = false;

  /** Calls waiting for their reply, by id. */
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  let lastId = 0;
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      ended = true;
      closeReason = channel.closeReason?.() ?? closeReason;
      for (const call of pending.values()) call.reject(new Error(closeReason));
      pending.clear();
      resolve();
    });
  });
  // ECONNRESET and the like: 'close' follows and rejects what is pending.
  socket.on('error', () => {});

  const drop = (reason: string) => {
    closeReason = `${label} ${reason}`;
    socket.destroy();
  };
  onLines(
    socket,
    MAX_DAEMON_FRAME_BYTES,
    (line) => {
      const message = parseObject(line);
      if (!message) return drop('sent a malformed frame');
      if (typeof message.method !== 'string') return settle(message);
      // An event nobody listens for (one a newer daemon added, say) is skipped.
      for (const handler of listeners.get(message.method) ?? []) handler(message.params as never);
    },
    () => drop(`sent a ${frameTooLarge(MAX_DAEMON_FRAME_BYTES)}`),
  );

  /** A reply: its call resolves with the result, or rejects with the daemon's error as an RpcError. */
  const settle = (reply: Reply) => {
    const call = typeof reply.id === 'number' ? pending.get(reply.id) : undefined;
    if (!call) return;
    pending.delete(reply.id as number);
    const { error } = reply;
    if (error === undefined) call.resolve(reply.result);
    else call.reject(new RpcError(String(error?.message ?? 'error reply without a message'), Number(error?.code ?? ErrorCode.Failed), error?.data));
  };

  const request = <M extends Method>(method: M, params: CallParams<M> | undefined): Promise<CallResult<M>> => {
    if (ended) return Promise.reject(new Error(closeReason));
    const id = ++lastId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      socket.write(frame({ jsonrpc: '2.0', id, method, params: params ?? {} }), (error) => {
        if (!error || !pending.delete(id)) return;
        reject(new Error(`writing to ${label} failed: ${error.message}`));
      });
    });
  };

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => {
    closeReason = `${label} did not answer hello within ${timeoutMs} ms`;
    socket.destroy();
  }, timeoutMs);
  let daemon: CallResult<'hello'>;
  try {
    daemon = await request('hello', { version: PROTOCOL_VERSION, ...channel.claim });
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

/** A frame from the daemon: an event (method, params) or a reply (id, result or error). */
interface Reply {
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown } | null;
}

function parseObject(line: string): Reply | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The daemon's socket, connected; NoDaemonError when nothing answers there. */
export function openSocket(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const fail = (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') return reject(new NoDaemonError(socketPath));
      if (error.code === 'EACCES' || error.code === 'EPERM') {
        const why = `cannot connect to ${socketPath}: permission denied (its daemon runs as another user; run drover as that user, or point XDG_RUNTIME_DIR at your own folder)`;
        return reject(new UserError(why));
      }
      reject(error);
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
