import type { Region } from '../engine/regions.ts';
import type { Explanation, Rule } from '../engine/rules.ts';
import type { Status } from '../engine/status.ts';

/** What a provider's status rules may look at: the composited screen, never raw bytes. */
export interface ScreenView {
  lines: string[];
  title: string;
  altScreen: boolean;
  /** The settle regions' text or the title differs from the previous look. */
  changed: boolean;
  /** Milliseconds since the settle regions' text or the title last changed. */
  quietMs: number;
  /** Live agents only: whether the launched program itself holds the terminal's foreground. */
  foregroundIsLeader?: boolean;
}

export interface Verdict {
  status: Status;
  rule: string;
  detail?: string;
}

/** The part of a provider the status tracker needs. */
export interface StatusProvider {
  id: string;
  /** How long a ready screen must stay unchanged before idle/done is reported. */
  settleMs: number;
  /**
   * The parts of the screen whose change means "still moving" (default: the whole viewport).
   * Lets a provider ignore decoration that animates while the agent waits, such as a logo.
   */
  settleRegions?: Region[];
  /** Report a ready screen as `done` once the agent has worked (a turn ended), else `idle`. */
  doneAfterWork: boolean;
  /** The status before the screen has said anything (`starting` for an agent being launched). */
  initialStatus: Status;
  classify(view: ScreenView): Verdict;
}

export type PermissionChoice = 'once' | 'always' | 'deny' | 'other';

export interface PermissionOption {
  label: string;
  /** Keystrokes that pick this option from the dialog as first drawn. */
  keys: string;
  choice: PermissionChoice;
}

/** A permission dialog parsed from the screen. */
export interface PermissionPrompt {
  tool: string;
  /** The command, file or URL being asked about. */
  summary: string;
  options: PermissionOption[];
}

export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** How to install the CLI when the command is missing. */
  install: string;
}

/** Everything drover knows about one agent CLI. */
export interface AgentProvider extends StatusProvider {
  displayName: string;
  rules: readonly Rule[];
  /** Which rules match this screen, the winner first (what `explain` shows). */
  explain(lines: string[], title: string): Explanation;
  /** A signal that outranks the screen rules when it speaks (e.g. a shell's foreground process). */
  signal?(view: ScreenView): Verdict | undefined;
  /** What a screen no rule matches means (default: unknown, i.e. no evidence). */
  unmatched?(view: ScreenView): Verdict;
  launch: LaunchSpec;
  parsePermission(lines: string[]): PermissionPrompt | undefined;
  /**
   * The agent's final answer in its latest turn, read from the screen: the last prose message it
   * wrote in that turn (after its last tool call; if the turn ended at a tool call, refused or
   * interrupted, the prose before it). `lines` are scrollback and viewport, oldest first
   * (Screen.history), `cols` the terminal's width. Without UI chrome, markers or tool output; rows
   * the CLI wrapped at the width are joined back, paragraph breaks kept. Undefined when the latest
   * turn shows no answer (none yet, or only an error), or when the answer's first row is no longer
   * on the screen (a full-screen CLI scrolled it away). Partial while the turn still runs.
   */
  lastResponse?(lines: string[], cols: number): string | undefined;
  /** Writes that submit a message: the text as a bracketed paste, then the submit key separately. */
  submit(text: string): string[];
  /** Arguments that resume a session, when the CLI supports it. */
  resumeArgs?(sessionId: string): string[];
  /**
   * Injects drover's hook into one launch (never into the user's own config): writes what it needs
   * under `dir` and returns the extra arguments. `command(event)` is the shell command to run.
   */
  hooks?(launch: { dir: string; command: (event: string) => string }): { args: string[] };
  /**
   * Registers drover's MCP server (`drover mcp`) for one launch, never in the user's own config:
   * writes what it needs under `dir` and returns the extra arguments and environment.
   */
  mcp?(launch: { dir: string; server: McpServerLaunch }): { args: string[]; env?: Record<string, string> };
  /** What a hook call with this event and payload says: a status, and the session id for resume. */
  hookReport?(event: string, payload: Record<string, unknown>): HookReport;
}

/** How an agent starts drover's MCP server: the env says which agent it serves, with its token. */
export interface McpServerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface HookReport {
  status?: Status;
  sessionId?: string;
}
