/**
 * The PTY host's wire: one JSON object per line each way, between the host and the one daemon
 * attached to it. Types only — both ends are this user's own drover, on a socket only this user
 * can open — so the host loads no schema library and stays small.
 *
 * The version is in the socket's name: a daemon finds only a host it can speak to, and a host of
 * another version (an upgrade that changed this file) keeps its agents at its own socket until they end.
 */
import type { PtyExit } from '../../terminal/pty.ts';

export const HOST_PROTOCOL_VERSION = 1;

/** A program for the host to start: already checked by the daemon (folder, program found). */
export interface HostSpawn {
  terminal: string;
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** The asciicast file the host records the terminal to (output, keys typed, resizes). */
  recording: string;
  /** The command line, for the recording's header. */
  command: string;
  /** The agent's launch secret: kept in the host's memory only, for the next daemon. */
  token: string;
}

/** A terminal the host holds, as a (new) daemon learns it. */
export interface HostTerminalInfo {
  terminal: string;
  pid: number;
  cols: number;
  rows: number;
  recording: string;
  token: string;
  /** Set once the program has ended (and the daemon has not yet said it stored that). */
  exit?: PtyExit;
}

/**
 * What the program printed that a new screen needs: the last screen a daemon checkpointed, then
 * every output since (or, when that grew past the host's bound, the newest of it), and the count
 * of output units up to its end. Output after it follows as `data` events.
 */
export interface HostBacklog {
  data: string;
  offset: number;
  /** False when the output since the checkpoint outgrew the bound: the screen is rebuilt from the newest output only. */
  exact: boolean;
}

export type HostCall =
  | { id: number; method: 'hello'; params: { version: number } }
  | { id: number; method: 'spawn'; params: HostSpawn }
  | { id: number; method: 'attach'; params: { terminal: string } };

export type HostNotice =
  | { method: 'write'; params: { terminal: string; data: string } }
  | { method: 'resize'; params: { terminal: string; cols: number; rows: number } }
  | { method: 'kill'; params: { terminal: string; signal: NodeJS.Signals; graceMs: number } }
  /** The daemon's screen as of `offset` units of output: the host forgets the output before it. */
  | { method: 'checkpoint'; params: { terminal: string; offset: number; screen: string } }
  /** The daemon has stored the program's exit: the host forgets the terminal. */
  | { method: 'forget'; params: { terminal: string } };

export interface HelloResult {
  version: number;
  pid: number;
  terminals: HostTerminalInfo[];
}

export type HostReply = { id: number; result: unknown } | { id: number; error: { message: string; commandNotFound?: string } };

export type HostEvent =
  | { event: 'data'; terminal: string; data: string }
  | { event: 'exit'; terminal: string; exit: PtyExit }
  /** The recording went on in a new file (it rotates when large). */
  | { event: 'recording'; terminal: string; file: string };
