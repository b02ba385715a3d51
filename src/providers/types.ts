/**
 * A provider is everything drover knows about one agent CLI, in three parts:
 * - detect: what its screen means (rules, settle regions, signals: data, see src/status/);
 * - read: what its screen says (the permission dialog, the last answer: parsers);
 * - integrate: how it is launched and joined (command, hooks, MCP, resume, submit keys).
 * `generic` is the one provider that is not a CLI: any recording, judged by movement alone.
 */
import type { Detector } from '../status/detector.ts';
import type { PermissionPrompt } from '../status/permission.ts';
import type { Status } from '../status/status.ts';

export interface Reader {
  /** The permission dialog on screen now, if any and if it can be read. */
  permissionPrompt(lines: string[]): PermissionPrompt | undefined;
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
  /**
   * The same answer read from the CLI's own transcript of the session (`text`: the file, or its
   * last part for a long one; see Integration.transcript), exactly as the model wrote it and at
   * any length. Undefined when the text holds no answer for the latest turn; never throws on a
   * damaged or half-written file (the screen is read instead).
   */
  transcriptResponse?(text: string): string | undefined;
}

export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** How to install the CLI when the command is missing. */
  install: string;
}

/** How an agent starts drover's MCP server: the env says which agent it serves, with its token. */
export interface McpServerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** What one launch adds: arguments, and environment. */
export interface LaunchExtras {
  args: string[];
  env?: Record<string, string>;
}

export interface HookReport {
  status?: Status;
  sessionId?: string;
  /** The CLI's own transcript of the session, where its hooks name it. */
  transcriptPath?: string;
}

export interface Integration {
  launch: LaunchSpec;
  /** Writes that submit a message: the text as a bracketed paste, then the submit key separately. */
  submit(text: string): string[];
  /** Arguments that resume a session, when the CLI supports it. */
  resumeArgs?(sessionId: string): string[];
  /**
   * Injects drover's hook into one launch (never into the user's own config): writes what it needs
   * under `dir` and returns the extra arguments and environment. `command(event)` is the shell
   * command to run.
   */
  hooks?(launch: { dir: string; command: (event: string) => string }): LaunchExtras;
  /**
   * Registers drover's MCP server (`drover mcp`) for one launch, never in the user's own config:
   * writes what it needs under `dir` and returns the extra arguments and environment. Called after
   * `hooks` for the same launch (Gemini CLI adds both to one settings file).
   */
  mcp?(launch: { dir: string; server: McpServerLaunch }): LaunchExtras;
  /**
   * Where the CLI writes the session's transcript when its hooks do not name it: from the session
   * id and the agent's environment (its HOME, the CLI's own folder variables).
   */
  transcript?(session: { sessionId: string; env: Readonly<Record<string, string | undefined>> }): string | undefined;
  /** What a hook call with this event and payload says: a status, the session id for resume, the transcript's path. */
  hookReport?(event: string, payload: Record<string, unknown>): HookReport;
}

/** An agent CLI drover launches. */
export interface AgentProvider {
  readonly kind: 'agent';
  id: string;
  displayName: string;
  detect: Detector;
  read: Reader;
  integrate: Integration;
}

/** Any program's recording, judged only by whether its screen moves (it cannot be launched). */
export interface GenericProvider {
  readonly kind: 'generic';
  id: string;
  detect: Detector;
}

export type Provider = AgentProvider | GenericProvider;

/**
 * The user's settings for one provider (config.json `providers.<id>`): a built-in one's launch
 * and rules adjusted, or a custom command built on a base provider.
 */
export interface ProviderOverride {
  /** For a custom command: the built-in provider it starts from (default `shell`). */
  base?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Merged over the base's rules (validated where they are compiled). */
  rules?: unknown;
  settleMs?: number;
}
