/**
 * Looking for processes by pid or environment (a killed daemon gone, helpers an agent left behind),
 * and at the terminals they hold.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Anything the agents left behind (a CLI that daemonised a helper) still carries its throwaway HOME. */
export function killLeftovers(home: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (!environ.split('\0').includes(`HOME=${home}`)) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The number N of the terminal /dev/pts/N a process runs in (its stdin). */
export function terminalOf(pid: number): number {
  const tty = readlinkSync(`/proc/${pid}/fd/0`);
  const match = /^\/dev\/pts\/(\d+)$/.exec(tty);
  if (!match) throw new Error(`process ${pid} does not run in a pseudo-terminal (its stdin: ${tty})`);
  return Number(match[1]);
}

/**
 * The numbers of the terminals whose master side (/dev/ptmx) a process holds open: whoever holds
 * a terminal's master can type into it and read it.
 */
export function mastersHeldBy(pid: number): number[] {
  return readdirSync(`/proc/${pid}/fd`)
    .filter((fd) => /\/ptmx$/.test(readlinkSync(`/proc/${pid}/fd/${fd}`)))
    .map((fd) => Number(/^tty-index:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))![1]));
}
