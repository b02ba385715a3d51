/**
 * Terminals another process holds — the daemon's PTY host — so that an agent's program outlives
 * the daemon. The engine launches and adopts agents through a TerminalHolder; the daemon gives it one.
 */
import type { TerminalProcess } from '../terminal/pty.ts';

export interface HeldTerminal extends TerminalProcess {
  readonly id: string;
  readonly cols: number;
  readonly rows: number;
  /** The recording the holder writes, output and keys, also while no daemon is attached (the current file: it rotates). */
  readonly recording: string;
  /** The agent's launch secret, kept by the holder for the next daemon. */
  readonly token: string;
  /** The screen as of `offset` units of output: a later daemon starts from it instead of replaying everything. */
  checkpoint(offset: number, screen: string): void;
  /** The program's exit is stored: the holder may let the terminal go. */
  forget(): void;
}

/** What a terminal printed before this daemon: replayed into a new screen, it redraws the agent's. */
export interface Backlog {
  data: string;
  /** Output units up to the end of `data` (checkpoints count from the program's start). */
  offset: number;
}

/** A terminal held from before this daemon, running or ended. */
export interface Adoptable {
  terminal: HeldTerminal;
  /** Starts its output flowing to this daemon, after the backlog (nothing between is missed). */
  attach(): Promise<Backlog>;
}

export interface TerminalLaunch {
  id: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  cols: number;
  rows: number;
  recording: string;
  token: string;
}

export interface TerminalHolder {
  /** Starts a program in a held terminal; a missing folder or program throws before anything starts. */
  spawn(launch: TerminalLaunch): Promise<HeldTerminal>;
  /** The terminals the holder had when this daemon attached. */
  readonly adoptable: readonly Adoptable[];
}
