/**
 * The real `drover` binary on a live test's private XDG dirs, as a user would run it: verbs with
 * --json, waiting for a status or a permission request, stopping the daemon for good.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import type { AgentSummary, ApprovalView, MessageView } from '../../src/protocol/schema.ts';
import { DROVER_BIN } from '../helpers/drover.ts';
import { alive } from '../helpers/processes.ts';

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
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
  };
  mkdirSync(env.HOME);
  return env;
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
  await until(async () => ok((last = await statusOf(h, name))), timeoutMs, async () => `${name}: still ${last}; screen:\n${await screenOf(h, name)}`);
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
  await until(async () => (pending = await pendingFor(h, name)).length > 0, 60_000, async () => `a request from ${name}; screen:\n${await screenOf(h, name)}`);
  expect(pending).toHaveLength(1);
  return pending[0]!;
}

/** The first truthy value of `check`, looked at every 200 ms; `what` names it in the timeout. */
export async function until<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string | (() => string | Promise<string>),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : await what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Stops the daemon (and so its agents) and waits for its process to be gone, lock released. */
export async function stopDaemon(h: LiveDrover): Promise<void> {
  const pidFile = path.join(h.env.XDG_RUNTIME_DIR!, 'drover', 'daemon.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
  const status = await drover(h, 'daemon', 'status');
  if (status.exitCode !== 0) return;
  await drover(h, 'daemon', 'stop');
  if (pid) await until(() => !alive(pid), 15_000, `daemon ${pid} to exit`);
}
