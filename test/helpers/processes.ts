/** Looking for processes by pid or environment (a killed daemon gone, helpers an agent left behind). */
import { readdirSync, readFileSync } from 'node:fs';

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
