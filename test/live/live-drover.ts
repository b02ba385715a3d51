/**
 * The real `drover` binary on a live test's private XDG dirs, as a user would run it: verbs with
 * --json, waiting for a status or a permission request, stopping the daemon for good; and the
 * folder, configuration and teardown of a live test with a real CLI against the mock model.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import type { AgentSummary, ApprovalView, MessageView } from '../../src/protocol/schema.ts';
import { prepareAgent, type PreparedAgent } from '../agents/homes.ts';
import { projectRoot, type Provider } from '../agents/paths.ts';
import { DROVER_BIN, droverDirs } from '../helpers/drover.ts';
import { alive, killLeftovers } from '../helpers/processes.ts';
import { until } from '../helpers/until.ts';

/** What the helpers need of a live test's harness: drover's environment, and the agents' folder. */
export interface LiveDrover {
  env: Record<string, string>;
  prepared: { cwd: string };
}

/**
 * Only what drover needs, on private dirs under `root`: the daemon (and so every agent) inherits
 * this, nothing of the test process's environment.
 */
export function privateEnv(root: string): Record<string, string> {
  const env = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: path.join(root, 'user'),
    LANG: 'C.UTF-8',
    ...droverDirs(root),
  };
  mkdirSync(env.HOME);
  return env;
}

/**
 * A live test's folder, under the project's git-ignored tmp/live/ (not /tmp: Gemini CLI refuses a
 * settings file below a world-writable folder), with `agent/` in it for the CLI's home and project.
 */
export function liveFolder(name: string): { root: string; agentRoot: string } {
  const base = path.join(projectRoot, 'tmp', 'live');
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(path.join(base, `${name}-`));
  const agentRoot = path.join(root, 'agent');
  mkdirSync(agentRoot);
  return { root, agentRoot };
}

/**
 * drover on private dirs under `root` with the real CLI `id` as a provider (its home prepared in
 * `agentRoot` against the mock model at `mockUrl`), and `more` providers beside it.
 */
export function liveDrover(id: Provider, { root, agentRoot }: { root: string; agentRoot: string }, mockUrl: string, more: Record<string, object> = {}) {
  const prepared = prepareAgent(id, { mockUrl, root: agentRoot });
  const env = privateEnv(root);
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
  const { command, args, env: cliEnv } = prepared;
  writeFileSync(path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify({ providers: { [id]: { command, args, env: cliEnv }, ...more } }));
  return { env, prepared } satisfies LiveDrover;
}

/** The end of a live test: drover stopped, what the CLI left running killed, the mock closed, the folder removed (kept with DROVER_LIVE_KEEP). */
export async function endLive(h: { env: Record<string, string>; prepared: PreparedAgent }, root: string, mock: { close(): Promise<void> }): Promise<void> {
  await stopDaemon(h);
  killLeftovers(h.prepared.home);
  await mock.close();
  if (process.env.DROVER_LIVE_KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}

export function drover(h: LiveDrover, ...args: string[]) {
  return execa('node', [DROVER_BIN, ...args], { env: h.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 120_000 });
}

export async function droverJson<T>(h: LiveDrover, ...args: string[]): Promise<T> {
  const result = await drover(h, ...args, '--json');
  if (result.exitCode !== 0) throw new Error(`drover ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export async function spawn(h: LiveDrover, provider: string, name: string): Promise<void> {
  const agent = await droverJson<AgentSummary>(h, 'spawn', provider, '--name', name, '--cwd', h.prepared.cwd);
  expect(agent).toMatchObject({ name, provider });
}

/** `drover send --wait`: queued, then delivered once the agent is ready (it may still be starting). */
export async function send(h: LiveDrover, name: string, text: string): Promise<void> {
  const message = await droverJson<MessageView>(h, 'send', name, text, '--wait');
  expect(message).toMatchObject({ to: name, body: text, state: 'delivered' });
}

export async function statusOf(h: LiveDrover, name: string): Promise<string> {
  return (await droverJson<AgentSummary>(h, 'status', name)).status;
}

export async function untilStatus(h: LiveDrover, name: string, ok: (status: string) => boolean, timeoutMs: number): Promise<string> {
  let last = '';
  await until(async () => ok((last = await statusOf(h, name))), async () => `${name}: still ${last}; screen:\n${await screenOf(h, name)}`, timeoutMs);
  return last;
}

export function screenOf(h: LiveDrover, name: string): Promise<string> {
  return drover(h, 'screen', name).then((r) => r.stdout);
}

export async function pendingFor(h: LiveDrover, name: string): Promise<ApprovalView[]> {
  return (await droverJson<ApprovalView[]>(h, 'approvals')).filter((a) => a.agentName === name);
}

/** The one request `drover approvals` lists for the agent, once its dialog is up. */
export async function pendingRequest(h: LiveDrover, name: string): Promise<ApprovalView> {
  let pending: ApprovalView[] = [];
  await until(async () => (pending = await pendingFor(h, name)).length > 0, async () => `a request from ${name}; screen:\n${await screenOf(h, name)}`, 60_000);
  expect(pending).toHaveLength(1);
  return pending[0]!;
}

/** Stops the daemon (and so its agents) and waits for its process to be gone, lock released. */
export async function stopDaemon(h: LiveDrover): Promise<void> {
  const pidFile = path.join(h.env.XDG_RUNTIME_DIR!, 'drover', 'daemon.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
  const status = await drover(h, 'daemon', 'status');
  if (status.exitCode !== 0) return;
  await drover(h, 'daemon', 'stop');
  if (pid) await until(() => !alive(pid), `daemon ${pid} to exit`, 15_000);
}
