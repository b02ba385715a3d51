/** A real server on a real unix socket in a temp dir, stand-in handlers, and a raw line client. */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { RpcError } from '../../src/protocol/errors.ts';
import { PROTOCOL_VERSION, type AgentSummary, type MessageView, type ScreenState } from '../../src/protocol/schema.ts';
import { startServer, type Caller, type DaemonServer, type Handlers, type ServerOptions } from '../../src/daemon/server.ts';

export const alpha: AgentSummary = { id: 'a1', name: 'alpha', provider: 'shell', cwd: '/work', status: 'idle', statusRule: 'shell.prompt', since: 1000, pid: 42 };
export const message: MessageView = { id: 'm1', from: 'user', to: 'alpha', body: 'hi', createdAt: '2026-01-01T00:00:00.000Z', state: 'pending', attempts: 0 };
export const screen: ScreenState = { lines: ['$ ls', 'README.md', '$'], title: 'bash', cursor: { x: 2, y: 2 }, cols: 80, rows: 24 };

/** One agent, `alpha`; an unknown agent is an RpcError, as the daemon's own handlers will do it. */
export function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const find = (ref: string): AgentSummary => {
    if (ref === alpha.id || ref === alpha.name) return alpha;
    throw new RpcError(`no agent "${ref}"`, -32010);
  };
  return {
    'agents.list': () => ({ agents: [alpha] }),
    'agents.get': ({ agent }) => find(agent),
    'agents.spawn': ({ provider, name, cwd }) => ({ id: 'a2', name: name ?? `${provider}-1`, provider, cwd, status: 'starting', since: 2000 }),
    'agents.kill': ({ agent }) => ({ ...find(agent), status: 'exited', exit: { code: 0, signal: null } }),
    'agents.keys': ({ agent }) => (find(agent), {}),
    'agents.screen': ({ agent }) => (find(agent), screen),
    'agents.explain': ({ agent }) => ({ status: find(agent).status, matched: [] }),
    'agents.buffer': ({ agent }) => (find(agent), { total: screen.lines.length, start: 0, lines: screen.lines }),
    'agents.transcript': ({ agent }) => (find(agent), { recording: '/r.cast', lines: screen.lines }),
    'agents.diff': ({ agent }) => ({ cwd: find(agent).cwd, diff: '', untracked: [] }),
    'agents.restart': ({ agent }) => find(agent),
    'agents.resume': ({ agent }) => find(agent),
    'agents.remove': ({ agent }) => ({ removed: agent ? [{ id: find(agent).id, name: find(agent).name, recording: '/r.cast', failedMessages: 0, staleApprovals: 0 }] : [] }),
    'agents.rename': ({ agent, name }) => ({ ...find(agent), name, previousName: find(agent).name, movedMessages: 0 }),
    'agents.report': () => ({}),
    'agents.attach': ({ agent }, context) => {
      const { id, name } = find(agent);
      context.attach(id);
      return { agent: id, name, redraw: '' };
    },
    'agents.detach': ({ agent }, context) => (context.detach(find(agent).id), {}),
    'agents.resize': ({ agent }) => (find(agent), {}),
    'agents.subscribe': ({ agent }, context) => {
      const { id } = find(agent);
      context.subscribe(id, screen);
      return { agent: id, ...screen };
    },
    'agents.unsubscribe': ({ agent }, context) => {
      context.unsubscribe(find(agent).id);
      return {};
    },
    'inbox.send': ({ to, body }) => ({ ...message, to: find(to).name, body }),
    'inbox.list': () => ({ messages: [message] }),
    'inbox.retry': () => message,
    'inbox.read': () => ({ messages: [] }),
    'inbox.dismiss': () => ({ messages: [] }),
    'approvals.list': () => ({ approvals: [] }),
    'agents.delegate': ({ provider, name }) => ({ id: 'a3', name: name ?? `${provider}-1`, provider, cwd: '/work', status: 'starting', since: 3000 }),
    'agents.lastResponse': ({ agent }) => ({ agent: find(agent).id, name: find(agent).name, status: find(agent).status }),
    'approvals.answer': ({ id }) => {
      throw new RpcError(`no approval request ${id}`, -32000);
    },
    'providers.list': () => ({ providers: [{ id: 'shell', displayName: 'Shell / any command', command: 'bash', installed: true }] }),
    'settings.get': () => ({ keybindings: { detach: 'C-]' }, notify: { bell: true, osc: true } }),
    'daemon.status': () => ({ pid: process.pid, version: PROTOCOL_VERSION, socket: '', startedAt: 0, clients: 0, agents: 1 }),
    'daemon.stop': () => ({}),
    'daemon.reload': () => ({ file: '/config.json' }),
    ...overrides,
  };
}

/** Every connection is the user's (the daemon's own identify is tested through the real daemon). */
export const asUser = (): Caller => ({ kind: 'user' });

export interface Fixture {
  dir: string;
  socketPath: string;
  server: DaemonServer;
  logged: string[];
  cleanup(): Promise<void>;
}

export async function serve(options: Partial<Omit<ServerOptions, 'socketPath'>> = {}): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drover-daemon-'));
  const socketPath = path.join(dir, 'drover.sock');
  const logged: string[] = [];
  const server = await startServer({ socketPath, handlers: fakeHandlers(), identify: asUser, log: (line) => logged.push(line), ...options });
  return {
    dir,
    socketPath,
    server,
    logged,
    async cleanup() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawMessage {
  jsonrpc: '2.0';
  id?: string | number | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
  method?: string;
  params?: unknown;
}

/** A client that speaks lines by hand, for frames no real client would send. */
export async function rawConnect(socketPath: string) {
  const socket = net.createConnection(socketPath);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const queue: RawMessage[] = [];
  const waiters: ((message: RawMessage) => void)[] = [];
  readline.createInterface({ input: socket }).on('line', (line) => {
    const message = JSON.parse(line) as RawMessage;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const send = (line: string) => void socket.write(`${line}\n`);
  return {
    socket,
    send,
    request: (id: number, method: string, params?: unknown) => send(JSON.stringify({ jsonrpc: '2.0', id, method, params })),
    next: (): Promise<RawMessage> => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiters.push(resolve))),
    /** Says hello and waits for the reply. */
    async greet(): Promise<void> {
      send(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'hello', params: { version: PROTOCOL_VERSION } }));
      const reply = await this.next();
      if (reply.error) throw new Error(reply.error.message);
    },
  };
}
