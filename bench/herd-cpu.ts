/**
 * What supervising a busy herd costs: a real daemon with N agents replaying a working Claude
 * screen at its recorded rate (bench/cast-player.ts), and the TUI open in a real PTY with the
 * first agent selected, so its live preview shows a busy screen. Reports the CPU (% of one core,
 * from /proc) of the daemon and of the TUI while every agent works, and their resident memory.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Pty } from '../src/terminal/pty.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/drover.js');
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/claude/basic-120x35.cast');
const TICKS_PER_SECOND = 100; // Linux USER_HZ
/** Seconds every player waits on its idle screen before it starts working, and then works. */
const IDLE_S = 8;
const WORK_S = 40;
const MEASURE_S = 20;

export interface HerdFigures {
  agents: number;
  daemonCpu: number;
  tuiCpu: number;
  daemonRssMb: number;
  tuiRssMb: number;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

export async function measureHerd(agents: number): Promise<HerdFigures> {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-herd-'));
  const env = {
    ...process.env,
    TERM: 'xterm-256color',
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
  };
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
  const player = path.resolve(import.meta.dirname, 'cast-player.ts');
  const playerArgs = ['--import', import.meta.resolve('tsx'), player, FIXTURE, String(IDLE_S), String(WORK_S)];
  writeFileSync(
    path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'),
    JSON.stringify({ providers: { 'claude-replay': { base: 'claude', command: process.execPath, args: playerArgs } } }),
  );
  let tui: Pty | undefined;
  try {
    const started = Date.now();
    for (let i = 0; i < agents; i++) await run(process.execPath, [BIN, 'spawn', 'claude-replay', '--cwd', root], { env });
    const daemonPid = (JSON.parse((await run(process.execPath, [BIN, 'daemon', 'status', '--json'], { env })).stdout) as { pid: number }).pid;
    tui = new Pty({ command: process.execPath, args: [BIN], cols: 177, rows: 54, env });
    tui.onData(() => {}); // a terminal reads what it is sent
    // Every player is past its idle stretch and working (the last one spawned started latest).
    await sleep(Math.max(0, Date.now() - started) + IDLE_S * 1000 + 3000);
    const before = { daemon: cpuTicks(daemonPid), tui: cpuTicks(tui.pid) };
    await sleep(MEASURE_S * 1000);
    const percent = (ticks: number) => (ticks / TICKS_PER_SECOND / MEASURE_S) * 100;
    return {
      agents,
      daemonCpu: percent(cpuTicks(daemonPid) - before.daemon),
      tuiCpu: percent(cpuTicks(tui.pid) - before.tui),
      daemonRssMb: rssMb(daemonPid),
      tuiRssMb: rssMb(tui.pid),
    };
  } finally {
    tui?.write('q');
    await tui?.exited;
    await run(process.execPath, [BIN, 'daemon', 'stop'], { env }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
}
