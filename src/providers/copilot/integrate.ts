/**
 * How Copilot CLI is launched and joined: drover's hooks as a plugin loaded for this launch only
 * (`--plugin-dir`), never installed into the user's ~/.copilot; drover's MCP server in a private
 * file given with `--additional-mcp-config @FILE` (it augments ~/.copilot/mcp-config.json for this
 * session only); resume by the session id the hooks report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderDefinition } from '../define.ts';
import type { Status } from '../../status/status.ts';
import { hookReportOf } from '../shared/hooks.ts';

/**
 * The hook events drover listens to and what each says. Not `permissionRequest`: it runs before
 * the CLI's own rules decide whether to ask at all, and a hook there that answers nothing usable
 * denies the tool.
 */
const HOOK_STATUS: Record<string, Status | undefined> = {
  sessionStart: undefined, // only the session id (it fires with the first prompt)
  userPromptSubmitted: 'working', // at once: the screen shows the turn seconds later on a busy machine
  preToolUse: 'working',
  postToolUse: 'working',
  agentStop: 'idle',
};

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'copilot', install: 'npm install -g @github/copilot' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  hooks({ dir, command }) {
    const plugin = path.join(dir, 'copilot-plugin');
    mkdirSync(path.join(plugin, '.plugin'), { recursive: true });
    mkdirSync(path.join(plugin, 'hooks'), { recursive: true });
    const manifest = { name: 'drover', description: "drover's status hooks for this launch", version: '1.0.0' };
    writeFileSync(path.join(plugin, '.plugin', 'plugin.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    const hooks = Object.fromEntries(
      Object.keys(HOOK_STATUS).map((event) => [event, [{ type: 'command', bash: command(event), timeoutSec: 5 }]]),
    );
    writeFileSync(path.join(plugin, 'hooks', 'hooks.json'), JSON.stringify({ version: 1, hooks }, null, 2), { mode: 0o600 });
    return { args: ['--plugin-dir', plugin] };
  },
  mcp({ dir, server }) {
    const file = path.join(dir, 'copilot-mcp.json');
    // `tools: ["*"]`: Copilot offers the model only the tools a server's entry lists.
    writeFileSync(file, JSON.stringify({ mcpServers: { drover: { type: 'local', ...server, tools: ['*'] } } }, null, 2), { mode: 0o600 });
    return { args: ['--additional-mcp-config', `@${file}`] };
  },
  // Its session's event log, until its agentStop hook names it (transcriptPath).
  transcript: ({ sessionId, env }) => (env.HOME && /^[\w-]+$/.test(sessionId) ? path.join(env.HOME, '.copilot', 'session-state', sessionId, 'events.jsonl') : undefined),
  // Own keys only: an event named like an Object method ("constructor") says nothing.
  hookReport: (event, payload) => hookReportOf(payload, 'sessionId', Object.hasOwn(HOOK_STATUS, event) ? HOOK_STATUS[event] : undefined),
};
