/**
 * Where the daemon keeps its state and its runtime files (lock, socket, log), per the XDG base
 * directory spec. Pure functions of an env object, so tests and clients can pass their own. Clients
 * import this module (to find the socket) and nothing else of the store.
 */
import { chmodSync, lstatSync, mkdirSync, statSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** An XDG variable counts only when set to an absolute path (the spec says to ignore the rest). */
function xdg(env: Env, name: string): string | undefined {
  const value = env[name];
  return value && path.isAbsolute(value) ? value : undefined;
}

/** `$XDG_STATE_HOME/drover`, else `~/.local/state/drover`. */
export function stateDir(env: Env = process.env): string {
  const base = xdg(env, 'XDG_STATE_HOME') ?? path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(base, 'drover');
}

/** The daemon's state file: `stateDir/state.json`. */
export function stateFile(env: Env = process.env): string {
  return path.join(stateDir(env), 'state.json');
}

/** `$XDG_RUNTIME_DIR/drover`, else `stateDir/run` (private to the user either way). */
export function runtimeDir(env: Env = process.env): string {
  const base = xdg(env, 'XDG_RUNTIME_DIR');
  return base ? path.join(base, 'drover') : path.join(stateDir(env), 'run');
}

/** The daemon's socket: `runtimeDir/drover.sock`. */
export function socketPath(env: Env = process.env): string {
  return path.join(runtimeDir(env), 'drover.sock');
}

/**
 * The PTY host's socket, `runtimeDir/pty-host-v<version>.sock`: its protocol version is in the name,
 * so a daemon only ever finds a host it can speak to.
 */
export function ptyHostSocketPath(env: Env, version: number): string {
  return path.join(runtimeDir(env), `pty-host-v${version}.sock`);
}

/** Where the PTY host writes: `stateDir/pty-host.log`. */
export function ptyHostLogPath(env: Env = process.env): string {
  return path.join(stateDir(env), 'pty-host.log');
}

/** Where a daemon started in the background writes: `stateDir/daemon.log`. */
export function daemonLogPath(env: Env = process.env): string {
  return path.join(stateDir(env), 'daemon.log');
}

/** A folder of drover's that another user owns: nothing in it can be trusted. */
export class ForeignDirError extends UserError {}

/**
 * Creates `dir` (and missing parents) with mode 0700, and tightens it to 0700 if it exists with
 * looser permissions: the state holds agents' environments and the socket drives their terminals.
 * A folder that is not this user's own (another user made it first in a shared XDG_RUNTIME_DIR,
 * and could swap the socket) is refused, never chmod-ed and used.
 */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = checkOwnDir(dir)!;
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/**
 * Refuses a folder (or a link to one) that another user owns; undefined when it does not exist.
 * Clients check the socket's folder before they connect: a socket there may be anyone's.
 */
export function checkOwnDir(dir: string): Stats | undefined {
  let link: Stats;
  let stat: Stats;
  try {
    link = lstatSync(dir);
    stat = statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const uid = process.getuid?.();
  const owner = [link.uid, stat.uid].find((id) => id !== uid);
  if (uid !== undefined && owner !== undefined) {
    throw new ForeignDirError(`${dir} belongs to user ${owner}, not you (${uid}): drover refuses it (its socket could be anyone's); remove it, or point XDG_RUNTIME_DIR at a folder of your own`);
  }
  if (!stat.isDirectory()) throw new ForeignDirError(`${dir} is not a folder: move it aside`);
  return stat;
}
