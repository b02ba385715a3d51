/**
 * Fuzzing every door into drover, bounded in count and time: the daemon's socket, an agent's hook
 * stdin, the MCP server's stdin, and `drover replay`. Random bytes and structured inputs (valid
 * frames with wrong, extreme or nested values). After every case the same daemon must still answer.
 * A seeded generator: DROVER_FUZZ_SEED=N reruns a failure's inputs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/client.ts';
import { methods } from '../../src/protocol/schema.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/version.ts';
import { drover, DROVER_BIN, privateDirs } from '../helpers/drover.ts';
import { until } from '../helpers/until.ts';

const SEED = Number(process.env.DROVER_FUZZ_SEED ?? 20261130);
const root = mkdtempSync(path.join(tmpdir(), 'drover-fuzz-'));
const env = privateDirs(root, { PS1: 'ready$ ' });
const socket = path.join(root, 'run', 'drover', 'drover.sock');
let daemonPid: number;
/** The agent's DROVER_* identity, as its hook and MCP server get it. */
let identity: Record<string, string>;

/** mulberry32: small, seeded, good enough to pick inputs. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const text = (n: number) => Array.from({ length: n }, () => pick(['a', ' ', '"', '\\', '\n', '\u0000', '\u001b', 'é', '😀', '{', '[', '-1', '\r'])).join('');
  const value = (depth = 0): unknown => {
    switch (int(depth > 3 ? 6 : 9)) {
      case 0: return null;
      case 1: return pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, Number.MAX_SAFE_INTEGER]);
      case 2: return text(int(40));
      case 3: return pick([true, false]);
      case 4: return pick(['', 'fuzz', 'user', 'system', '../../etc/passwd', 'x'.repeat(5000)]);
      case 5: return pick([{}, []]);
      case 6: return Array.from({ length: int(4) }, () => value(depth + 1));
      default: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['agent', 'id', 'to', 'body', 'cols', 'rows', 'keys', 'all', 'token', 'version', 'event', 'payload', text(5)]), value(depth + 1)]));
    }
  };
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  return { int, pick, bytes, text, value, nested };
}
const random = generator(SEED);

/** The methods a fuzz frame may call: not those that stop the daemon or type into the agent's shell. */
const FUZZED_METHODS = Object.keys(methods).filter((m) => m !== 'daemon.stop' && m !== 'agents.keys');

/** One line for the socket: random bytes, broken JSON, or a frame with the right shape and wrong values. */
function socketCase(): string {
  switch (random.int(7)) {
    case 0: return random.bytes(random.int(2000)).toString('latin1');
    case 1: return random.text(random.int(200));
    case 2: return JSON.stringify({ jsonrpc: '2.0', id: random.value(), method: random.pick(FUZZED_METHODS), params: random.value() });
    case 3: return JSON.stringify({ jsonrpc: random.value(), id: random.int(100), method: random.value(), params: random.value() });
    case 4: return `{"jsonrpc":"2.0","id":${random.nested(random.int(20_000))},"method":"ping"}`;
    case 5: return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { version: random.pick([PROTOCOL_VERSION, -1, 1e9]), agent: random.value(), session: random.value() } });
    default: return JSON.stringify(random.value());
  }
}

/** The daemon that was started answers, on a new connection. */
async function answers(): Promise<void> {
  const client = await connect(socket, { timeoutMs: 10_000 });
  try {
    expect(client.daemon.pid).toBe(daemonPid);
    expect(await client.call('ping')).toEqual({ pong: true });
  } finally {
    await client.close();
  }
}

/** Sends lines on one raw connection (greeted or not), reads what comes back for a moment, closes. */
async function sendRaw(lines: string[], greet: boolean): Promise<void> {
  const raw = net.createConnection(socket);
  await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
  raw.on('error', () => {});
  const closed = new Promise<void>((resolve) => raw.once('close', resolve));
  if (greet) raw.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'hello', params: { version: PROTOCOL_VERSION } })}\n`);
  for (const line of lines) raw.write(`${line}\n`);
  // A last ping: its reply (or the connection closing) says the daemon has read everything before it.
  raw.write(`${JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'ping' })}\n`);
  let seen = '';
  raw.on('data', (chunk) => (seen += chunk.toString('latin1')));
  await Promise.race([closed, new Promise<void>((resolve) => raw.on('data', () => seen.includes('"id":"last"') && resolve()))]);
  raw.destroy();
}

beforeAll(async () => {
  const spawned = await drover(['spawn', 'shell', '--name', 'fuzz', '--cwd', root, '--json', '--', '--norc', '--noprofile', '-i'], { env, timeout: 30_000 });
  expect(spawned.exitCode, spawned.stderr).toBe(0);
  const { pid } = JSON.parse(spawned.stdout);
  identity = Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((e) => e.startsWith('DROVER_')).map((e) => e.split(/=(.*)/s).slice(0, 2)),
  );
  const client = await connect(socket);
  daemonPid = client.daemon.pid;
  await client.close();
}, 60_000);

afterAll(async () => {
  await drover(['daemon', 'stop'], { env, timeout: 30_000 });
  rmSync(root, { recursive: true, force: true });
});

describe(`fuzz (seed ${SEED})`, () => {
  it('the socket: 200 connections of random and structured frames', async () => {
    for (let n = 0; n < 200; n++) {
      const lines = Array.from({ length: 1 + random.int(5) }, socketCase);
      await sendRaw(lines, random.int(2) === 0);
      await answers();
    }
    // A frame past the bound, with and without its newline.
    await sendRaw(['x'.repeat(2 * 1024 * 1024)], true);
    await answers();
  }, 120_000);

  it("an agent's hook stdin: random payloads, as the agent and as a forger", async () => {
    for (let n = 0; n < 12; n++) {
      const input = n % 3 === 0 ? random.bytes(random.int(5000)).toString('latin1') : JSON.stringify(random.value());
      const token = n % 2 === 0 ? identity.DROVER_HOOK_TOKEN : 'forged';
      const hook = await drover(['hook', 'claude', random.pick(['Stop', 'SessionStart', 'PreToolUse', random.text(8).replaceAll('\0', '')])], {
        env: { ...env, ...identity, DROVER_HOOK_TOKEN: token },
        input,
        timeout: 20_000,
      });
      expect(hook.exitCode, `case ${n}: ${hook.stderr}`).toBe(0);
      await answers();
    }
  }, 120_000);

  it("the MCP server's stdin: garbage lines, then it still answers a request, and ends with its stdin", async () => {
    const mcp = execa(process.execPath, [DROVER_BIN, 'mcp'], { env: { ...env, ...identity }, reject: false, timeout: 30_000 });
    let out = '';
    mcp.stdout!.on('data', (chunk) => (out += chunk));
    for (let n = 0; n < 100; n++) {
      const line = n % 2 === 0 ? random.text(random.int(300)).replaceAll('\n', ' ') : JSON.stringify({ jsonrpc: '2.0', id: n, method: random.pick(['tools/call', 'tools/list', 'initialize', random.text(6)]), params: random.value() });
      mcp.stdin!.write(`${line}\n`);
    }
    const initialize = { jsonrpc: '2.0', id: 'final', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } };
    mcp.stdin!.write(`${JSON.stringify(initialize)}\n`);
    await until(() => out.includes('"id":"final"'), () => `the answer to the last request; its output:\n${out}`);
    mcp.stdin!.end();
    const done = await mcp;
    expect(done.timedOut).toBe(false);
    await answers();
  }, 60_000);

  it('drover replay: damaged and random recordings get one line or a screen, never a hang or a stack', async () => {
    const header = () => {
      const fields: Record<string, unknown> = { version: random.pick([2, 2, 2, 1, 3, 'x']), width: random.pick([80, 0, -1, 100_000, 1e308, 'w']), height: random.pick([24, 0, 100_000, null]) };
      return random.int(4) === 0 ? JSON.stringify(random.value()) : JSON.stringify(fields);
    };
    const event = (t: number) =>
      random.pick([
        () => JSON.stringify([t, 'o', random.bytes(random.int(3000)).toString('latin1')]),
        () => JSON.stringify([t, random.pick(['o', 'i', 'r', 'm', 'x']), random.text(random.int(50))]),
        () => JSON.stringify([random.value(), random.value(), random.value()]),
        () => JSON.stringify([t, 'r', `${random.int(200_000)}x${random.int(200_000)}`]),
        () => random.text(random.int(100)).replaceAll('\n', ' '),
        () => JSON.stringify([t, 'o', `\u001b[${random.int(1e9)}${random.pick(['L', 'M', 'S', 'T', '@', 'P', 'X', 'b', 'Z', 'I'])}`]),
      ])();
    for (let n = 0; n < 12; n++) {
      const cast = path.join(root, `fuzz-${n}.cast`);
      const events = Array.from({ length: random.int(30) }, (_, i) => event(i * random.pick([0.01, 1, -1, 1e6])));
      writeFileSync(cast, [header(), ...events].join('\n') + '\n');
      const format = random.pick(['screen', 'jsonl', 'text', 'explain']);
      const replayed = await drover(['replay', cast, '--format', format], { timeout: 30_000 });
      expect(replayed.timedOut, `case ${n}`).toBe(false);
      expect([0, 2], `case ${n}: ${replayed.stderr}`).toContain(replayed.exitCode);
      expect(replayed.stderr.trim().split('\n').length, `case ${n}: ${replayed.stderr}`).toBeLessThanOrEqual(1);
    }
    await answers();
  }, 180_000);
});
