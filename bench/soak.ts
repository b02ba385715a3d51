/**
 * Soak: a real daemon supervising 20 agents whose terminals replay a working Claude screen at its
 * recorded rate (bench/cast-player.ts). Reports the daemon's CPU (% of one core, from /proc) while
 * the agents sit idle and while they all work, and its resident memory.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectOrStart } from '../src/client/daemon-connection.ts';
import { cpuTicks, rssMb, TICKS_PER_SECOND } from './proc.ts';
import { alive } from '../test/helpers/processes.ts';

const AGENTS = 20;
const IDLE_S = 20;
const WORK_S = 60;
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/claude/basic-120x35.cast');

async function cpuPercent(pid: number, seconds: number): Promise<number> {
  const before = cpuTicks(pid);
  await sleep(seconds * 1000);
  return ((cpuTicks(pid) - before) / TICKS_PER_SECOND / seconds) * 100;
}

export interface SoakResult {
  agents: number;
  idleCpu: number;
  workingCpu: number;
  rssMb: number;
}

export async function soak(): Promise<SoakResult> {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-soak-'));
  const env = {
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
  };
  Object.assign(process.env, env);
  // A provider with Claude's rules whose program is the player.
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
  const player = path.resolve(import.meta.dirname, 'cast-player.ts');
  writeFileSync(
    path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'),
    JSON.stringify({ providers: { 'claude-replay': { base: 'claude', command: process.execPath, args: ['--import', import.meta.resolve('tsx'), player, FIXTURE, String(IDLE_S), String(WORK_S)] } } }),
  );
  const client = await connectOrStart(env);
  const daemonPid = (await client.call('daemon.status')).pid;
  try {
    const started = Date.now();
    for (let i = 0; i < AGENTS; i++) {
      await client.call('agents.spawn', { provider: 'claude-replay', name: `soak-${i}`, cwd: root });
    }
    // Idle: every player has started (20 node processes at once take a few seconds on a busy
    // machine) and drawn its idle screen, and is silent: measured only then.
    const idleBy = started + IDLE_S * 1000 - 6000; // the players' silence ends at IDLE_S: 5 s of it are measured
    while ((await client.call('agents.list')).agents.some((a) => a.status !== 'idle') && Date.now() < idleBy) await sleep(250);
    if (Date.now() >= idleBy) console.log('note: not every agent was idle before the idle stretch was measured');
    const idleCpu = await cpuPercent(daemonPid, 5);
    await sleep(Math.max(0, started + IDLE_S * 1000 + 3000 - Date.now()));
    const workingCpu = await cpuPercent(daemonPid, WORK_S - 10);
    const rss = rssMb(daemonPid);
    const statuses = (await client.call('agents.list')).agents.map((a) => a.status);
    if (statuses.filter((s) => s === 'working').length < AGENTS) {
      console.log(`note: not every agent read as working during the soak: ${statuses.join(' ')}`);
    }
    return { agents: AGENTS, idleCpu, workingCpu, rssMb: rss };
  } finally {
    await client.call('daemon.stop').catch(() => {});
    await client.closed;
    while (alive(daemonPid)) await sleep(50); // it is still writing the agents' last statuses
    rmSync(root, { recursive: true, force: true });
  }
}
