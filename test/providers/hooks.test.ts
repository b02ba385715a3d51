/**
 * How each provider injects drover's hooks into one launch (never into the user's own config), and
 * what a hook call says: the status and the session id. The CLIs running them: test/live/hooks.live.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { codex } from '../../src/providers/codex/index.ts';
import { gemini } from '../../src/providers/gemini/index.ts';
import { opencode } from '../../src/providers/opencode/index.ts';
import { qwen } from '../../src/providers/qwen/index.ts';

const command = (event: string) => `'/usr/bin/node' '/opt/drover/bin/drover.js' hook x ${event}`;
const root = mkdtempSync(path.join(tmpdir(), 'drover-hooks-'));
let dirs = 0;
const freshDir = () => mkdtempSync(path.join(root, `${++dirs}-`));
afterEach(() => vi.unstubAllEnvs());
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Codex', () => {
  it('gets its hooks as one -c override, each trusted in the same layer by the hash Codex computes', () => {
    const { args, env } = codex.integrate.hooks!({ dir: freshDir(), command });
    expect(env).toBeUndefined();
    expect(args[0]).toBe('-c');
    const override = args[1]!;
    expect(override).toContain(`Stop=[{hooks=[{type="command",command=${JSON.stringify(command('Stop'))},timeout=10}]}]`);
    // Codex's own form: sha256 of the canonical JSON (keys sorted, compact) of the normalized hook.
    const identity = `{"event_name":"stop","hooks":[{"async":false,"command":${JSON.stringify(command('Stop'))},"timeout":10,"type":"command"}]}`;
    const hash = `sha256:${createHash('sha256').update(identity).digest('hex')}`;
    expect(override).toContain(`"/<session-flags>/config.toml:stop:0:0"={trusted_hash="${hash}"}`);
    for (const event of ['SessionStart', 'UserPromptSubmit', 'PermissionRequest']) expect(override).toContain(`${event}=[`);
  });

  it('maps its events: a turn, a dialog decided, the end; the session id from any', () => {
    const report = (event: string) => codex.integrate.hookReport!(event, { session_id: '01a2-uuid' });
    expect(report('SessionStart')).toEqual({ sessionId: '01a2-uuid' });
    expect(report('UserPromptSubmit')).toEqual({ sessionId: '01a2-uuid', status: 'working' });
    expect(report('PermissionRequest')).toEqual({ sessionId: '01a2-uuid', status: 'needs_permission' });
    expect(report('Stop')).toEqual({ sessionId: '01a2-uuid', status: 'idle' });
    expect(codex.integrate.resumeArgs!('01a2-uuid')).toEqual(['resume', '01a2-uuid']);
  });
});

describe.each([
  { provider: gemini, file: 'gemini-system-settings.json', settingsVar: 'GEMINI_CLI_SYSTEM_SETTINGS_PATH', defaultsVar: 'GEMINI_CLI_SYSTEM_DEFAULTS_PATH', events: ['SessionStart', 'BeforeAgent', 'Notification', 'AfterAgent'] },
  { provider: qwen, file: 'qwen-system-settings.json', settingsVar: 'QWEN_CODE_SYSTEM_SETTINGS_PATH', defaultsVar: 'QWEN_CODE_SYSTEM_DEFAULTS_PATH', events: ['SessionStart', 'UserPromptSubmit', 'PermissionRequest', 'Stop', 'StopFailure'] },
])('$provider.displayName', ({ provider, file, settingsVar, defaultsVar, events }) => {
  it("gets its own system-settings file: the machine's settings and hooks kept, drover's appended", () => {
    const dir = freshDir();
    const machine = path.join(dir, 'etc-settings.json');
    writeFileSync(machine, JSON.stringify({ telemetry: { enabled: false }, hooks: { SessionStart: [{ hooks: [{ type: 'command', command: 'corp-audit' }] }] } }));
    vi.stubEnv(settingsVar, machine);
    vi.stubEnv(defaultsVar, '');
    const { args, env } = provider.integrate.hooks!({ dir, command });
    expect(args).toEqual([]);
    expect(env).toEqual({ [settingsVar]: path.join(dir, file), [defaultsVar]: path.join(dir, 'system-defaults.json') });
    const settings = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    expect(settings.telemetry).toEqual({ enabled: false });
    expect(Object.keys(settings.hooks)).toEqual(events);
    expect(settings.hooks.SessionStart).toEqual([
      { hooks: [{ type: 'command', command: 'corp-audit' }] },
      { hooks: [{ type: 'command', command: command('SessionStart') }] },
    ]);
    // A second launch in the same folder starts again from the machine's settings.
    provider.integrate.hooks!({ dir, command });
    expect(JSON.parse(readFileSync(path.join(dir, file), 'utf8')).hooks.SessionStart).toHaveLength(2);
  });

  it('maps its events to a status, and takes the session id', () => {
    const report = (event: string, payload: Record<string, unknown> = {}) => provider.integrate.hookReport!(event, { session_id: 's-1', ...payload });
    expect(report('SessionStart')).toEqual({ sessionId: 's-1' });
    expect(report(events[1]!)).toEqual({ sessionId: 's-1', status: 'working' });
    expect(provider.integrate.resumeArgs!('s-1')).toEqual(['--resume', 's-1']);
  });
});

describe('Gemini CLI', () => {
  it('says needs_permission on a ToolPermission notification, and has its MCP server in the same file', () => {
    expect(gemini.integrate.hookReport!('Notification', { notification_type: 'ToolPermission' })).toEqual({ status: 'needs_permission' });
    // Its question tool asks through the same notification (gemini 0.61.0, question-160x50.hooks.jsonl).
    const askUser = { notification_type: 'ToolPermission', message: 'Tool requires confirmation', details: { type: 'ask_user', title: 'Ask User' } };
    expect(gemini.integrate.hookReport!('Notification', askUser)).toEqual({ status: 'needs_input' });
    expect(gemini.integrate.hookReport!('Notification', { notification_type: 'Other' })).toEqual({});
    expect(gemini.integrate.hookReport!('AfterAgent', {})).toEqual({ status: 'idle' });
    const dir = freshDir();
    vi.stubEnv('GEMINI_CLI_SYSTEM_SETTINGS_PATH', path.join(dir, 'none.json'));
    gemini.integrate.hooks!({ dir, command });
    const server = { command: 'node', args: ['drover.js', 'mcp'], env: { DROVER_AGENT_ID: 'a1' } };
    gemini.integrate.mcp!({ dir, server });
    const settings = JSON.parse(readFileSync(path.join(dir, 'gemini-system-settings.json'), 'utf8'));
    expect(settings.mcpServers).toEqual({ drover: server });
    expect(Object.keys(settings.hooks)).toHaveLength(4);
  });
});

describe('Qwen Code', () => {
  it('says needs_permission when it opens its dialog, error when a turn fails', () => {
    expect(qwen.integrate.hookReport!('PermissionRequest', {})).toEqual({ status: 'needs_permission' });
    expect(qwen.integrate.hookReport!('Stop', {})).toEqual({ status: 'idle' });
    expect(qwen.integrate.hookReport!('StopFailure', {})).toEqual({ status: 'error' });
  });

  it('says needs_input when the dialog its PermissionRequest hook is asked about is its question tool (0.24)', () => {
    expect(qwen.integrate.hookReport!('PermissionRequest', { tool_name: 'ask_user_question' })).toEqual({ status: 'needs_input' });
    expect(qwen.integrate.hookReport!('PermissionRequest', { tool_name: 'run_shell_command' })).toEqual({ status: 'needs_permission' });
  });
});

describe('opencode', () => {
  it("gets a plugin named in OPENCODE_CONFIG_CONTENT, beside config the user passes that way", () => {
    const dir = freshDir();
    vi.stubEnv('OPENCODE_CONFIG_CONTENT', JSON.stringify({ model: 'corp/m', plugin: ['corp-plugin'] }));
    const { args, env } = opencode.integrate.hooks!({ dir, command });
    expect(args).toEqual([]);
    const plugin = path.join(dir, 'drover-opencode-plugin.js');
    expect(JSON.parse(env!.OPENCODE_CONFIG_CONTENT!)).toEqual({ model: 'corp/m', plugin: ['corp-plugin', `file://${plugin}`] });
    const source = readFileSync(plugin, 'utf8');
    expect(source).toContain(JSON.stringify(command('permission.asked')));
    expect(source).not.toContain('DROVER_HOOK_TOKEN');
  });

  it('injects nothing over config it cannot edit safely (JSONC)', () => {
    vi.stubEnv('OPENCODE_CONFIG_CONTENT', '{ // mine\n "model": "corp/m" }');
    expect(opencode.integrate.hooks!({ dir: freshDir(), command })).toEqual({ args: [] });
  });

  it("runs the hook command per event, once per status change, one at a time, with the event's properties", async () => {
    const dir = freshDir();
    const log = path.join(dir, 'calls.log');
    const logging = (event: string) => `cat >> ${log}; echo " ${event}" >> ${log}`;
    opencode.integrate.hooks!({ dir, command: logging });
    const { DroverHooks } = (await import(path.join(dir, 'drover-opencode-plugin.js'))) as { DroverHooks: () => Promise<{ event: (e: object) => Promise<void> }> };
    const hooks = await DroverHooks();
    const status = (type: string) => ({ event: { type: 'session.status', properties: { sessionID: 's', status: { type } } } });
    await hooks.event(status('busy'));
    await hooks.event(status('busy'));
    await hooks.event({ event: { type: 'message.part.updated', properties: {} } });
    await hooks.event({ event: { type: 'permission.asked', properties: { id: 'p1' } } });
    await hooks.event(status('idle'));
    // Each report names the transcript the plugin writes beside it.
    const transcript = JSON.stringify(path.join(dir, 'opencode-transcript.jsonl'));
    const expected = [
      `{"sessionID":"s","status":{"type":"busy"},"transcript_path":${transcript}} session.status`,
      `{"id":"p1","transcript_path":${transcript}} permission.asked`,
      `{"sessionID":"s","status":{"type":"idle"},"transcript_path":${transcript}} session.status`,
    ];
    await vi.waitFor(() => expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(expected), { timeout: 5000 });
  });

  it('writes a transcript from the bus events that carry the messages: prompts, finished texts whole, tool calls; no subagent', async () => {
    const dir = freshDir();
    opencode.integrate.hooks!({ dir, command: () => 'true' });
    const { DroverHooks } = (await import(path.join(dir, 'drover-opencode-plugin.js'))) as { DroverHooks: () => Promise<{ event: (e: object) => Promise<void> }> };
    const hooks = await DroverHooks();
    const send = (type: string, properties: object) => hooks.event({ event: { type, properties } });
    const message = (id: string, role: string, sessionID = 's') => send('message.updated', { info: { id, role, sessionID } });
    const part = (p: object) => send('message.part.updated', { part: { sessionID: 's', ...p } });
    await message('m1', 'user');
    await part({ id: 'p0', messageID: 'm1', type: 'text', text: 'the prompt', time: { start: 1, end: 2 } }); // the person's own text: not the model's
    await message('m2', 'assistant');
    await part({ id: 'p1', messageID: 'm2', type: 'text', text: 'I will', time: { start: 1 } }); // still streaming
    await part({ id: 'p1', messageID: 'm2', type: 'text', text: 'I will look.', time: { start: 1, end: 2 } });
    await part({ id: 'p2', messageID: 'm2', type: 'tool', tool: 'bash', state: { status: 'pending' } });
    await part({ id: 'p2', messageID: 'm2', type: 'tool', tool: 'bash', state: { status: 'completed' } });
    await send('session.created', { info: { id: 'sub', parentID: 's' } });
    await message('m3', 'assistant', 'sub');
    await send('message.part.updated', { part: { id: 'p3', sessionID: 'sub', messageID: 'm3', type: 'text', text: 'a subagent', time: { end: 2 } } });
    await message('m4', 'assistant');
    await part({ id: 'p4', messageID: 'm4', type: 'text', text: 'Done:\n\nall of it.', time: { start: 1, end: 2 } });
    const text = readFileSync(path.join(dir, 'opencode-transcript.jsonl'), 'utf8');
    expect(text.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { kind: 'prompt', id: 'm1', session: 's' },
      { kind: 'text', id: 'p1', session: 's', text: 'I will look.' },
      { kind: 'tool', id: 'p2', session: 's' },
      { kind: 'text', id: 'p4', session: 's', text: 'Done:\n\nall of it.' },
    ]);
    expect(opencode.read.transcriptResponse!(text)).toBe('Done:\n\nall of it.');
  });

  it('maps its bus events; only a top-level session is the one to resume', () => {
    const report = opencode.integrate.hookReport!;
    expect(report('session.created', { info: { id: 'ses_1' } })).toEqual({ sessionId: 'ses_1' });
    expect(report('session.created', { info: { id: 'ses_2', parentID: 'ses_1' } })).toEqual({});
    expect(report('session.status', { status: { type: 'busy' } })).toEqual({ status: 'working' });
    expect(report('session.status', { status: { type: 'retry' } })).toEqual({ status: 'working' });
    expect(report('session.status', { status: { type: 'idle' } })).toEqual({ status: 'idle' });
    expect(report('permission.asked', {})).toEqual({ status: 'needs_permission' });
    expect(report('question.asked', {})).toEqual({ status: 'needs_input' });
    expect(report('session.error', {})).toEqual({ status: 'error' });
    expect(report('session.error', { error: { name: 'APIError', data: { message: 'mockllm scripted error: invalid request' } } })).toEqual({ status: 'error' });
    // An Esc interrupt, as opencode 1.18.33 reports it (fixtures/opencode/1.18.33/interrupt-160x50.hooks.jsonl): no error.
    expect(report('session.error', { error: { name: 'MessageAbortedError', data: { message: 'Aborted' } } })).toEqual({});
    expect(report('session.status', { status: { type: 'idle' }, transcript_path: '/x/opencode-transcript.jsonl' })).toEqual({ status: 'idle', transcriptPath: '/x/opencode-transcript.jsonl' });
    expect(report('session.status', { transcript_path: 'relative.jsonl' })).toEqual({});
    expect(opencode.integrate.resumeArgs!('ses_1')).toEqual(['--session', 'ses_1']);
  });
});
