// Types shared by the mock model server's modules.

export type Protocol = 'anthropic' | 'responses' | 'chat' | 'gemini';
export type Role = 'main' | 'aux';

export type MockEventKind =
  | 'request'
  | 'stall-start'
  | 'stream-start'
  | 'first-token'
  | 'tool-call-sent'
  | 'turn-end'
  | 'error-sent';

/** A timestamped fact about what the mock did, emitted when the bytes hit the socket. */
export interface MockEvent {
  at: number;
  kind: MockEventKind;
  role: Role;
  turn?: number;
  protocol: Protocol;
  detail?: string;
}

export type JsonSchema = Record<string, unknown>;

/** A tool the request offers. `builtin` = a provider-side tool (web search): it does not make a request main. */
export interface OfferedTool {
  name: string;
  kind: 'function' | 'custom' | 'local_shell' | 'builtin';
  schema?: JsonSchema;
}

/** What the turn logic needs to know about a model request, whatever its protocol. */
export interface RequestInfo {
  protocol: Protocol;
  model: string;
  stream: boolean;
  tools: OfferedTool[];
  /** System prompt / instructions, for `aux_patterns`. */
  system: string;
  /** Set when the request asks for JSON output; `{}` when no schema is given. */
  jsonSchema?: JsonSchema;
  /** Role and kind of the last input message, e.g. `user:text`, `user:tool_result`. */
  lastInput: string;
  /** Changes only when the user types a new prompt (not on retries or tool results). */
  promptKey: string;
  snippet: string;
  /** The last input's text, whole (a tool result as the CLI sent it back); `snippet` is cut. */
  lastText?: string;
}

export interface ToolCall {
  name: string;
  /** Arguments object, or free-form input for a `custom` tool. */
  args: Record<string, unknown> | string;
  kind: 'function' | 'custom' | 'local_shell';
}

/** What to send back, protocol-neutral. */
export interface Reply {
  stallMs: number;
  msPerWord: number;
  thinking?: string;
  text?: string;
  tool?: ToolCall;
  error?: { status: number; message: string; retryAfter?: number };
}

/** One protocol frame: an SSE event (name optional) or one element of a JSON-array stream. */
export interface Payload {
  event?: string;
  data: unknown;
}

export type Block = 'thinking' | 'text';

/** Turns a reply into the protocol's stream frames, piece by piece, so the driver controls timing. */
export interface StreamEncoder {
  start(): Payload[];
  open(block: Block): Payload[];
  delta(block: Block, chunk: string): Payload[];
  close(block: Block): Payload[];
  tool(call: ToolCall): Payload[];
  finish(): Payload[];
}

export interface ReplyMeta {
  /** Request sequence number, used for ids. */
  seq: number;
  model: string;
  body: Record<string, unknown>;
  inputTokens: number;
  outputTokens: number;
}

/** One wire protocol: how to read its requests and write its replies. */
export interface Adapter {
  protocol: Protocol;
  inspect(body: Record<string, unknown>, route: { model?: string; stream: boolean }): RequestInfo;
  encoder(meta: ReplyMeta, reply: Reply): StreamEncoder;
  /** The whole reply as one JSON body, for non-streaming requests. */
  message(meta: ReplyMeta, reply: Reply): unknown;
  errorBody(status: number, message: string): unknown;
}
