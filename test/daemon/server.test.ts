/** The daemon's end, spoken to with raw lines: frames no drover client would send. */
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '../../src/protocol/errors.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/version.ts';
import { startServer } from '../../src/daemon/server.ts';
import { MAX_FRAME_BYTES } from '../../src/protocol/framing.ts';
import { MAX_COLS, MAX_ROWS } from '../../src/terminal/size.ts';
import { alpha, asUser, fakeHandlers, rawConnect, serve, type Fixture } from './helpers.ts';
import { until } from '../helpers/until.ts';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe('daemon server', () => {
  it('creates the socket 0600 whatever the umask, and puts the umask back', async () => {
    const before = process.umask(0);
    try {
      fixture = await serve();
      expect(process.umask(before)).toBe(0);
    } finally {
      process.umask(before);
    }
    expect(statSync(fixture.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(fixture.socketPath).isSocket()).toBe(true);
  });

  it('refuses every call before hello, then serves', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    raw.request(1, 'agents.list', {});
    expect(await raw.next()).toMatchObject({ id: 1, error: { code: ErrorCode.HelloRequired, message: expect.stringMatching(/^call hello first/) } });
    raw.request(2, 'hello', { version: PROTOCOL_VERSION });
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: 2, result: { version: PROTOCOL_VERSION, pid: process.pid } });
    raw.request(3, 'agents.list');
    expect(await raw.next()).toMatchObject({ id: 3, result: { agents: [{ id: 'a1' }] } });
  });

  it('has a hello in force for the very next line, without waiting for its reply', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    raw.send(
      [
        { jsonrpc: '2.0', id: 1, method: 'hello', params: { version: PROTOCOL_VERSION } },
        { jsonrpc: '2.0', id: 2, method: 'ping' },
      ]
        .map((message) => JSON.stringify(message))
        .join('\n'),
    );
    expect([await raw.next(), await raw.next()]).toMatchObject([{ id: 1, result: {} }, { id: 2, result: { pong: true } }]);
  });

  it('answers a client of another version with how to fix it, and keeps refusing its calls', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    raw.request(1, 'hello', { version: PROTOCOL_VERSION + 1 });
    const reply = await raw.next();
    expect(reply.error?.code).toBe(ErrorCode.VersionMismatch);
    expect(reply.error?.message).toBe(`the drover daemon speaks protocol ${PROTOCOL_VERSION} and this drover ${PROTOCOL_VERSION + 1}: restart the daemon (drover daemon stop)`);
    raw.request(2, 'ping');
    expect((await raw.next()).error?.code).toBe(ErrorCode.HelloRequired);
  });

  it('answers malformed frames with an error and goes on with the same connection', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    raw.send('{"jsonrpc": "2.0", "id": 1, "method": "ping"'); // cut short
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.ParseError, message: 'Parse error' } });
    raw.send('\u0000\u00ff garbage');
    expect((await raw.next()).error?.code).toBe(ErrorCode.ParseError);
    raw.send('{"id": 2}');
    expect(await raw.next()).toMatchObject({ id: 2, error: { code: ErrorCode.InvalidRequest } });
    raw.send('[null]'); // json-rpc-2.0 throws on this one instead of answering
    expect(await raw.next()).toMatchObject({ id: null, error: { code: ErrorCode.InvalidRequest } });
    raw.send('   '); // blank lines are skipped, not errors
    raw.request(3, 'ping');
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: 3, result: { pong: true } });
  });

  it('answers a request whose id is no JSON-RPC id (an array 8000 deep) with id null, and serves on', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    const deepId = `${'['.repeat(8000)}${']'.repeat(8000)}`;
    raw.send(`{"jsonrpc":"2.0","id":${deepId},"method":"ping"}`); // no hello needed to send it
    expect(await raw.next()).toMatchObject({ id: null, error: { code: ErrorCode.InvalidRequest, message: 'invalid request: id: Invalid input' } });
    raw.send(`{"jsonrpc":"2.0","id":1,"method":"ping","params":${deepId}}`); // deep params are only looked at by the method
    expect(await raw.next()).toMatchObject({ id: 1, error: { code: ErrorCode.HelloRequired } });
    await raw.greet();
    raw.request(2, 'ping');
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: 2, result: { pong: true } });
    const other = await rawConnect(fixture.socketPath);
    await other.greet();
    other.request(1, 'ping');
    expect(await other.next()).toEqual({ jsonrpc: '2.0', id: 1, result: { pong: true } });
  });

  const badEnvelopes: Array<[string, unknown, string]> = [
    ['no jsonrpc', { id: 1, method: 'ping' }, 'jsonrpc: Invalid input: expected "2.0"'],
    ['an object as id', { jsonrpc: '2.0', id: { a: 1 }, method: 'ping' }, 'id: Invalid input'],
    ['a method that is no string', { jsonrpc: '2.0', id: 1, method: ['ping'] }, 'method: Invalid input: expected string, received array'],
    ['params that are a string', { jsonrpc: '2.0', id: 1, method: 'ping', params: 'x' }, 'params: Invalid input'],
    ['a number, not an object', 42, '(request): Invalid input: expected object, received number'],
    ['a batch (one message per line is the protocol)', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], '(request): Invalid input: expected object, received array'],
  ];
  for (const [what, message, problem] of badEnvelopes) {
    it(`answers a request with ${what} as an invalid request, echoing only a valid id`, async () => {
      fixture = await serve();
      const raw = await rawConnect(fixture.socketPath);
      raw.send(JSON.stringify(message));
      const validId = typeof message === 'object' && message !== null && typeof (message as { id?: unknown }).id === 'number';
      expect(await raw.next()).toEqual({
        jsonrpc: '2.0',
        id: validId ? 1 : null,
        error: { code: ErrorCode.InvalidRequest, message: `invalid request: ${problem}` },
      });
    });
  }

  it('logs a reply it cannot serialize and answers with an error instead, keeping the daemon up', async () => {
    const circular: { self?: unknown } = {};
    circular.self = circular;
    fixture = await serve({
      handlers: fakeHandlers({
        'agents.get': () => {
          throw new RpcError('refused, with data that cannot be sent', -32010, circular);
        },
      }),
    });
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    raw.request(1, 'agents.get', { agent: 'a1' });
    expect(await raw.next()).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: ErrorCode.Failed, message: expect.stringMatching(/^the reply could not be sent: Converting circular structure to JSON/) },
    });
    expect(fixture.logged).toEqual([expect.stringMatching(/^client 1: the reply could not be sent: TypeError: Converting circular structure/)]);
    raw.request(2, 'ping');
    expect((await raw.next()).result).toEqual({ pong: true });
  });

  it('refuses a frame larger than 1 MiB with one error reply and closes that connection, serving the others', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    raw.socket.on('error', () => {}); // the server may close while this side still writes
    const closed = new Promise((resolve) => raw.socket.once('close', resolve));
    // Twice the limit, and no newline: a reader that waited for one would hold all of it.
    raw.socket.write(Buffer.alloc(2 * MAX_FRAME_BYTES, 'x'));
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.InvalidRequest, message: 'frame larger than 1 MiB' } });
    await closed;
    expect(fixture.logged).toEqual(['client 1: closed, it sent a frame larger than 1 MiB']);
    const other = await rawConnect(fixture.socketPath);
    await other.greet();
    other.request(1, 'ping');
    expect(await other.next()).toEqual({ jsonrpc: '2.0', id: 1, result: { pong: true } });
  });

  it('takes a frame of just under 1 MiB, in many small writes, with characters split between them', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    const keys = 'é'.repeat((MAX_FRAME_BYTES - 200) / 2); // two bytes each in UTF-8
    const line = Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'agents.keys', params: { agent: 'a1', keys } })}\r\n`);
    expect(line.length).toBeLessThan(MAX_FRAME_BYTES);
    for (let at = 0; at < line.length; at += 4097) raw.socket.write(line.subarray(at, at + 4097)); // odd sizes cut 'é' in half
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });

  it('answers an unknown method with -32601', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    raw.request(1, 'agents.fly', {});
    expect(await raw.next()).toMatchObject({ id: 1, error: { code: ErrorCode.MethodNotFound } });
  });

  it('names the bad field of invalid params in one line', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    raw.request(1, 'agents.spawn', { provider: 'claude', name: 'x', cwd: '/w', env: { HOME: 3 } });
    const reply = await raw.next();
    expect(reply.error).toEqual({ code: ErrorCode.InvalidParams, message: 'invalid params for agents.spawn: env.HOME: Invalid input: expected string, received number' });
    raw.request(2, 'agents.get', ['a1']);
    expect((await raw.next()).error?.message).toBe('invalid params for agents.get: (params): Invalid input: expected object, received array');
    raw.request(3, 'inbox.send', { to: 'a1', body: '' });
    expect((await raw.next()).error?.message).toBe('invalid params for inbox.send: body: Too small: expected string to have >=1 characters');
  });

  it('refuses a terminal larger than drover emulates for attach and resize, naming the limit', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    raw.request(1, 'agents.resize', { agent: 'a1', cols: 20000, rows: 20000 });
    expect((await raw.next()).error).toEqual({ code: ErrorCode.InvalidParams, message: `invalid params for agents.resize: cols: at most ${MAX_COLS} columns` });
    raw.request(2, 'agents.attach', { agent: 'a1', cols: 80, rows: MAX_ROWS + 1 });
    expect((await raw.next()).error).toEqual({ code: ErrorCode.InvalidParams, message: `invalid params for agents.attach: rows: at most ${MAX_ROWS} rows` });
    raw.request(3, 'agents.resize', { agent: 'a1', cols: MAX_COLS, rows: MAX_ROWS });
    expect((await raw.next()).result).toEqual({});
  });

  it('replies to a failing handler with its message only, logs the stack, and keeps serving', async () => {
    fixture = await serve({
      handlers: fakeHandlers({
        'agents.kill': () => {
          throw new Error('kill failed: no such process');
        },
        'agents.keys': async () => {
          throw 'a string, not an Error';
        },
      }),
    });
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    raw.request(1, 'agents.kill', { agent: 'a1' });
    expect(await raw.next()).toEqual({ jsonrpc: '2.0', id: 1, error: { code: ErrorCode.Failed, message: 'kill failed: no such process' } });
    raw.request(2, 'agents.keys', { agent: 'a1', keys: 'hi' });
    expect((await raw.next()).error).toEqual({ code: ErrorCode.Failed, message: 'a string, not an Error' });
    // An RpcError is a handler's chosen answer: its code, and nothing logged.
    raw.request(3, 'agents.get', { agent: 'nope' });
    expect((await raw.next()).error).toEqual({ code: -32010, message: 'no agent "nope"' });
    expect(fixture.logged).toHaveLength(2);
    expect(fixture.logged[0]).toMatch(/^client 1: agents.kill failed: Error: kill failed: no such process\n\s+at /);
    raw.request(4, 'ping');
    expect((await raw.next()).result).toEqual({ pong: true });
  });

  it('sends only what the result schema names, and refuses a result that breaks it', async () => {
    const internal = { ...alpha, pty: { self: {} as object } };
    internal.pty.self = internal; // a circular internal object: must never reach JSON.stringify
    fixture = await serve({
      handlers: fakeHandlers({
        'agents.get': () => internal,
        'agents.kill': () => ({ ...alpha, status: 'sleeping' as 'idle' }),
      }),
    });
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    raw.request(1, 'agents.get', { agent: 'a1' });
    expect((await raw.next()).result).toEqual(alpha);
    raw.request(2, 'agents.kill', { agent: 'a1' });
    expect((await raw.next()).error).toEqual({ code: ErrorCode.Failed, message: expect.stringMatching(/^agents.kill produced an invalid result: status: Invalid option/) });
    expect(fixture.logged).toHaveLength(1);
  });

  it('sends no reply to a notification, not even an error', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    raw.send(JSON.stringify({ jsonrpc: '2.0', method: 'agents.get', params: { agent: 'nope' } }));
    raw.request(1, 'ping');
    expect((await raw.next()).id).toBe(1);
  });

  it('sends events only to clients that said hello', async () => {
    fixture = await serve();
    const quiet = await rawConnect(fixture.socketPath);
    const greeted = await rawConnect(fixture.socketPath);
    await greeted.greet();
    fixture.server.broadcast('event.status', { agent: 'a1', status: 'working', rule: 'shell.busy', at: 5 });
    expect(await greeted.next()).toEqual({
      jsonrpc: '2.0',
      method: 'event.status',
      params: { agent: 'a1', status: 'working', rule: 'shell.busy', at: 5 },
    });
    // Replies on one connection keep their order: had the event reached `quiet`, it would come first.
    await quiet.greet();
    quiet.request(1, 'ping');
    expect((await quiet.next()).id).toBe(1);
  });

  it('drops a client that stops reading, without holding up the others', async () => {
    fixture = await serve({ maxBufferedBytes: 64 * 1024 });
    const stalled = await rawConnect(fixture.socketPath);
    const reader = await rawConnect(fixture.socketPath);
    await stalled.greet();
    await reader.greet();
    stalled.socket.pause();
    const closed = new Promise((resolve) => stalled.socket.once('close', resolve));
    const detail = 'x'.repeat(16 * 1024);
    let sent = 0;
    // The kernel's socket buffer takes some first; then the server's own buffer grows to the bound.
    while (fixture.server.clients === 2 && sent < 1000) {
      fixture.server.broadcast('event.status', { agent: 'a1', status: 'working', rule: 'r', detail, at: sent++ });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(fixture.server.clients).toBe(1);
    expect(fixture.logged.some((line) => /^client 1: dropped, \d+ bytes unread$/.test(line))).toBe(true);
    stalled.socket.resume();
    await closed;
    for (let i = 0; i < sent; i++) expect((await reader.next()).params).toMatchObject({ at: i });
  });

  it('survives a client that goes away with a reply and events on their way', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    fixture = await serve({
      handlers: fakeHandlers({
        'agents.keys': async () => {
          await blocked;
          return {};
        },
      }),
    });
    const leaver = await rawConnect(fixture.socketPath);
    const stayer = await rawConnect(fixture.socketPath);
    await leaver.greet();
    await stayer.greet();
    leaver.request(1, 'agents.keys', { agent: 'a1', text: 'hi' });
    await new Promise((resolve) => setImmediate(resolve));
    leaver.socket.destroy();
    for (let at = 0; at < 50; at++) fixture.server.broadcast('event.status', { agent: 'a1', status: 'working', rule: 'r', at });
    release();
    await until(() => fixture!.server.clients === 1, 'the server to see one client');
    for (let at = 0; at < 50; at++) expect((await stayer.next()).params).toMatchObject({ at });
    stayer.request(2, 'ping');
    expect((await stayer.next()).result).toEqual({ pong: true });
  });

  it('closes a connection that never says hello, after its bound, and keeps one that did (D23)', async () => {
    fixture = await serve({ helloTimeoutMs: 300 });
    const silent = await rawConnect(fixture.socketPath);
    const greeted = await rawConnect(fixture.socketPath);
    await greeted.greet();
    const closed = new Promise((resolve) => silent.socket.once('close', resolve));
    const reply = await silent.next();
    expect(reply.error).toMatchObject({ code: ErrorCode.HelloRequired, message: expect.stringMatching(/^no hello within 0.3 s/) });
    await closed;
    expect(fixture.logged.some((line) => /no hello within 300 ms/.test(line))).toBe(true);
    greeted.request(1, 'ping');
    expect((await greeted.next()).result).toEqual({ pong: true });
  });

  it('closes its connections and removes the socket on close', async () => {
    fixture = await serve();
    const raw = await rawConnect(fixture.socketPath);
    await raw.greet();
    const ended = new Promise((resolve) => raw.socket.once('close', resolve));
    await fixture.server.close();
    await ended;
    expect(() => statSync(fixture!.socketPath)).toThrow(/ENOENT/);
  });

  it('will not listen where a socket already exists', async () => {
    fixture = await serve();
    await expect(startServer({ socketPath: fixture.socketPath, handlers: fakeHandlers(), identify: asUser })).rejects.toThrow(/EADDRINUSE/);
  });
});
