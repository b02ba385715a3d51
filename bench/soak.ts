/**
 * Soak: a real daemon supervising 50 agents whose terminals replay a working Claude screen at its
 * recorded rate (bench/cast-player.ts). Reports the daemon's CPU (% of one core, from /proc) while
 * the agents sit idle and while they all work, its resident memory, and whether every status
 * change reached a client as an event (each agent's idle, then working; the last event of each
 * agent the status the daemon lists).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectOrStart } from '../src/client/daemon-connection.ts';
import { cpuTicks, rssMb, TICKS_PER_SECOND } from './proc.ts';
import { alive } from '../test/helpers/processes.ts';

const AGENTS = 50;
/** Each player's silence on its idle screen: 50 node processes take a while to start on 2 cores. */
const IDLE_S = 45;
/** Each player's working stretch after it (the soak ends sooner). */
const WORK_S = 120;
const MEASURE_WORKING_S = 30;
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
  /** Agents whose idle and then working each arrived as an `event.status`. */
  changesArrived: number;
  /** Agents whose last `event.status` is the status the daemon lists at the end. */
  lastEventMatches: number;
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
  const seen = new Map<string, string[]>();
  client.on('event.status', ({ agent, status }) => seen.set(agent, [...(seen.get(agent) ?? []), status]));
  const list = async () => (await client.call('agents.list')).agents;
  try {
    const started = Date.now();
    for (let i = 0; i < AGENTS; i++) {
      await client.call('agents.spawn', { provider: 'claude-replay', name: `soak-${i}`, cwd: root });
    }
    // Idle: every player has started and drawn its idle screen, and is silent: measured only then.
    const idleBy = started + IDLE_S * 1000 - 6000; // the first players' silence ends at IDLE_S: 5 s of it are measured
    while ((await list()).some((a) => a.status !== 'idle') && Date.now() < idleBy) await sleep(250);
    if (Date.now() >= idleBy) console.log('note: not every agent was idle before the idle stretch was measured');
    const idleCpu = await cpuPercent(daemonPid, 5);
    // Working: measured once every player works (the last started later than the first).
    const workingBy = Date.now() + 60_000;
    while ((await list()).some((a) => a.status !== 'working') && Date.now() < workingBy) await sleep(250);
    const workingCpu = await cpuPercent(daemonPid, MEASURE_WORKING_S);
    const rss = rssMb(daemonPid);
    const agents = await list();
    const notWorking = agents.filter((a) => a.status !== 'working');
    if (notWorking.length > 0) console.log(`note: not every agent read as working during the soak: ${notWorking.map((a) => `${a.name} ${a.status}`).join(', ')}`);
    const changesArrived = agents.filter((a) => {
      const statuses = seen.get(a.id) ?? [];
      const idleAt = statuses.indexOf('idle');
      return idleAt >= 0 && statuses.indexOf('working', idleAt) > idleAt;
    }).length;
    const lastEventMatches = agents.filter((a) => seen.get(a.id)?.at(-1) === a.status).length;
    return { agents: AGENTS, idleCpu, workingCpu, rssMb: rss, changesArrived, lastEventMatches };
  } finally {
    await client.call('daemon.stop').catch(() => {});
    await client.closed;
    while (alive(daemonPid)) await sleep(50); // it is still writing the agents' last statuses
    rmSync(root, { recursive: true, force: true });
  }
}
