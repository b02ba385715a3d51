/** How Codex CLI is launched and joined: config overrides per launch (`-c`), never its config file. */
import { createHash } from 'node:crypto';
import type { ProviderDefinition } from '../define.ts';
import type { Status } from '../../status/status.ts';
import { hookReportOf } from '../shared/hooks.ts';

/** drover's hook events, with the label Codex files each one's trust under. */
const HOOK_EVENTS: Record<string, string> = {
  SessionStart: 'session_start',
  UserPromptSubmit: 'user_prompt_submit',
  PermissionRequest: 'permission_request',
  Stop: 'stop',
};
/** What each hook event says of its status (SessionStart: only the session id). */
const HOOK_STATUS = new Map<string, Status>([
  ['UserPromptSubmit', 'working'],
  // Codex runs it when it has decided to ask, before its dialog is drawn.
  ['PermissionRequest', 'needs_permission'],
  ['Stop', 'idle'],
]);
/** Where Codex says hooks given as `-c` overrides come from: the root of their trust keys. */
const SESSION_FLAGS_SOURCE = '/<session-flags>/config.toml';
/** Seconds Codex gives a hook (drover's own gives up after about 2). */
const HOOK_TIMEOUT_S = 10;

/**
 * The hash Codex trusts a command hook by: SHA-256 of the canonical JSON (keys sorted, compact) of
 * the event's label and its group as normalized (timeout filled in, async false, no matcher).
 */
function trustHash(label: string, command: string): string {
  const identity = { event_name: label, hooks: [{ async: false, command, timeout: HOOK_TIMEOUT_S, type: 'command' }] };
  return `sha256:${createHash('sha256').update(JSON.stringify(identity)).digest('hex')}`;
}

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'codex', install: 'npm install -g @openai/codex' },
  resumeArgs: (sessionId) => ['resume', sessionId],
  /**
   * The hooks as one `-c hooks={…}` override (a TOML inline table; a JSON string is a TOML basic
   * string): Codex files them under its session-flags layer, beside the user's own. Codex runs a
   * hook only once it is trusted, and asks about new ones at start; `hooks.state` in the same
   * layer — read like the user's config — trusts exactly these definitions for this launch.
   */
  hooks({ command }) {
    const events: string[] = [];
    const trusted: string[] = [];
    for (const [event, label] of Object.entries(HOOK_EVENTS)) {
      const line = command(event);
      events.push(`${event}=[{hooks=[{type="command",command=${JSON.stringify(line)},timeout=${HOOK_TIMEOUT_S}}]}]`);
      trusted.push(`${JSON.stringify(`${SESSION_FLAGS_SOURCE}:${label}:0:0`)}={trusted_hash=${JSON.stringify(trustHash(label, line))}}`);
    }
    return { args: ['-c', `hooks={${events.join(',')},state={${trusted.join(',')}}}`] };
  },
  // The server's env goes by name (`env_vars`: Codex forwards those variables from its own
  // environment), never by value: argv is readable by any local user (`ps`) and is written into
  // the recording's header, and the env holds the token.
  mcp: ({ server }) => ({
    args: [
      '-c', `mcp_servers.drover.command=${JSON.stringify(server.command)}`,
      '-c', `mcp_servers.drover.args=[${server.args.map((a) => JSON.stringify(a)).join(',')}]`,
      '-c', `mcp_servers.drover.env_vars=[${Object.keys(server.env).map((k) => JSON.stringify(k)).join(',')}]`,
    ],
    env: { ...server.env },
  }),
  hookReport: (event, payload) => hookReportOf(payload, 'session_id', HOOK_STATUS.get(event)),
};
