/**
 * What supervising a busy herd costs: a real daemon with N agents replaying a working Claude
 * screen at its recorded rate (bench/cast-player.ts), and the TUI open in a real PTY with the
 * first agent selected, so its live preview shows a busy screen. Reports the CPU (% of one core,
 * from /proc) of the daemon, the PTY host and the TUI while every agent works, and their resident
 * memory; then kills the daemon (-9) and times the next one's start, adoption of the N agents
 * included (the first `drover ls` answering with all of them running).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Pty } from '../src/terminal/pty.ts';
import { cpuTicks, rssMb, TICKS_PER_SECOND } from './proc.ts';
import { alive } from '../test/helpers/processes.ts';
import { privateDirs } from '../test/helpers/drover.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/drover.js');
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/claude/basic-120x35.cast');
/** Seconds every player waits on its idle screen before it starts working, and then works (the daemon stops them sooner). */
export const IDLE_S = 8;
const WORK_S = 600;
/** The window CPU is measured over, once every agent works (the peer's bench uses the same). */
export const MEASURE_S = 20;
/** How long the players get to start and reach their working stretch (50 take a while on 2 cores). */
export const READY_LIMIT_MS = 120_000;

/** The program every agent runs: the recorded Claude screen replayed, idle first, then working. */
export function replayCommand(): { command: string; args: string[] } {
  const player = path.resolve(import.meta.dirname, 'cast-player.ts');
  return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), player, FIXTURE, String(IDLE_S), String(WORK_S)] };
}

export interface HerdFigures {
  agents: number;
  daemonCpu: number;
  hostCpu: number;
  tuiCpu: number;
  daemonRssMb: number;
  hostRssMb: number;
  tuiRssMb: number;
  /** Wall time of the first `drover ls` after kill -9 of the daemon: a new daemon started, every agent adopted. */
  readoptMs: number;
}

async function daemonStatus(env: NodeJS.ProcessEnv): Promise<{ pid: number; ptyHostPid: number; running: number }> {
  return JSON.parse((await run(process.execPath, [BIN, 'daemon', 'status', '--json'], { env })).stdout);
}

async function allWorking(env: NodeJS.ProcessEnv): Promise<boolean> {
  const listed = JSON.parse((await run(process.execPath, [BIN, 'ls', '--json'], { env })).stdout) as Array<{ status: string }>;
  return listed.every((agent) => agent.status === 'working');
}

export async function measureHerd(agents: number): Promise<HerdFigures> {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-herd-'));
  const env = privateDirs(root, { TERM: 'xterm-256color' });
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
  const replay = replayCommand();
  writeFileSync(
    path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'),
    JSON.stringify({ providers: { 'claude-replay': { base: 'claude', command: replay.command, args: replay.args } } }),
  );
  let tui: Pty | undefined;
  let daemonPid: number | undefined;
  try {
    for (let i = 0; i < agents; i++) await run(process.execPath, [BIN, 'spawn', 'claude-replay', '--cwd', root], { env });
    const { pid: daemon, ptyHostPid: host } = await daemonStatus(env);
    daemonPid = daemon;
    tui = new Pty({ command: process.execPath, args: [BIN], cols: 177, rows: 54, env });
    tui.onData(() => {}); // a terminal reads what it is sent
    // Every player is past its idle stretch and working: measured only then.
    await sleep(IDLE_S * 1000);
    const deadline = Date.now() + READY_LIMIT_MS;
    while (!(await allWorking(env))) {
      if (Date.now() > deadline) throw new Error(`not all ${agents} agents reached their working stretch in ${READY_LIMIT_MS / 1000} s`);
      await sleep(1000);
    }
    const before = { daemon: cpuTicks(daemon), host: cpuTicks(host), tui: cpuTicks(tui.pid) };
    await sleep(MEASURE_S * 1000);
    const percent = (ticks: number) => (ticks / TICKS_PER_SECOND / MEASURE_S) * 100;
    const figures = {
      agents,
      daemonCpu: percent(cpuTicks(daemon) - before.daemon),
      hostCpu: percent(cpuTicks(host) - before.host),
      tuiCpu: percent(cpuTicks(tui.pid) - before.tui),
      daemonRssMb: rssMb(daemon),
      hostRssMb: rssMb(host),
      tuiRssMb: rssMb(tui.pid),
    };
    process.kill(daemon, 'SIGKILL');
    while (alive(daemon)) await sleep(20);
    const started = performance.now();
    const listed = JSON.parse((await run(process.execPath, [BIN, 'ls', '--json'], { env })).stdout) as Array<{ status: string }>;
    const readoptMs = performance.now() - started;
    if (listed.filter((agent) => agent.status !== 'exited').length !== agents) throw new Error(`the next daemon adopted ${listed.length} of ${agents} agents`);
    daemonPid = (await daemonStatus(env)).pid;
    return { ...figures, readoptMs };
  } finally {
    tui?.write('q');
    await tui?.exited;
    await run(process.execPath, [BIN, 'daemon', 'stop'], { env }).catch(() => {});
    // Gone, not just disconnected: it writes its agents' last statuses as it stops.
    while (daemonPid !== undefined && alive(daemonPid)) await sleep(100);
    rmSync(root, { recursive: true, force: true });
  }
}
