/** The client against a real server on a real unix socket. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, NoDaemonError, type Client } from '../../src/client/client.ts';
import { passThrough } from '../../src/client/passthrough.ts';
import { ErrorCode, RpcError } from '../../src/protocol/errors.ts';
import { MAX_DAEMON_FRAME_BYTES, MAX_FRAME_BYTES } from '../../src/protocol/framing.ts';
import { MAX_COLS, MAX_ROWS } from '../../src/protocol/limits.ts';
import { PROTOCOL_VERSION, type EventParams } from '../../src/protocol/schema.ts';
import { alpha, fakeHandlers, message, screen, serve, type Fixture } from './helpers.ts';
import { until } from '../helpers/until.ts';

let fixture: Fixture | undefined;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await fixture?.cleanup();
  fixture = undefined;
});

async function client(socketPath = fixture!.socketPath): Promise<Client> {
  const connected = await connect(socketPath);
  clients.push(connected);
  return connected;
}

/** Collects one connection's events of every kind, in arrival order. */
function record(connection: Client): string[] {
  const seen: string[] = [];
  connection.on('event.status', (e) => seen.push(`status ${e.agent} ${e.status}`));
  connection.on('event.screen', (e) => seen.push(`screen ${e.agent} ${e.lines.at(-1)}`));
  connection.on('event.inbox', () => seen.push('inbox'));
  return seen;
}

const status = (agent: string, s: EventParams<'event.status'>['status']): EventParams<'event.status'> => ({ agent, status: s, rule: 'r', at: 1 });

describe('daemon client', () => {
  it('says hello on connecting', async () => {
    fixture = await serve();
    const c = await client();
    expect(c.daemon).toEqual({ version: PROTOCOL_VERSION, pid: process.pid });
    expect(await c.call('ping')).toEqual({ pong: true });
  });

  it('fails to connect to a daemon of another version, saying how to fix it', async () => {
    fixture = await serve({ version: PROTOCOL_VERSION + 1 });
    const error = await connect(fixture.socketPath).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: ErrorCode.VersionMismatch, message: expect.stringContaining('restart the daemon (drover daemon stop)') });
    await until(() => fixture!.server.clients === 0, 'the server to see no client');
  });

  it('round-trips typed calls', async () => {
    fixture = await serve();
    const c = await client();
    const spawned = await c.call('agents.spawn', { provider: 'claude', name: 'beta', cwd: '/repo', args: ['--x'], worktree: true });
    expect(spawned).toEqual({ id: 'a2', name: 'beta', provider: 'claude', cwd: '/repo', status: 'starting', since: 2000 });
    expect(await c.call('agents.list')).toEqual({ agents: [alpha] });
    expect(await c.call('agents.get', { agent: 'alpha' })).toEqual(alpha);
    expect(await c.call('agents.screen', { agent: 'a1' })).toEqual(screen);
    expect(await c.call('agents.kill', { agent: 'a1' })).toMatchObject({ status: 'exited', exit: { code: 0, signal: null } });
  });

  it('rejects error replies as RpcError with the code', async () => {
    fixture = await serve();
    const c = await client();
    // Params the types forbid reach the daemon as they are: it is the one that checks.
    const invalid = await c.call('agents.get', { agent: 7 } as never).catch((e: unknown) => e);
    expect(invalid).toEqual(new RpcError('invalid params for agents.get: agent: Invalid input: expected string, received number', ErrorCode.InvalidParams));
    const unknown = await c.call('agents.fly' as 'ping').catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: ErrorCode.MethodNotFound });
    await expect(c.call('agents.get', { agent: 'nope' })).rejects.toMatchObject({ code: -32010, message: 'no agent "nope"' });
    expect(await c.call('ping')).toEqual({ pong: true });
  });

  it('skips events nobody listens for, and ends the connection on a frame that is not a JSON object', async () => {
    // A daemon written by hand, sending what the real one never would.
    const dir = mkdtempSync(path.join(tmpdir(), 'drover-client-'));
    const socketPath = path.join(dir, 'odd.sock');
    const odd = net.createServer((socket) => {
      readline.createInterface({ input: socket }).on('line', (line) => {
        const { id, method } = JSON.parse(line) as { id: number; method: string };
        const reply = (result: unknown) => socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
        if (method === 'hello') reply({ version: PROTOCOL_VERSION, pid: 1 });
        if (method === 'ping') {
          socket.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'event.later', params: {} })}\n`);
          socket.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'event.status', params: status('a1', 'done') })}\n`);
          reply({ pong: true });
        }
        if (method === 'agents.list') socket.write('null\n');
      });
    });
    await new Promise<void>((resolve) => odd.listen(socketPath, resolve));
    try {
      const c = await connect(socketPath);
      const seen: string[] = [];
      c.on('event.status', (e) => seen.push(e.status));
      expect(await c.call('ping')).toEqual({ pong: true });
      expect(seen).toEqual(['done']);
      await expect(c.call('agents.list')).rejects.toThrow(`the drover daemon at ${socketPath} sent a malformed frame`);
      await c.closed;
    } finally {
      odd.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads replies far above the 1 MiB a request may be, and closes on a frame past its own limit, saying why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drover-client-'));
    const socketPath = path.join(dir, 'big.sock');
    const bodies = Array.from({ length: 3 }, (_, i) => String(i).repeat(MAX_FRAME_BYTES)); // `drover inbox --all` keeps 1000
    const big = net.createServer((socket) => {
      readline.createInterface({ input: socket }).on('line', (line) => {
        const { id, method } = JSON.parse(line) as { id: number; method: string };
        const reply = (result: unknown) => socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
        if (method === 'hello') reply({ version: PROTOCOL_VERSION, pid: 1 });
        if (method === 'inbox.list') reply({ messages: bodies.map((body, i) => ({ ...message, id: `m${i}`, body })) });
        if (method === 'ping') socket.write(Buffer.alloc(MAX_DAEMON_FRAME_BYTES + 1, 'x')); // and no newline
      });
    });
    await new Promise<void>((resolve) => big.listen(socketPath, resolve));
    try {
      const c = await connect(socketPath);
      expect((await c.call('inbox.list', {})).messages.map((m) => m.body)).toEqual(bodies);
      await expect(c.call('ping')).rejects.toThrow(`the drover daemon at ${socketPath} sent a frame larger than 64 MiB`);
      await c.closed;
    } finally {
      big.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('attaches a terminal larger than drover emulates at the largest size it does', async () => {
    const sizes: string[] = [];
    fixture = await serve({
      handlers: fakeHandlers({
        'agents.attach': ({ agent, cols, rows }) => (sizes.push(`${cols}x${rows}`), { agent, name: 'alpha', redraw: '' }),
        'agents.resize': ({ cols, rows }) => (sizes.push(`${cols}x${rows}`), {}),
      }),
    });
    const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    const stdout = Object.assign(new PassThrough(), { columns: MAX_COLS + 500, rows: MAX_ROWS * 3 }) as unknown as NodeJS.WriteStream;
    stdout.resume();
    const left = passThrough({ client: await client(), agent: 'a1', detachKey: '\x1d', alternateScreen: false, stdin, stdout });
    await until(() => stdout.listenerCount('resize') > 0, 'the client following resizes'); // attached, and following the terminal's size
    Object.assign(stdout, { columns: 100 }).emit('resize');
    await until(() => sizes.length === 2, () => `two sizes sent; sent: ${JSON.stringify(sizes)}`);
    stdin.write('\x1d');
    expect(await left).toBe('detached from alpha');
    expect(sizes).toEqual([`${MAX_COLS}x${MAX_ROWS}`, `100x${MAX_ROWS}`]);
  });

  it('gets status events on every client and screen events only where subscribed', async () => {
    fixture = await serve();
    const watcher = await client();
    const other = await client();
    const watcherSaw = record(watcher);
    const otherSaw = record(other);
    expect(fixture.server.watched('a1')).toBe(false);
    expect(await watcher.call('agents.subscribe', { agent: 'alpha' })).toEqual({ agent: 'a1', ...screen });
    expect(fixture.server.watched('a1')).toBe(true);

    fixture.server.broadcast('event.screen', { agent: 'a1', ...screen, lines: ['$ make'] });
    fixture.server.broadcast('event.screen', { agent: 'a9', ...screen, lines: ['other agent'] });
    fixture.server.broadcast('event.status', status('a1', 'working'));
    fixture.server.broadcast('event.inbox', message);
    await watcher.call('agents.unsubscribe', { agent: 'a1' });
    expect(fixture.server.watched('a1')).toBe(false);
    fixture.server.broadcast('event.screen', { agent: 'a1', ...screen, lines: ['$ unseen'] });
    fixture.server.broadcast('event.status', status('a1', 'done'));
    // A reply comes after every event sent before it on the same connection.
    await Promise.all([watcher.call('ping'), other.call('ping')]);

    expect(watcherSaw).toEqual(['screen a1 $ make', 'status a1 working', 'inbox', 'status a1 done']);
    expect(otherSaw).toEqual(['status a1 working', 'inbox', 'status a1 done']);
  });

  it('sends each subscriber the rows that changed since the screen it was sent last, and a screen of another size whole', async () => {
    fixture = await serve();
    const early = await client();
    const late = await client();
    const updates = (c: Client) => {
      const seen: Array<EventParams<'event.screen'>> = [];
      c.on('event.screen', (e) => seen.push(e));
      return seen;
    };
    const earlySaw = updates(early);
    const lateSaw = updates(late);
    const styled = (lines: string[]) => ({ ...screen, lines, styled: lines.map((text) => [{ text }]) });
    await early.call('agents.subscribe', { agent: 'alpha' }); // the handler's screen: $ ls / README.md / $
    fixture.server.broadcast('event.screen', { agent: 'a1', ...styled(['$ ls', 'README.md', '$ make']) });
    await late.call('agents.subscribe', { agent: 'alpha' });
    fixture.server.broadcast('event.screen', { agent: 'a1', ...styled(['$ ls', 'README.md', '$ make']), cursor: { x: 6, y: 2 } });
    fixture.server.broadcast('event.screen', { agent: 'a1', ...styled(['$ ls', 'src', '$ make', 'done']) });
    await Promise.all([early.call('ping'), late.call('ping')]);

    // The handler's screen has no styles: its rows all differ from the styled ones sent after it.
    expect(earlySaw.map((e) => [e.partial, e.lines, e.styled, e.cursor])).toEqual([
      [true, ['$ ls', 'README.md', '$ make'], [[{ text: '$ ls' }], [{ text: 'README.md' }], [{ text: '$ make' }]], screen.cursor],
      [true, [null, null, null], [null, null, null], { x: 6, y: 2 }],
      [undefined, ['$ ls', 'src', '$ make', 'done'], [[{ text: '$ ls' }], [{ text: 'src' }], [{ text: '$ make' }], [{ text: 'done' }]], screen.cursor],
    ]);
    // Subscribed later, from the handler's screen again: its own changes, not the first's.
    expect(lateSaw.map((e) => [e.partial, e.lines])).toEqual([
      [true, ['$ ls', 'README.md', '$ make']],
      [undefined, ['$ ls', 'src', '$ make', 'done']],
    ]);
    fixture.server.broadcast('event.screen', { agent: 'a1', ...styled(['$ ls', 'src', '$ make', 'done!']) });
    await early.call('ping');
    expect(earlySaw.at(-1)).toMatchObject({ partial: true, lines: [null, null, null, 'done!'], styled: [null, null, null, [{ text: 'done!' }]] });
  });

  it('stops calling a handler removed with the function on() returned', async () => {
    fixture = await serve();
    const c = await client();
    const seen: string[] = [];
    const off = c.on('event.status', (e) => seen.push(e.status));
    fixture.server.broadcast('event.status', status('a1', 'working'));
    await c.call('ping');
    off();
    fixture.server.broadcast('event.status', status('a1', 'done'));
    await c.call('ping');
    expect(seen).toEqual(['working']);
  });

  it('gets the reply to daemon.stop before the daemon closes, then learns it closed', async () => {
    let stop!: () => Promise<void>;
    fixture = await serve({
      handlers: fakeHandlers({
        'daemon.stop': () => {
          setImmediate(() => void stop());
          return {};
        },
      }),
    });
    stop = fixture.server.close;
    const c = await client();
    expect(await c.call('daemon.stop')).toEqual({});
    await c.closed;
    await expect(c.call('ping')).rejects.toThrow(`the drover daemon at ${fixture.socketPath} closed the connection`);
  });

  it('rejects calls pending when the daemon goes away', async () => {
    fixture = await serve({ handlers: fakeHandlers({ 'agents.keys': () => new Promise(() => {}) }) });
    const c = await client();
    const pending = expect(c.call('agents.keys', { agent: 'a1', keys: 'hi' })).rejects.toThrow(/closed the connection$/);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await fixture.server.close();
    await pending;
  });

  it('says "no drover daemon" when nothing listens, also at a stale socket', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drover-client-'));
    try {
      const missing = path.join(dir, 'absent.sock');
      const error = await connect(missing).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoDaemonError);
      expect(error).toMatchObject({ code: 'NO_DAEMON', message: `no drover daemon at ${missing}` });

      // A daemon killed outright leaves its socket file behind: connecting to it is refused.
      const stale = path.join(dir, 'stale.sock');
      const script = `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`;
      spawnSync(process.execPath, ['-e', script]);
      await expect(connect(stale)).rejects.toMatchObject({ code: 'NO_DAEMON', message: `no drover daemon at ${stale}` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives up on a listener that never answers hello', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drover-client-'));
    const socketPath = path.join(dir, 'mute.sock');
    const mute = net.createServer(() => {});
    await new Promise<void>((resolve) => mute.listen(socketPath, resolve));
    try {
      await expect(connect(socketPath, { timeoutMs: 50 })).rejects.toThrow(`the drover daemon at ${socketPath} did not answer hello within 50 ms`);
    } finally {
      mute.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
