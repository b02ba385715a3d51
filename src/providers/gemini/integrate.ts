/** How Gemini CLI is launched and joined: hooks and MCP through a system-settings file of its own per launch. */
import type { ProviderDefinition } from '../define.ts';
import { commandHooks, hookReportOf, systemSettingsLayer, withHooks, type SystemSettingsScope } from '../shared/hooks.ts';

const SYSTEM_SETTINGS: SystemSettingsScope = {
  file: 'gemini-system-settings.json',
  settingsVar: 'GEMINI_CLI_SYSTEM_SETTINGS_PATH',
  defaultsVar: 'GEMINI_CLI_SYSTEM_DEFAULTS_PATH',
  machinePath: process.platform === 'darwin' ? '/Library/Application Support/GeminiCli/settings.json' : '/etc/gemini-cli/settings.json',
};

/** Gemini waits for each hook; only these say something about its status or session. */
const HOOK_EVENTS = ['SessionStart', 'BeforeAgent', 'Notification', 'AfterAgent'];

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'gemini', install: 'npm install -g @google/gemini-cli' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  hooks: ({ dir, command }) =>
    systemSettingsLayer(SYSTEM_SETTINGS, dir, (settings) => withHooks(settings, commandHooks(HOOK_EVENTS, command)), true),
  mcp: ({ dir, server }) =>
    systemSettingsLayer(SYSTEM_SETTINGS, dir, (settings) => ({ ...settings, mcpServers: { ...(settings.mcpServers as object), drover: server } }), false),
  hookReport(event, payload) {
    if (event === 'BeforeAgent') return hookReportOf(payload, 'session_id', 'working');
    // Sent when Gemini has decided to ask, as it draws the dialog; its question tool (ask_user)
    // asks through the same confirmation ("details": {"type": "ask_user"}): a question, not a permission.
    if (event === 'Notification' && payload.notification_type === 'ToolPermission') {
      const details = payload.details as { type?: unknown } | undefined;
      return hookReportOf(payload, 'session_id', details?.type === 'ask_user' ? 'needs_input' : 'needs_permission');
    }
    if (event === 'AfterAgent') return hookReportOf(payload, 'session_id', 'idle');
    return hookReportOf(payload, 'session_id');
  },
};
