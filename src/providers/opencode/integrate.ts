/** How opencode is launched and joined: a plugin of drover's per launch, loaded through OPENCODE_CONFIG_CONTENT. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderDefinition } from '../define.ts';
import type { HookReport } from '../types.ts';
import { stringField } from '../shared/hooks.ts';

/** The bus events the plugin passes on: what they say of the status, and the session. */
const EVENTS = ['session.created', 'session.status', 'permission.asked', 'question.asked', 'session.error'];
/** The transcript drover's plugin writes, in drover's folder for the launch. */
export const TRANSCRIPT_FILE = 'opencode-transcript.jsonl';

/**
 * opencode has no command hooks: a plugin sees its bus events in-process. drover's runs the hook
 * command for the few that matter, one at a time and without making opencode wait (a Node start
 * each, so a `session.status` only when the status changed). The events carry no secret; the
 * hook's token is in the environment opencode passes on.
 *
 * opencode keeps its sessions in a SQLite database, which Node 20 cannot read; so the plugin also
 * writes a transcript of its own, in drover's folder for the launch (`TRANSCRIPT`), from the bus
 * events that carry the messages: a line per person's message (`prompt`), per finished text part
 * of the model's (`text`, whole) and per tool call (`tool`), each with its id (a later line with
 * the same id replaces the earlier one). Subagents' sessions are left out. Every hook report
 * names the file (`transcript_path`), as the other CLIs' hooks do.
 */
function pluginSource(command: (event: string) => string, transcript: string): string {
  const commands = JSON.stringify(Object.fromEntries(EVENTS.map((event) => [event, command(event)])));
  return `// drover's hooks for one opencode launch (written by drover; safe to delete once it has exited).
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const COMMANDS = ${commands};
const TRANSCRIPT = ${JSON.stringify(transcript)};

export const DroverHooks = async () => {
  let queue = Promise.resolve();
  let lastStatus;
  const roles = new Map();
  const subagents = new Set();
  const seen = new Set();
  const write = (line) => {
    try {
      appendFileSync(TRANSCRIPT, JSON.stringify(line) + '\\n', { mode: 0o600 });
    } catch {}
  };
  const transcribe = (event) => {
    const p = event.properties ?? {};
    if (event.type === 'session.created' && p.info?.parentID) subagents.add(p.info.id);
    if (event.type === 'message.updated' && p.info && !subagents.has(p.info.sessionID)) {
      roles.set(p.info.id, p.info.role);
      if (p.info.role === 'user' && !seen.has(p.info.id)) {
        seen.add(p.info.id);
        write({ kind: 'prompt', id: p.info.id, session: p.info.sessionID });
      }
    }
    if (event.type === 'message.part.updated' && p.part && !subagents.has(p.part.sessionID) && roles.get(p.part.messageID) === 'assistant') {
      const part = p.part;
      if (part.type === 'text' && part.time?.end && !part.synthetic && !part.ignored) write({ kind: 'text', id: part.id, session: part.sessionID, text: part.text ?? '' });
      else if (part.type === 'tool' && !seen.has(part.id)) {
        seen.add(part.id);
        write({ kind: 'tool', id: part.id, session: part.sessionID });
      }
    }
  };
  const report = (command, payload) =>
    new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', resolve);
      child.on('close', resolve);
      child.stdin.on('error', () => {});
      child.stdin.end(JSON.stringify({ ...payload, transcript_path: TRANSCRIPT }));
    });
  return {
    event: async ({ event }) => {
      transcribe(event);
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
    writeFileSync(plugin, pluginSource(command, path.join(dir, TRANSCRIPT_FILE)), { mode: 0o600 });
    // An inline config layer: opencode adds its plugins to those of the user's own config files.
    // Config the user passes the same way is kept, with drover's plugin added to its own.
    const own = parseObject(process.env.OPENCODE_CONFIG_CONTENT ?? '{}');
    if (!own) return { args: [] }; // JSONC, which drover cannot edit safely: no hooks this launch
    const plugins = Array.isArray(own.plugin) ? own.plugin : [];
    return { args: [], env: { OPENCODE_CONFIG_CONTENT: JSON.stringify({ ...own, plugin: [...plugins, `file://${plugin}`] }) } };
  },
  hookReport(event, payload) {
    const transcript = stringField(payload, 'transcript_path');
    const said = opencodeReport(event, payload);
    return transcript && path.isAbsolute(transcript) ? { ...said, transcriptPath: transcript } : said;
  },
};

function opencodeReport(event: string, payload: Record<string, unknown>): HookReport {
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
  // An Esc interrupt is reported as an error too (MessageAbortedError): the person ended the turn.
  if (event === 'session.error') return (payload.error as { name?: string } | undefined)?.name === 'MessageAbortedError' ? {} : { status: 'error' };
  return {};
}
