/**
 * What drover's hooks have in common across CLIs: the Claude-style table of command hooks (Claude
 * Code, Gemini CLI and Qwen Code read the same shape), the session id in a payload, and the
 * per-launch system-settings layer through which Gemini CLI and Qwen Code take them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Status } from '../../status/status.ts';
import type { HookReport, LaunchExtras } from '../types.ts';

type Settings = Record<string, unknown> & { hooks?: Record<string, unknown[]> };

/**
 * `{ Event: [{ hooks: [{ type: 'command', command }] }] }` for each event: one group per event,
 * running `command(event)`; `group` adds fields to a group (a matcher, a name).
 */
export function commandHooks(events: readonly string[], command: (event: string) => string, group: (event: string) => object = () => ({})): Record<string, unknown[]> {
  return Object.fromEntries(events.map((event) => [event, [{ ...group(event), hooks: [{ type: 'command', command: command(event) }] }]]));
}

/** A hook call's report: the session id its payload names under `sessionKey`, and `status` when its event says one. */
export function hookReportOf(payload: Record<string, unknown>, sessionKey: string, status?: Status): HookReport {
  const sessionId = stringField(payload, sessionKey);
  // Claude Code, Codex, Gemini CLI and Qwen Code name their own transcript in every payload;
  // Copilot CLI in its agentStop's (camelCase).
  const transcriptPath = stringField(payload, 'transcript_path') ?? stringField(payload, 'transcriptPath');
  return { ...(sessionId ? { sessionId } : {}), ...(transcriptPath && path.isAbsolute(transcriptPath) ? { transcriptPath } : {}), ...(status ? { status } : {}) };
}

/** A string field of a hook's payload, if it is one. */
export function stringField(payload: Record<string, unknown>, key: string): string | undefined {
  const value = payload[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Where a CLI of the Gemini family reads its system settings, and how a launch points it elsewhere. */
export interface SystemSettingsScope {
  /** The file this launch gets, in its dir. */
  file: string;
  /** The variables that move the system settings and the system defaults beside them. */
  settingsVar: string;
  defaultsVar: string;
  /** The machine's own system settings file, where the CLI looks by default. */
  machinePath: string;
}

/**
 * Gemini CLI and Qwen Code take hooks and MCP servers only from settings files, and merge their
 * scopes (hooks per event concatenated, MCP servers by name). So a launch gets a system-scope file
 * of its own — the machine's system settings as they are, plus drover's part — while the user's
 * and the project's settings stay untouched and still apply. `fresh` starts the file from the
 * machine's settings (a launch's first part: its hooks); otherwise the part is added to the file
 * this launch already has (its MCP server).
 */
export function systemSettingsLayer(scope: SystemSettingsScope, dir: string, add: (settings: Settings) => Settings, fresh: boolean): LaunchExtras {
  const machine = process.env[scope.settingsVar] || scope.machinePath;
  const file = path.join(dir, scope.file);
  const base = fresh || !existsSync(file) ? machine : file;
  const settings = existsSync(base) ? (JSON.parse(readFileSync(base, 'utf8')) as Settings) : {};
  writeFileSync(file, JSON.stringify(add(settings), null, 2), { mode: 0o600 });
  return {
    args: [],
    env: {
      [scope.settingsVar]: file,
      // The CLI looks for the system defaults beside the system settings: keep them where they are.
      [scope.defaultsVar]: process.env[scope.defaultsVar] || path.join(path.dirname(machine), 'system-defaults.json'),
    },
  };
}

/** `hooks` with drover's groups appended after the machine's own, event by event. */
export function withHooks(settings: Settings, hooks: Record<string, unknown[]>): Settings {
  const merged: Record<string, unknown[]> = { ...settings.hooks };
  for (const [event, groups] of Object.entries(hooks)) merged[event] = [...(merged[event] ?? []), ...groups];
  return { ...settings, hooks: merged };
}
