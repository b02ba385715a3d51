// The scripted mock model server: one port serves every protocol, the request path picks which.
import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropic, anthropicCountTokens } from './anthropic.ts';
import { BodyError, readBody } from './body.ts';
import { Director, type Decision } from './director.ts';
import { gemini, geminiCountTokens } from './gemini.ts';
import { isObject } from './json.ts';
import { modelFlavour, models } from './models.ts';
import { chat } from './openai-chat.ts';
import { responses } from './openai-responses.ts';
import { sendReply, words, type Exchange } from './reply.ts';
import { loadScenario, parseScenario, type Scenario } from './scenario.ts';
import { dataSse, jsonArray, namedSse, type Framing } from './sse.ts';
import type { Adapter, MockEvent, MockEventKind, Protocol, Reply, Role, ToolCall } from './types.ts';

export type { MockEvent, MockEventKind, Protocol, Role } from './types.ts';
export type { Scenario, Turn } from './scenario.ts';

export interface MockServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A scenario, or the path of a scenario file that is re-read whenever its mtime changes. */
  scenario?: Scenario | string;
  host?: string;
}

export interface MockLogEntry {
  at: number;
  method: string;
  path: string;
  kind: 'generate' | 'count_tokens' | 'models' | 'control' | 'unknown';
  status?: number;
  protocol?: Protocol;
  model?: string;
  stream?: boolean;
  tools_present?: boolean;
  n_tools?: number;
  tool_names?: string[];
  role?: Role;
  last_input?: string;
  snippet?: string;
  /** The last input's whole text, e.g. a tool result exactly as the CLI sent it back. */
  last_text?: string;
  /** Indices of the scenario turns consumed. */
  turn?: number[];
  serve?: {
    source: Decision['source'];
    stall_s: number;
    thinking?: boolean;
    text?: string;
    tool?: string;
    args?: ToolCall['args'];
    error?: number;
  };
  error?: string;
}

export interface MockServer {
  url: string;
  port: number;
  /** Replaces the scenario and resets the turn pointer. Throws if it is invalid. */
  setScenario(s: Scenario): void;
  /** Ends running stalls early. */
  release(): void;
  /** Every request, in order. */
  log: MockLogEntry[];
  /** 'mock-event' (MockEvent), 'log' (MockLogEntry, as it is added), 'scenario-error' (string: a reload failed). */
  events: EventEmitter;
  close(): Promise<void>;
}

interface Route {
  adapter: Adapter;
  kind: 'generate' | 'count_tokens';
  model?: string;
  stream?: boolean;
  /** How a streamed reply is laid out. */
  framing?: () => Framing;
}

const EMPTY_SCENARIO: Scenario = { turns: [] };

export async function startMockServer(opts: MockServerOptions = {}): Promise<MockServer> {
  const host = opts.host ?? '127.0.0.1';
  const scenarioPath = typeof opts.scenario === 'string' ? opts.scenario : undefined;
  const director = new Director(typeof opts.scenario === 'object' ? parseScenario(opts.scenario) : EMPTY_SCENARIO);
  const events = new EventEmitter();
  const log: MockLogEntry[] = [];
  const stallWakers = new Set<() => void>();
  let seq = 0;
  let scenarioStamp = '';
  let scenarioError: string | undefined;

  /** Re-reads the scenario file when it changed; a bad file keeps the previous scenario. */
  function reloadScenario(initial = false): void {
    if (!scenarioPath) return;
    let stamp: string;
    try {
      const st = statSync(scenarioPath);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch (err) {
      if (initial) throw new Error(`${scenarioPath}: cannot read: ${(err as Error).message}`);
      stamp = 'missing';
    }
    if (stamp === scenarioStamp) return;
    scenarioStamp = stamp;
    try {
      director.setScenario(loadScenario(scenarioPath));
      scenarioError = undefined;
    } catch (err) {
      if (initial) throw err;
      scenarioError = (err as Error).message;
      events.emit('scenario-error', scenarioError);
    }
  }
  reloadScenario(true);

  function addLog(entry: MockLogEntry): void {
    log.push(entry);
    events.emit('log', entry);
  }

  function exchange(res: ServerResponse, base: Omit<MockEvent, 'at' | 'kind'>): Exchange {
    let closed = false;
    const wakers = new Set<() => void>();
    res.on('close', () => {
      if (res.writableFinished) return;
      closed = true;
      for (const wake of wakers) wake();
    });
    const wait = (ms: number, releasable: boolean) =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        const wake = () => {
          clearTimeout(timer);
          wakers.delete(wake);
          stallWakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        wakers.add(wake);
        if (releasable) stallWakers.add(wake);
      });
    return {
      res,
      emit(kind: MockEventKind, detail?: string) {
        const event: MockEvent = { at: Date.now(), kind, ...base };
        if (detail !== undefined) event.detail = detail;
        events.emit('mock-event', event);
      },
      sleep: (ms) => wait(ms, false),
      stall: (ms) => wait(ms, true),
      get closed() {
        return closed;
      },
    };
  }

  async function handleModel(req: IncomingMessage, res: ServerResponse, url: URL, route: Route, raw: Buffer) {
    const entry = logEntry(req, url, route.kind);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = undefined;
    }
    if (!isObject(body)) {
      addLog({ ...entry, protocol: route.adapter.protocol, status: 400, error: 'body is not a JSON object' });
      return sendJson(res, 400, route.adapter.errorBody(400, 'mock model: request body is not a JSON object'));
    }
    const info = route.adapter.inspect(body, { model: route.model, stream: route.stream ?? false });
    const inputTokens = Math.max(1, Math.ceil(raw.length / 4));
    if (route.kind === 'count_tokens') {
      addLog({ ...entry, protocol: info.protocol, model: info.model, role: 'aux' });
      const count = info.protocol === 'gemini' ? geminiCountTokens(inputTokens) : anthropicCountTokens(inputTokens);
      return sendJson(res, 200, count);
    }
    reloadScenario();
    const decision = director.decide(info);
    const { reply } = decision;
    const callable = info.tools.filter((t) => t.kind !== 'builtin');
    addLog({
      ...entry,
      protocol: info.protocol,
      model: info.model,
      stream: info.stream,
      tools_present: callable.length > 0,
      n_tools: info.tools.length,
      tool_names: info.tools.map((t) => t.name),
      role: decision.role,
      last_input: info.lastInput,
      snippet: info.snippet,
      last_text: info.lastText,
      turn: decision.turns,
      serve: serveSummary(decision),
    });
    const turn = decision.source === 'turn' || decision.source === 'sticky' ? decision.turns.at(-1) : undefined;
    const x = exchange(res, { role: decision.role, protocol: info.protocol, ...(turn !== undefined ? { turn } : {}) });
    x.emit('request', decision.source);
    const model = info.model || 'mock-model';
    const meta = { seq: ++seq, model, body, inputTokens, outputTokens: outputTokens(reply) };
    await sendReply(x, route.adapter, meta, reply, info.stream ? route.framing?.() : undefined);
  }

  function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) {
    const entry = logEntry(req, url, 'control');
    const action = `${req.method} ${url.pathname}`;
    let status = 200;
    let out: unknown;
    if (action === 'POST /_mock/scenario') {
      try {
        const scenario = parseScenario(JSON.parse(raw.toString('utf8')), 'POST /_mock/scenario');
        director.setScenario(scenario);
        out = { ok: true, n_turns: scenario.turns.length };
      } catch (err) {
        status = 400;
        out = { error: (err as Error).message };
      }
    } else if (action === 'POST /_mock/reset') {
      director.reset();
      out = { ok: true };
    } else if (action === 'POST /_mock/release') {
      out = { ok: true, released: release() };
    } else if (action === 'GET /_mock/state') {
      reloadScenario();
      out = {
        ...director.state(),
        stalls: stallWakers.size,
        log_length: log.length,
        scenario: scenarioPath ?? 'inline',
        ...(scenarioError ? { scenario_error: scenarioError } : {}),
      };
    } else {
      status = 404;
      out = { error: `unknown control endpoint ${action}` };
    }
    addLog({ ...entry, status });
    sendJson(res, status, out);
  }

  function release(): number {
    const wakers = [...stallWakers];
    for (const wake of wakers) wake();
    return wakers.length;
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const entry = logEntry(req, url, 'unknown');
    (async () => {
      const raw = await readBody(req);
      if (url.pathname.startsWith('/_mock/')) return handleControl(req, res, url, raw);
      const modelsMatch = /\/models(?:\/([^/:]+))?$/.exec(url.pathname);
      if (req.method === 'GET' && modelsMatch) {
        const id = modelsMatch[1] === undefined ? undefined : decodeURIComponent(modelsMatch[1]);
        addLog({ ...entry, kind: 'models', status: 200 });
        return sendJson(res, 200, models(modelFlavour(url, req.headers), url, id));
      }
      const route = req.method === 'POST' ? routeOf(url) : undefined;
      if (route) return handleModel(req, res, url, route, raw);
      addLog({ ...entry, status: 404 });
      sendJson(res, 404, { error: { message: `mock model: no route for ${req.method} ${url.pathname}` } });
    })().catch((err: unknown) => {
      const status = err instanceof BodyError ? err.status : 500;
      addLog({ ...entry, status, error: (err as Error).message });
      if (res.headersSent) res.destroy();
      else sendJson(res, status, { error: { message: `mock model: ${(err as Error).message}` } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    setScenario: (s) => director.setScenario(parseScenario(s)),
    release: () => void release(),
    log,
    events,
    close() {
      release();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function routeOf(url: URL): Route | undefined {
  const path = url.pathname;
  const named = () => namedSse();
  if (path.endsWith('/messages/count_tokens')) return { adapter: anthropic, kind: 'count_tokens' };
  if (path.endsWith('/messages')) return { adapter: anthropic, kind: 'generate', framing: named };
  if (path.endsWith('/responses')) return { adapter: responses, kind: 'generate', framing: named };
  if (path.endsWith('/chat/completions')) return { adapter: chat, kind: 'generate', framing: () => dataSse(true) };
  const g = /\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/.exec(path);
  if (!g) return undefined;
  const model = decodeURIComponent(g[1]!);
  if (g[2] === 'countTokens') return { adapter: gemini, kind: 'count_tokens', model };
  // Without alt=sse, streamGenerateContent sends one JSON array, element by element.
  const framing = () => (url.searchParams.get('alt') === 'sse' ? dataSse(false) : jsonArray());
  return { adapter: gemini, kind: 'generate', model, stream: g[2] === 'streamGenerateContent', framing };
}

function logEntry(req: IncomingMessage, url: URL, kind: MockLogEntry['kind']): MockLogEntry {
  return { at: Date.now(), method: req.method ?? '', path: url.pathname + url.search, kind };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function serveSummary(decision: Decision): NonNullable<MockLogEntry['serve']> {
  const { reply } = decision;
  const out: NonNullable<MockLogEntry['serve']> = { source: decision.source, stall_s: reply.stallMs / 1000 };
  if (reply.thinking !== undefined) out.thinking = true;
  if (reply.text !== undefined) out.text = reply.text.slice(0, 80);
  if (reply.tool) {
    out.tool = reply.tool.name;
    out.args = reply.tool.args;
  }
  if (reply.error) out.error = reply.error.status;
  return out;
}

/** A rough count: one token per word, plus the tool arguments at four characters a token. */
function outputTokens(reply: Reply): number {
  const args = reply.tool ? JSON.stringify(reply.tool.args).length / 4 : 0;
  return Math.max(1, words(reply.thinking ?? '').length + words(reply.text ?? '').length + Math.ceil(args));
}
