/** How Gemini CLI is launched and joined: MCP through a system-settings file of its own per launch. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderDefinition } from '../define.ts';
import type { LaunchExtras, McpServerLaunch } from '../types.ts';

/** Where Gemini CLI reads the machine's system settings (its own default, unless the user moved it). */
function systemSettingsPath(): string {
  if (process.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH) return process.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH;
  return process.platform === 'darwin' ? '/Library/Application Support/GeminiCli/settings.json' : '/etc/gemini-cli/settings.json';
}

/**
 * Gemini takes MCP servers only from settings files; it merges `mcpServers` across its scopes. So
 * this launch gets its own system-scope file: the machine's system settings as they are, plus
 * drover's server (the user's ~/.gemini and the project's .gemini stay untouched and still apply).
 */
function registerMcp({ dir, server }: { dir: string; server: McpServerLaunch }): LaunchExtras {
  const system = systemSettingsPath();
  const machine = existsSync(system) ? (JSON.parse(readFileSync(system, 'utf8')) as { mcpServers?: object }) : {};
  const file = path.join(dir, 'gemini-system-settings.json');
  writeFileSync(file, JSON.stringify({ ...machine, mcpServers: { ...machine.mcpServers, drover: server } }, null, 2), { mode: 0o600 });
  return {
    args: [],
    env: {
      GEMINI_CLI_SYSTEM_SETTINGS_PATH: file,
      // Gemini looks for system defaults beside the system settings: keep them where they are.
      GEMINI_CLI_SYSTEM_DEFAULTS_PATH: process.env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH || path.join(path.dirname(system), 'system-defaults.json'),
    },
  };
}

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'gemini', install: 'npm install -g @google/gemini-cli' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  mcp: registerMcp,
};
