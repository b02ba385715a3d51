/**
 * One daemon per user: a pid lock file in the runtime dir, and the safe removal of a socket a dead
 * daemon left behind.
 */
import { linkSync, lstatSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { UserError } from '../errors.ts';

/** The daemon cannot take its runtime files: one line naming the problem and the fix. */
export class LockError extends UserError {}

export interface DaemonLock {
  readonly file: string;
  /** Removes the lock file if it is still ours. Synchronous, so it can run in an `exit` handler. */
  release(): void;
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a lock whose holder is dead, unless another starter replaced it since it was read:
 * renaming it aside first makes "is it still the stale one?" and the removal one step.
 */
function removeStale(file: string, staleContent: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readLock(aside) !== staleContent) {
    try {
      linkSync(aside, file); // put the newer lock back, unless yet another one is there
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  unlinkSync(aside);
}

/** The pid of a live daemon holding `<runtimeDir>/daemon.pid` (it may still be starting), if any. */
export function liveLockHolder(runtimeDir: string): number | undefined {
  const pid = Number(readLock(path.join(runtimeDir, 'daemon.pid'))?.trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** The lock files this process took (and has not released). */
const heldHere = new Set<string>();

/**
 * Takes `<runtimeDir>/daemon.pid` for this process (the dir must exist: `ensurePrivateDir`). A lock
 * held by a live process is a LockError; one left by a dead process is taken over.
 */
export function acquireDaemonLock(runtimeDir: string): DaemonLock {
  const file = path.join(runtimeDir, 'daemon.pid');
  const mine = `${process.pid}\n`;
  // Linked into place rather than opened with `wx`: as exclusive, and the lock never exists empty,
  // so a starter reading it at the wrong moment cannot mistake it for a stale one.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, mine, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(tmp, file);
        heldHere.add(file);
        return {
          file,
          release() {
            heldHere.delete(file);
            if (readLock(file) === mine) unlinkSync(file);
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const content = readLock(file);
      if (content === undefined) continue; // released meanwhile
      const pid = Number(content.trim());
      // A lock naming this process that it did not take is no other daemon's: its pid reused after a
      // reboot (the fallback runtime dir outlives one), or a wrapper that took it and exec'd the daemon.
      const staleOwn = pid === process.pid && !heldHere.has(file);
      if (Number.isInteger(pid) && pid > 0 && !staleOwn && isAlive(pid)) {
        throw new LockError(`another drover daemon (pid ${pid}) is running (lock ${file}); stop it with "drover daemon stop"`);
      }
      removeStale(file, content);
    }
    throw new LockError(`${file}: other drover daemons keep starting; try again`);
  } finally {
    unlinkSync(tmp);
  }
}

/** True when nothing accepts connections on the socket (a listener that is slow to answer counts as live). */
function isDead(socketPath: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath, timeout: timeoutMs });
    const done = (dead: boolean) => {
      socket.destroy();
      resolve(dead);
    };
    socket.once('connect', () => done(false));
    socket.once('timeout', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' || error.code === 'ENOENT'));
  });
}

/**
 * Removes the socket a dead daemon left at `socketPath`. Keeps one something still listens on
 * (`live`) and refuses to touch anything that is not a socket.
 */
export async function removeStaleSocket(socketPath: string, timeoutMs = 500): Promise<'absent' | 'removed' | 'live'> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(socketPath).isSocket();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (!isSocket) throw new LockError(`${socketPath}: exists and is not a socket; drover will not remove it: move it away`);
  if (!(await isDead(socketPath, timeoutMs))) return 'live';
  rmSync(socketPath, { force: true });
  return 'removed';
}
