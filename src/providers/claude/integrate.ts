/** How Claude Code is launched and joined: a settings layer and an MCP config per launch, hooks for status and session id. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderDefinition } from '../define.ts';
import { commandHooks, hookReportOf } from '../shared/hooks.ts';

const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Notification', 'Stop'];

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'claude', install: 'npm install -g @anthropic-ai/claude-code' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  hooks({ dir, command }) {
    // A settings layer for this launch only (--settings): the user's ~/.claude stays untouched.
    const hooks = commandHooks(HOOK_EVENTS, command, (event) => (event === 'PreToolUse' ? { matcher: '*' } : {}));
    const file = path.join(dir, 'claude-settings.json');
    writeFileSync(file, JSON.stringify({ hooks }, null, 2), { mode: 0o600 });
    return { args: ['--settings', file] };
  },
  mcp({ dir, server }) {
    const file = path.join(dir, 'claude-mcp.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { drover: { type: 'stdio', ...server } } }, null, 2), { mode: 0o600 });
    return { args: ['--mcp-config', file] };
  },
  hookReport(event, payload) {
    if (event === 'UserPromptSubmit' || event === 'PreToolUse') return hookReportOf(payload, 'session_id', 'working');
    if (event === 'Stop') return hookReportOf(payload, 'session_id', 'idle');
    if (event === 'Notification' && /permission/i.test(String(payload.message ?? ''))) return hookReportOf(payload, 'session_id', 'needs_permission');
    return hookReportOf(payload, 'session_id');
  },
};
