/**
 * D13: a connection acts for whoever its hello names. A drover run inside an agent (its
 * environment, or only its terminal's session) acts as that agent, limited to what an agent may
 * do; only the person's own terminal acts as the user. Through the real binary, daemon and PTYs,
 * with the identity a real agent's environment carries (read from /proc, as any process of the
 * same user could).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drover, DROVER_BIN, privateDirs } from '../helpers/drover.ts';
import { until } from '../helpers/until.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-identity-'));
const env = privateDirs(root, { PS1: 'ready$ ' });
const asUser = (...args: string[]) => drover(args, { env, timeout: 30_000 });
/** The DROVER_* variables of the agent's own environment. */
let identity: Record<string, string>;
const asAgent = (...args: string[]) => drover(args, { env: { ...env, ...identity }, timeout: 30_000 });

/** One line on stderr naming the problem, exit 2. */
function refused(result: { exitCode?: number; stderr: string }, pattern: RegExp): void {
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

beforeAll(async () => {
  for (const name of ['worker', 'other']) {
    const spawned = await asUser('spawn', 'shell', '--name', name, '--cwd', root, '--', '--norc', '--noprofile', '-i');
    expect(spawned.exitCode, spawned.stderr).toBe(0);
  }
  await until(async () => JSON.parse((await asUser('ls', '--json')).stdout).every((a: { status: string }) => a.status === 'idle'), 'agents idle');
  const { pid } = JSON.parse((await asUser('status', 'worker', '--json')).stdout);
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  identity = Object.fromEntries(environ.filter((entry) => entry.startsWith('DROVER_')).map((entry) => entry.split(/=(.*)/s).slice(0, 2)));
  expect(Object.keys(identity).sort()).toEqual(['DROVER_AGENT_ID', 'DROVER_HOOK_TOKEN', 'DROVER_SOCKET']);
}, 60_000);

afterAll(async () => {
  await asUser('daemon', 'stop');
  rmSync(root, { recursive: true, force: true });
});

describe("a drover run inside an agent acts as that agent", () => {
  it("may not do what is the person's: approve, spawn, kill, type into a terminal, stop the daemon", async () => {
    const person = /is the person's, and this connection acts as agent worker/;
    refused(await asAgent('approvals'), person);
    refused(await asAgent('approve', 'abc'), person);
    refused(await asAgent('spawn', 'shell', '--cwd', root), person);
    refused(await asAgent('kill', 'other'), person);
    refused(await asAgent('send', 'other', '--keys', 'echo typed\\r'), person);
    refused(await asAgent('daemon', 'stop'), person);
    refused(await asAgent('inbox'), person);
    // Nothing happened: both agents run, the daemon answers the person.
    const agents = JSON.parse((await asUser('ls', '--json')).stdout);
    expect(agents.map((a: { name: string; status: string }) => [a.name, a.status])).toEqual([
      ['worker', 'idle'],
      ['other', 'idle'],
    ]);
  }, 60_000);

  it('reads the herd, and sends messages as itself (never as user)', async () => {
    const listed = await asAgent('ls', '--json');
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(2);
    const toUser = await asAgent('send', 'user', 'finished', '--json');
    expect(toUser.exitCode, toUser.stderr).toBe(0);
    expect(JSON.parse(toUser.stdout)).toMatchObject({ from: 'worker', to: 'user' });
    const toOther = await asAgent('send', 'other', 'true', '--json');
    expect(toOther.exitCode, toOther.stderr).toBe(0);
    expect(JSON.parse(toOther.stdout)).toMatchObject({ from: 'worker', to: 'other' });
    const inbox = JSON.parse((await asUser('inbox', '--all', '--json')).stdout) as Array<{ from: string; body: string }>;
    expect(inbox.filter((m) => m.body === 'finished' || m.body === 'true').map((m) => m.from)).toEqual(['worker', 'worker']);
  }, 60_000);

  it('with a wrong or missing token is refused, never taken for the user', async () => {
    const wrong = await drover(['approvals'], { env: { ...env, ...identity, DROVER_HOOK_TOKEN: 'guess' }, timeout: 30_000 });
    refused(wrong, /runs as agent .* its token \(DROVER_HOOK_TOKEN\) is not that running agent's/);
    const missing = await drover(['ls'], { env: { ...env, ...identity, DROVER_HOOK_TOKEN: undefined }, timeout: 30_000 });
    refused(missing, /DROVER_HOOK_TOKEN is not set/);
  }, 60_000);

  it("with its identity stripped from the environment, in the agent's terminal, is still not the user", async () => {
    // Typed into the agent's own terminal: the process shares the agent's session.
    const stripped = `env -u DROVER_AGENT_ID -u DROVER_HOOK_TOKEN -u DROVER_SOCKET node '${DROVER_BIN}' daemon stop; echo "stop-exit=$?"\\r`;
    expect((await asUser('send', 'worker', '--keys', stripped)).exitCode).toBe(0);
    let screen = '';
    await until(async () => /stop-exit=\d/.test((screen = (await asUser('screen', 'worker')).stdout)), 'the command to end');
    expect(screen).toContain("runs in agent worker's terminal without its identity");
    expect(screen).toContain('stop-exit=2');
    const status = await asUser('daemon', 'status');
    expect(status.exitCode, status.stderr).toBe(0);
  }, 60_000);

  it("a person's drover is the user: agent-only calls are refused to it", async () => {
    // Delegation is an agent's (through its MCP server); the person spawns.
    const { connect } = await import('../../src/client/client.ts');
    const client = await connect(path.join(root, 'run', 'drover', 'drover.sock'));
    try {
      await expect(client.call('agents.delegate', { provider: 'shell', task: 'true', reportBack: false })).rejects.toThrow(/is an agent's own/);
      await expect(client.call('agents.report', { event: 'Stop', at: Date.now(), payload: {} })).rejects.toThrow(/is an agent's own/);
    } finally {
      await client.close();
    }
  });
});
