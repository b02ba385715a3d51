/** How Qwen Code is launched and joined: hooks through a system-settings file of its own per launch. */
import type { ProviderDefinition } from '../define.ts';
import { commandHooks, stringField, systemSettingsLayer, withHooks, type SystemSettingsScope } from '../shared/hooks.ts';

const SYSTEM_SETTINGS: SystemSettingsScope = {
  file: 'qwen-system-settings.json',
  settingsVar: 'QWEN_CODE_SYSTEM_SETTINGS_PATH',
  defaultsVar: 'QWEN_CODE_SYSTEM_DEFAULTS_PATH',
  machinePath:
    process.platform === 'darwin' ? '/Library/Application Support/QwenCode/settings.json' : '/etc/qwen-code/settings.json',
};

/** Qwen waits for each hook; only these say something about its status or session. */
const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PermissionRequest', 'Stop', 'StopFailure'];

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'qwen', install: 'npm install -g @qwen-code/qwen-code' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  hooks: ({ dir, command }) =>
    systemSettingsLayer(SYSTEM_SETTINGS, dir, (settings) => withHooks(settings, commandHooks(HOOK_EVENTS, command)), true),
  hookReport(event, payload) {
    const sessionId = stringField(payload, 'session_id');
    const report = sessionId ? { sessionId } : {};
    if (event === 'UserPromptSubmit') return { ...report, status: 'working' };
    // Run as Qwen opens its dialog, before the dialog is drawn.
    if (event === 'PermissionRequest') return { ...report, status: 'needs_permission' };
    if (event === 'Stop') return { ...report, status: 'idle' };
    // The turn ended on an API error.
    if (event === 'StopFailure') return { ...report, status: 'error' };
    return report;
  },
};
