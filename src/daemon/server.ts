/**
 * The daemon's end of the socket: JSON-RPC 2.0 (json-rpc-2.0), one message per line. Each request's
 * params and its result are checked against the protocol's zod schemas; a bad frame or a failing
 * handler costs one error reply, never the connection or the daemon. Events are pushed as
 * notifications; a client that stops reading is dropped rather than allowed to hold memory.
 */
import net from 'node:net';
import {
  createJSONRPCErrorResponse,
  createJSONRPCNotification,
  createJSONRPCSuccessResponse,
  JSONRPCServer,
  type JSONRPCRequest,
  type JSONRPCResponse,
} from 'json-rpc-2.0';
import { UserError } from '../errors.ts';
import { ErrorCode, RpcError } from '../protocol/errors.ts';
import { frame, frameTooLarge, MAX_FRAME_BYTES, onLines } from '../protocol/framing.ts';
import {
  AGENT_METHODS,
  AGENT_ONLY_METHODS,
  describeIssue,
  methods,
  PROTOCOL_VERSION,
  replyIdOf,
  requestEnvelopeSchema,
  type EventName,
  type EventParams,
  type HandlerParams,
  type HandlerResult,
  type Method,
  type ScreenState,
} from '../protocol/schema.ts';

/** Every method but `hello` and `ping`, which the transport answers itself. */
export type HandledMethod = Exclude<Method, 'hello' | 'ping'>;

/** Who a connection acts for: the person, or one agent (by id), as its hello established. */
export type Caller = { kind: 'user' } | { kind: 'agent'; id: string; name: string };

/** What a handler knows of the connection that called it. */
export interface CallContext {
  readonly caller: Caller;
  /**
   * Send this connection `event.screen` for the agent (by id) until it unsubscribes or leaves;
   * `screen` is the one its reply carries, which the next event's changed rows are counted from.
   */
  subscribe(agentId: string, screen: ScreenState): void;
  unsubscribe(agentId: string): void;
  /** Send this connection the agent's raw terminal output (`event.output`): it is attached. */
  attach(agentId: string): void;
  detach(agentId: string): void;
  /** Runs `listener` once the connection has closed (a client that went without saying goodbye too). */
  onClose(listener: () => void): void;
}

/** Agent-scoped events go only to the connections subscribed to their topic. */
function outputTopic(agentId: string): string {
  return `output:${agentId}`;
}

function topicOf<E extends EventName>(event: E, params: EventParams<E>): string | undefined {
  if (event === 'event.screen') return (params as EventParams<'event.screen'>).agent;
  if (event === 'event.output') return outputTopic((params as EventParams<'event.output'>).agent);
  return undefined;
}

export type Handler<M extends HandledMethod> = (
  params: HandlerParams<M>,
  context: CallContext,
) => HandlerResult<M> | Promise<HandlerResult<M>>;
export type Handlers = { [M in HandledMethod]: Handler<M> };

export interface ServerOptions {
  socketPath: string;
  handlers: Handlers;
  /** Who a hello's claim makes the connection act for; throws (a UserError) to refuse it. */
  identify: (claim: Omit<HandlerParams<'hello'>, 'version'>) => Caller;
  /** The protocol version spoken (default PROTOCOL_VERSION; tests pretend to be another). */
  version?: number;
  /** A client with more than this many bytes unsent has stopped reading and is dropped. */
  maxBufferedBytes?: number;
  /** A connection that has not said hello this long after connecting is closed (default 10 s). */
  helloTimeoutMs?: number;
  /** Gets each handler failure with its stack (the reply carries only the message) and each dropped client. */
  log?: (line: string) => void;
}

export interface DaemonServer {
  /** Open connections. */
  readonly clients: number;
  /** `event.screen` / `event.output` go to the agent's subscribers / attached clients, other events to every client that said hello. */
  broadcast<E extends EventName>(event: E, params: EventParams<E>): void;
  /** Whether any client subscribes to the agent's screen: screens need only be sent when watched. */
  watched(agentId: string): boolean;
  /** Whether any client is attached to the agent's raw output. */
  attached(agentId: string): boolean;
  /** Stops listening, closes each connection once what is queued for it is sent, removes the socket. */
  close(): Promise<void>;
}

/** Several seconds of a busy agent's screen updates. */
const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/**
 * Every drover client says hello at once; a connection that never does only holds a descriptor
 * (twenty thousand of them exhaust the daemon's).
 */
const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
/** How long close() lets a connection flush before cutting it. */
const CLOSE_GRACE_MS = 1000;

interface Connection {
  readonly id: number;
  readonly socket: net.Socket;
  greeted: boolean;
  caller: Caller;
  readonly subscriptions: Set<string>;
  /** Per subscribed agent, the screen this connection was sent last. */
  readonly screens: Map<string, SentScreen>;
  readonly context: CallContext;
}

/** A screen as it was sent: its rows are what the next one is compared with. */
interface SentScreen {
  lines: readonly unknown[];
  styled?: readonly unknown[];
}

/** The screen event for a connection that was sent `before`: only the rows that changed, or whole. */
function screenFor(params: EventParams<'event.screen'>, before: SentScreen | undefined): EventParams<'event.screen'> {
  if (!before || before.lines.length !== params.lines.length) return params;
  // A row is unchanged when its text and its styles are. The screen hands back the same runs for a
  // row whose cells did not change: mostly compared by identity, not by writing both out.
  const sameStyles = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  const changed = (y: number) => params.lines[y] !== before.lines[y] || !sameStyles(params.styled?.[y], before.styled?.[y]);
  return {
    ...params,
    lines: params.lines.map((line, y) => (changed(y) ? line : null)),
    ...(params.styled ? { styled: params.styled.map((row, y) => (changed(y) ? row : null)) } : {}),
    partial: true,
  };
}

/** Internally every handler is called the same way; the zod schema has already checked its params. */
type AnyHandler = (params: never, context: CallContext) => unknown;

export async function startServer(options: ServerOptions): Promise<DaemonServer> {
  const version = options.version ?? PROTOCOL_VERSION;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const helloTimeoutMs = options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS;
  const log = options.log ?? (() => {});
  const handlers: Record<HandledMethod, AnyHandler> = options.handlers;
  const connections = new Set<Connection>();
  let lastId = 0;

  const rpc = new JSONRPCServer<Connection>({ errorListener: (message, data) => log(`${message} ${String(data)}`) });
  const define = (method: Method, run: (params: never, connection: Connection) => unknown) => {
    // The checks before `await` run synchronously as the line arrives, so a hello is in force for
    // the very next line even if the client does not wait for its reply.
    rpc.addMethodAdvanced(method, async (request, connection): Promise<JSONRPCResponse | null> => {
      try {
        if (method !== 'hello' && !connection.greeted) {
          throw new RpcError('call hello first (a drover client does so on connecting)', ErrorCode.HelloRequired);
        }
        refuseIfNotAllowed(method, connection.caller);
        const parsed = methods[method].params.safeParse(request.params ?? {});
        if (!parsed.success) throw new RpcError(`invalid params for ${method}: ${describeIssue(parsed.error)}`, ErrorCode.InvalidParams);
        // Checked here too: zod drops fields the schema does not name, so an internal object a
        // handler hands back by mistake (a Pty, say) is never serialized.
        const result = methods[method].result.safeParse(await run(parsed.data as never, connection));
        if (!result.success) throw new Error(`${method} produced an invalid result: ${describeIssue(result.error)}`);
        return request.id === undefined ? null : createJSONRPCSuccessResponse(request.id, result.data);
      } catch (error) {
        // A refusal the user can act on travels as its one-line message; anything else is a bug, logged with its stack.
        if (!(error instanceof UserError)) log(`client ${connection.id}: ${method} failed: ${stackOf(error)}`);
        // A notification gets no reply, not even an error (JSON-RPC 2.0).
        if (request.id === undefined) return null;
        return error instanceof RpcError
          ? createJSONRPCErrorResponse(request.id, error.code, error.message, error.data)
          : createJSONRPCErrorResponse(request.id, ErrorCode.Failed, error instanceof Error ? error.message : String(error));
      }
    });
  };

  define('hello', ({ version: theirs, ...claim }: HandlerParams<'hello'>, connection) => {
    if (theirs !== version) {
      throw new RpcError(
        `the drover daemon speaks protocol ${version} and this drover ${theirs}: restart the daemon (drover daemon stop)`,
        ErrorCode.VersionMismatch,
        { version }, // a remote client names both versions in its own words
      );
    }
    connection.caller = options.identify(claim);
    connection.greeted = true;
    return { version, pid: process.pid };
  });
  define('ping', () => ({ pong: true }));
  for (const method of Object.keys(methods) as Method[]) {
    if (method === 'hello' || method === 'ping') continue;
    const handler = handlers[method];
    define(method, (params, connection) => handler(params, connection.context));
  }

  const send = (connection: Connection, line: string) => {
    const { socket } = connection;
    if (!socket.writable) return;
    socket.write(line);
    if (socket.writableLength > maxBuffered) {
      log(`client ${connection.id}: dropped, ${socket.writableLength} bytes unread`);
      socket.destroy();
    }
  };

  const accept = (socket: net.Socket) => {
    const subscriptions = new Set<string>();
    const screens = new Map<string, SentScreen>();
    const closeListeners: Array<() => void> = [];
    const connection: Connection = {
      id: ++lastId,
      socket,
      greeted: false,
      caller: { kind: 'user' },
      subscriptions,
      screens,
      context: {
        get caller() {
          return connection.caller;
        },
        subscribe: (agent, screen) => {
          subscriptions.add(agent);
          screens.set(agent, screen);
        },
        unsubscribe: (agent) => {
          subscriptions.delete(agent);
          screens.delete(agent);
        },
        attach: (agent) => void subscriptions.add(outputTopic(agent)),
        detach: (agent) => void subscriptions.delete(outputTopic(agent)),
        onClose: (listener) => void closeListeners.push(listener),
      },
    };
    connections.add(connection);
    const helloTimer = setTimeout(() => {
      if (connection.greeted) return;
      log(`client ${connection.id}: closed, no hello within ${helloTimeoutMs} ms`);
      const why = `no hello within ${helloTimeoutMs / 1000} s: a drover client says hello as it connects`;
      socket.end(frame(createJSONRPCErrorResponse(null, ErrorCode.HelloRequired, why)));
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    }, helloTimeoutMs);
    helloTimer.unref();
    // EPIPE, ECONNRESET: the client went away; 'close' follows and forgets it.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(helloTimer);
      connections.delete(connection);
      for (const listener of closeListeners.splice(0)) {
        try {
          listener();
        } catch (error) {
          log(`client ${connection.id}: after it closed: ${stackOf(error)}`);
        }
      }
    });
    onLines(
      socket,
      MAX_FRAME_BYTES,
      (line) => {
        try {
          receive(connection, line);
        } catch (error) {
          log(`client ${connection.id}: a line could not be answered: ${stackOf(error)}`);
        }
      },
      () => {
        // Where the next frame starts is unknown: say why, and close once that is sent.
        const limit = frameTooLarge(MAX_FRAME_BYTES);
        log(`client ${connection.id}: closed, it sent a ${limit}`);
        socket.end(frame(createJSONRPCErrorResponse(null, ErrorCode.InvalidRequest, limit)));
        setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
      },
    );
  };

  /** A reply that cannot be serialized is logged, and the caller gets an error reply instead. */
  const reply = (connection: Connection, response: JSONRPCResponse) => {
    let line: string;
    try {
      line = frame(response);
    } catch (error) {
      log(`client ${connection.id}: the reply could not be sent: ${stackOf(error)}`);
      const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      line = frame(createJSONRPCErrorResponse(response.id, ErrorCode.Failed, `the reply could not be sent: ${firstLine}`));
    }
    send(connection, line);
  };

  /**
   * One line from a client. The envelope is checked before json-rpc-2.0 sees it: it echoes any id,
   * and an id JSON.stringify cannot write back (an array 8000 deep) would throw while replying.
   */
  const receive = (connection: Connection, line: string) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return reply(connection, createJSONRPCErrorResponse(null, ErrorCode.ParseError, 'Parse error'));
    }
    // A batch (an array) is refused too: the protocol is one message per line.
    const envelope = requestEnvelopeSchema.safeParse(message);
    if (!envelope.success) {
      const problem = describeIssue(envelope.error, '(request)');
      return reply(connection, createJSONRPCErrorResponse(replyIdOf(message), ErrorCode.InvalidRequest, `invalid request: ${problem}`));
    }
    Promise.resolve(rpc.receive(envelope.data as JSONRPCRequest, connection))
      .then((response) => response && reply(connection, response))
      .catch((error: unknown) => log(`client ${connection.id}: answering ${envelope.data.method} failed: ${stackOf(error)}`));
  };

  const server = net.createServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The socket is 0600 from its first moment rather than chmod-ed after listen(): in between, a
    // peer the umask let write could connect. bind() creates it 0777 less the umask, and runs
    // synchronously inside listen(), so the process-wide umask is changed for that instant only.
    const umask = process.umask(0o177);
    try {
      server.listen(options.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(umask);
    }
  });
  server.on('error', (error) => log(`socket server: ${error.message}`));

  /**
   * A screen goes to each subscriber as the rows that changed since the one it was sent last: a
   * spinner and a streamed line are a few rows of a screen's dozens, and the whole screen, styled,
   * was most of the daemon's writing with one agent previewed.
   */
  const broadcastScreen = (params: EventParams<'event.screen'>) => {
    let whole: string | undefined;
    for (const connection of connections) {
      if (!connection.greeted || !connection.subscriptions.has(params.agent)) continue;
      const update = screenFor(params, connection.screens.get(params.agent));
      connection.screens.set(params.agent, params);
      send(connection, update === params ? (whole ??= frame(createJSONRPCNotification('event.screen', params))) : frame(createJSONRPCNotification('event.screen', update)));
    }
  };

  const hasSubscriber = (topic: string) => {
    for (const connection of connections) if (connection.greeted && connection.subscriptions.has(topic)) return true;
    return false;
  };
  return {
    get clients() {
      return connections.size;
    },
    broadcast(event, params) {
      if (event === 'event.screen') return broadcastScreen(params as EventParams<'event.screen'>);
      const line = frame(createJSONRPCNotification(event, params));
      const topic = topicOf(event, params);
      for (const connection of connections) {
        if (connection.greeted && (topic === undefined || connection.subscriptions.has(topic))) send(connection, line);
      }
    },
    watched(agentId) {
      return hasSubscriber(agentId);
    },
    attached(agentId) {
      return hasSubscriber(outputTopic(agentId));
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const { socket } of connections) {
          socket.end();
          setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
        }
      });
    },
  };
}

/** An agent's connection may call AGENT_METHODS only; a person's, all but what is an agent's alone. */
function refuseIfNotAllowed(method: Method, caller: Caller): void {
  if (caller.kind === 'agent' && !AGENT_METHODS.has(method)) {
    throw new RpcError(
      `${method} is the person's, and this connection acts as agent ${caller.name} (a drover run inside an agent's terminal acts as that agent): run it from your own terminal`,
      ErrorCode.NotAllowed,
    );
  }
  if (caller.kind === 'user' && AGENT_ONLY_METHODS.has(method)) {
    throw new RpcError(`${method} is an agent's own (its hooks and MCP server), with its identity in hello`, ErrorCode.NotAllowed);
  }
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
