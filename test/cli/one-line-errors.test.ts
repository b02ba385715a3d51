/**
 * D24, D25, D26: bad input gets one line naming the problem and the fix (exit 2), never a stack, a
 * page of output or a hang; nothing is lost. Through the real binary (and daemon, for send).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onLines } from '../../src/protocol/framing.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/version.ts';
import { drover, privateDaemon, privateDirs } from '../helpers/drover.ts';

const { root, run, remove } = privateDaemon('oneline');
afterAll(remove);

const cast = path.join(root, 'a.cast');
writeFileSync(cast, `${JSON.stringify({ version: 2, width: 80, height: 24 })}\n${JSON.stringify([0.1, 'o', 'hi'])}\n`);

function oneLine(result: { exitCode?: number; stderr: string }, pattern: RegExp): void {
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

describe('one line, not a stack, a page or a hang', () => {
  it('a daemon that answers what it should not (D24: an invalid result)', async () => {
    // Something on drover's socket that says hello like a daemon, then answers nonsense.
    const base = mkdtempSync(path.join(tmpdir(), 'drover-liar-'));
    const dirs = privateDirs(base);
    const socket = path.join(base, 'run', 'drover', 'drover.sock');
    mkdirSync(path.dirname(socket), { recursive: true, mode: 0o700 });
    const server = net.createServer((connection) =>
      onLines(connection, 1 << 20, (line) => {
        const { id, method } = JSON.parse(line) as { id: number; method: string };
        const result = method === 'hello' ? { version: PROTOCOL_VERSION, pid: 1 } : { agents: 'none of your business' };
        connection.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
      }, () => connection.destroy()),
    );
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const result = await drover(['ls'], { env: dirs, timeout: 30_000 });
      expect(result.exitCode, result.stderr).toBe(1);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(/^drover: unexpected error: agents\.map is not a function \(DROVER_DEBUG=1 shows where; please report it\)$/m);
      const debug = await drover(['ls'], { env: { ...dirs, DROVER_DEBUG: '1' }, timeout: 30_000 });
      expect(debug.stderr).toMatch(/\n\s+at /); // the stack, when asked for
    } finally {
      server.close();
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('record --out into a folder that does not exist', async () => {
    oneLine(await run('record', '--out', path.join(root, 'nope', 'x.cast'), '--', 'true'), /there is no folder .*nope \(create it/);
    expect(readdirSync(root)).not.toContain('nope');
  });

  it('replay --at with a negative number, either way it is written', async () => {
    oneLine(await run('replay', cast, '--at', '-1'), /--at.*ambiguous/);
    oneLine(await run('replay', cast, '--at=-1'), /--at/);
  });

  it('a config file of binary data', async () => {
    const config = path.join(root, 'binary.json');
    writeFileSync(config, randomBytes(300));
    oneLine(await run('replay', cast, '--config', config), /binary\.json: holds binary data, not JSON; move it aside/);
  });

  it('attach without a terminal', async () => {
    const spawned = await run('spawn', 'shell', '--name', 'live', '--cwd', root, '--', '--norc', '--noprofile', '-i');
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    oneLine(await run('attach', 'live'), /attach needs a terminal, and stdin is not one/);
  });

  it('send --wait to an agent that has exited: the message stays queued', async () => {
    const spawned = await run('spawn', 'shell', '--name', 'gone', '--cwd', root, '--', '-c', 'exit 3');
    expect(spawned.exitCode, spawned.stderr).toBe(0);
    const sent = await run('send', 'gone', 'hello', '--wait');
    oneLine(sent, /gone has exited: message \S+ stays queued, and goes in when it runs again \(drover restart gone/);
    const inbox = JSON.parse((await run('inbox', '--json')).stdout) as Array<{ to: string; body: string; state: string }>;
    expect(inbox.filter((m) => m.to === 'gone')).toEqual([expect.objectContaining({ body: 'hello', state: 'pending' })]);
  });
});
