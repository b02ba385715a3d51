/** How Qwen Code is launched and joined: hooks through a system-settings file of its own per launch. */
import type { ProviderDefinition } from '../define.ts';
import type { Status } from '../../status/status.ts';
import { commandHooks, hookReportOf, systemSettingsLayer, withHooks, type SystemSettingsScope } from '../shared/hooks.ts';

const SYSTEM_SETTINGS: SystemSettingsScope = {
  file: 'qwen-system-settings.json',
  settingsVar: 'QWEN_CODE_SYSTEM_SETTINGS_PATH',
  defaultsVar: 'QWEN_CODE_SYSTEM_DEFAULTS_PATH',
  machinePath:
    process.platform === 'darwin' ? '/Library/Application Support/QwenCode/settings.json' : '/etc/qwen-code/settings.json',
};

/** Qwen waits for each hook; only these say something about its status or session. */
const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PermissionRequest', 'Stop', 'StopFailure'];
/** What each says of its status (SessionStart: only the session id). */
const HOOK_STATUS = new Map<string, Status>([
  ['UserPromptSubmit', 'working'],
  // Run as Qwen opens its dialog, before the dialog is drawn.
  ['PermissionRequest', 'needs_permission'],
  ['Stop', 'idle'],
  // The turn ended on an API error.
  ['StopFailure', 'error'],
]);

/** 0.24 asks its PermissionRequest hooks about its question tool too: that dialog is a question. */
function hookStatus(event: string, payload: Record<string, unknown>): Status | undefined {
  if (event === 'PermissionRequest' && payload.tool_name === QUESTION_TOOL) return 'needs_input';
  return HOOK_STATUS.get(event);
}

const QUESTION_TOOL = 'ask_user_question';

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'qwen', install: 'npm install -g @qwen-code/qwen-code' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  hooks: ({ dir, command }) =>
    systemSettingsLayer(SYSTEM_SETTINGS, dir, (settings) => withHooks(settings, commandHooks(HOOK_EVENTS, command)), true),
  hookReport: (event, payload) => hookReportOf(payload, 'session_id', hookStatus(event, payload)),
};
