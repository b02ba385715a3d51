/**
 * Where the daemon keeps its state and its runtime files (lock, socket, log), per the XDG base
 * directory spec. Pure functions of an env object, so tests and clients can pass their own. Clients
 * import this module (to find the socket) and nothing else of the store.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

/**
 * Creates `dir` (and missing parents) with mode 0700, and tightens it to 0700 if it exists with
 * looser permissions: the state holds agents' environments and the socket drives their terminals.
 */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}
