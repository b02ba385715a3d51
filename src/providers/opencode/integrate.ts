/** How opencode is launched and joined: a plugin of drover's per launch, loaded through OPENCODE_CONFIG_CONTENT. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderDefinition } from '../define.ts';
import { stringField } from '../shared/hooks.ts';

/** The bus events the plugin passes on: what they say of the status, and the session. */
const EVENTS = ['session.created', 'session.status', 'permission.asked', 'question.asked', 'session.error'];

/**
 * opencode has no command hooks: a plugin sees its bus events in-process. drover's runs the hook
 * command for the few that matter, one at a time and without making opencode wait (a Node start
 * each, so a `session.status` only when the status changed). The events carry no secret; the
 * hook's token is in the environment opencode passes on.
 */
function pluginSource(command: (event: string) => string): string {
  const commands = JSON.stringify(Object.fromEntries(EVENTS.map((event) => [event, command(event)])));
  return `// drover's hooks for one opencode launch (written by drover; safe to delete once it has exited).
import { spawn } from 'node:child_process';

const COMMANDS = ${commands};

export const DroverHooks = async () => {
  let queue = Promise.resolve();
  let lastStatus;
  const report = (command, payload) =>
    new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', resolve);
      child.on('close', resolve);
      child.stdin.on('error', () => {});
      child.stdin.end(JSON.stringify(payload));
    });
  return {
    event: async ({ event }) => {
      const command = COMMANDS[event.type];
      if (!command) return;
      if (event.type === 'session.status') {
        if (event.properties.status?.type === lastStatus) return;
        lastStatus = event.properties.status?.type;
      }
      queue = queue.then(() => report(command, event.properties));
    },
  };
};
`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'opencode', install: 'npm install -g opencode-ai' },
  resumeArgs: (sessionId) => ['--session', sessionId],
  hooks({ dir, command }) {
    const plugin = path.join(dir, 'drover-opencode-plugin.js');
    writeFileSync(plugin, pluginSource(command), { mode: 0o600 });
    // An inline config layer: opencode adds its plugins to those of the user's own config files.
    // Config the user passes the same way is kept, with drover's plugin added to its own.
    const own = parseObject(process.env.OPENCODE_CONFIG_CONTENT ?? '{}');
    if (!own) return { args: [] }; // JSONC, which drover cannot edit safely: no hooks this launch
    const plugins = Array.isArray(own.plugin) ? own.plugin : [];
    return { args: [], env: { OPENCODE_CONFIG_CONTENT: JSON.stringify({ ...own, plugin: [...plugins, `file://${plugin}`] }) } };
  },
  hookReport(event, payload) {
    if (event === 'session.created') {
      const info = (payload.info ?? {}) as Record<string, unknown>;
      // A subagent's session is a child of the one the person works in: only that one is resumed.
      const sessionId = info.parentID ? undefined : stringField(info, 'id');
      return sessionId ? { sessionId } : {};
    }
    if (event === 'session.status') {
      const type = (payload.status as { type?: string } | undefined)?.type;
      if (type === 'busy' || type === 'retry') return { status: 'working' };
      if (type === 'idle') return { status: 'idle' };
      return {};
    }
    if (event === 'permission.asked') return { status: 'needs_permission' };
    if (event === 'question.asked') return { status: 'needs_input' };
    if (event === 'session.error') return { status: 'error' };
    return {};
  },
};
