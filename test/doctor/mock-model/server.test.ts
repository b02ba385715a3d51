import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockEvent, type MockServer } from '../../../src/doctor/mock-model/server.ts';
import { until } from '../../helpers/until.ts';
import {
  anthropicBody,
  anthropicToolResult,
  chatBody,
  geminiBody,
  opencodeTools,
  parseSse,
  post,
  qwenSuggestionBody,
  qwenTools,
  responsesBody,
  type Frame,
} from './test-client.ts';

let server: MockServer;
let events: MockEvent[] = [];

beforeAll(async () => {
  server = await startMockServer({ port: 0 });
  server.events.on('mock-event', (e: MockEvent) => events.push(e));
});
afterAll(() => server.close());
beforeEach(() => {
  events = [];
});

const anthropicUrl = () => `${server.url}/v1/messages?beta=true`;
const responsesUrl = () => `${server.url}/v1/responses`;
const chatUrl = () => `${server.url}/v1/chat/completions`;
const geminiUrl = (method = 'streamGenerateContent?alt=sse') => `${server.url}/v1beta/models/gemini-2.5-pro:${method}`;

const types = (frames: Frame[]) => frames.map((f) => f.data?.type ?? f.data);
const kinds = () => events.map((e) => e.kind);
const lastLog = () => server.log.at(-1)!;

describe('anthropic', () => {
  it('streams thinking and text word by word', async () => {
    server.setScenario({ turns: [{ thinking: 'Let me think.', text: 'Hello there, world.' }] });
    const res = await post(anthropicUrl(), anthropicBody('hi'));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const frames = parseSse(res.text);
    expect(frames.every((f) => f.event === f.data.type)).toBe(true);
    expect(types(frames)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const deltas = frames.filter((f) => f.data.type === 'content_block_delta').map((f) => f.data.delta);
    expect(deltas.filter((d) => d.type === 'thinking_delta').map((d) => d.thinking).join('')).toBe('Let me think.');
    expect(deltas.some((d) => d.type === 'signature_delta')).toBe(true);
    expect(deltas.filter((d) => d.type === 'text_delta').map((d) => d.text)).toEqual(['Hello ', 'there, ', 'world.']);
    expect(frames.at(-2)!.data.delta.stop_reason).toBe('end_turn');
    expect(kinds()).toEqual(['request', 'stream-start', 'first-token', 'turn-end']);
    expect(events[0]).toMatchObject({ role: 'main', protocol: 'anthropic', turn: 0 });
  });

  it('maps a shell turn to Bash, and the tool result consumes the next turn', async () => {
    server.setScenario({ turns: [{ text: 'Running it.', tool: { shell: 'touch x' } }, { text: 'Done.' }] });
    const frames = parseSse((await post(anthropicUrl(), anthropicBody('go'))).text);
    const start = frames.find((f) => f.data.content_block?.type === 'tool_use')!;
    expect(start.data.content_block).toMatchObject({ name: 'Bash', input: {} });
    const json = frames
      .filter((f) => f.data.delta?.type === 'input_json_delta')
      .map((f) => f.data.delta.partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ command: 'touch x', description: 'Run: touch x' });
    expect(frames.find((f) => f.data.type === 'message_delta')!.data.delta.stop_reason).toBe('tool_use');
    expect(kinds()).toEqual(['request', 'stream-start', 'first-token', 'tool-call-sent', 'turn-end']);
    const at = Object.fromEntries(events.map((e) => [e.kind, e.at]));
    expect(at['request']! <= at['tool-call-sent']! && at['tool-call-sent']! <= at['turn-end']!).toBe(true);

    const next = parseSse((await post(anthropicUrl(), anthropicToolResult('go'))).text);
    expect(next.find((f) => f.data.delta?.type === 'text_delta')!.data.delta.text).toBe('Done.');
    expect(lastLog()).toMatchObject({ role: 'main', last_input: 'user:tool_result', turn: [1] });
  });

  it('answers non-streaming requests and count_tokens with JSON', async () => {
    server.setScenario({ turns: [{ text: 'Plain.', tool: { name: 'Read', input: { file_path: 'a' } } }] });
    const res = await post(anthropicUrl(), anthropicBody('hi', { stream: false }));
    expect(JSON.parse(res.text)).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'Plain.' }, { type: 'tool_use', name: 'Read', input: { file_path: 'a' } }],
      stop_reason: 'tool_use',
    });
    const count = await post(`${server.url}/v1/messages/count_tokens`, anthropicBody('hi'));
    expect(JSON.parse(count.text).input_tokens).toBeGreaterThan(0);
  });
});

describe('openai responses', () => {
  it('streams text then an escalated exec_command call', async () => {
    server.setScenario({ turns: [{ thinking: 'Plan.', text: 'I will run it.', tool: { shell: 'touch y' } }] });
    const frames = parseSse((await post(responsesUrl(), responsesBody('go'))).text);
    expect(frames.every((f) => f.event === f.data.type)).toBe(true);
    expect(frames.map((f) => f.data.sequence_number)).toEqual(frames.map((_, i) => i));
    const sequence = types(frames).filter((t, i, all) => t !== all[i - 1]);
    expect(sequence).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const text = frames.filter((f) => f.data.type === 'response.output_text.delta').map((f) => f.data.delta).join('');
    expect(text).toBe('I will run it.');
    const completed = frames.at(-1)!.data.response;
    expect(completed.usage.total_tokens).toBeGreaterThan(0);
    const call = completed.output.find((o: any) => o.type === 'function_call');
    expect(call.name).toBe('exec_command');
    expect(JSON.parse(call.arguments)).toEqual({
      cmd: 'touch y',
      sandbox_permissions: 'require_escalated',
      justification: 'Do you want to run `touch y`?',
    });
  });

  it('sends a plain exec_command with escalate:false, and custom / local_shell calls when offered', async () => {
    server.setScenario({
      turns: [
        { tool: { shell: 'ls', escalate: false } },
        { tool: { name: 'apply_patch', input: '*** Begin Patch' } },
        { tool: { shell: 'pwd' } },
      ],
    });
    const completed = async (body: unknown) => parseSse((await post(responsesUrl(), body)).text).at(-1)!.data.response.output[0];
    expect(JSON.parse((await completed(responsesBody('a'))).arguments)).toEqual({ cmd: 'ls' });
    expect(await completed(responsesBody('a'))).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch' });
    expect(await completed(responsesBody('a', { tools: [{ type: 'local_shell' }] }))).toMatchObject({
      type: 'local_shell_call',
      action: { type: 'exec', command: ['bash', '-lc', 'pwd'] },
    });
  });
});

describe('openai chat completions', () => {
  it('streams reasoning, text and a bash call for opencode, then usage and [DONE]', async () => {
    server.setScenario({ turns: [{ thinking: 'Hmm.', text: 'On it.', tool: { shell: 'touch z' } }] });
    const body = chatBody('go', opencodeTools, { stream_options: { include_usage: true } });
    const frames = parseSse((await post(chatUrl(), body)).text);
    expect(frames.at(-1)!.data).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((f) => f.data);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    const deltas = chunks.filter((c) => c.choices.length > 0).map((c) => c.choices[0].delta);
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('Hmm.');
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('On it.');
    const calls = deltas.flatMap((d) => d.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'bash' } });
    expect(JSON.parse(calls.map((c) => c.function.arguments).join(''))).toEqual({ command: 'touch z', description: 'Run: touch z' });
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0].finish_reason);
    expect(finish).toEqual(['tool_calls']);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it("maps a shell turn to Qwen's run_shell_command, filling its schema", async () => {
    server.setScenario({ turns: [{ tool: { shell: 'touch q' } }] });
    const res = await post(chatUrl(), chatBody('go', qwenTools, { stream: false }));
    const message = JSON.parse(res.text).choices[0].message;
    expect(JSON.parse(message.tool_calls[0].function.arguments)).toEqual({
      command: 'touch q',
      description: 'Run: touch q',
      is_background: false,
    });
  });
});

describe('gemini', () => {
  it('streams text and a functionCall over SSE', async () => {
    server.setScenario({ turns: [{ thinking: 'Think.', text: 'Calling.', tool: { shell: 'touch g' } }] });
    const frames = parseSse((await post(geminiUrl(), geminiBody('go'))).text);
    const parts = frames.flatMap((f) => f.data.candidates[0].content?.parts ?? []);
    expect(parts[0]).toEqual({ text: 'Think.', thought: true });
    expect(parts.filter((p: any) => p.text !== undefined && !p.thought).map((p: any) => p.text).join('')).toBe('Calling.');
    expect(parts.at(-1)).toEqual({ functionCall: { name: 'run_shell_command', args: { command: 'touch g' } } });
    expect(frames.at(-1)!.data.candidates[0].finishReason).toBe('STOP');
    expect(frames.at(-1)!.data.usageMetadata.totalTokenCount).toBeGreaterThan(0);
    expect(lastLog()).toMatchObject({ protocol: 'gemini', model: 'gemini-2.5-pro', stream: true, n_tools: 2 });
  });

  it('serves the JSON-array stream, generateContent and countTokens', async () => {
    server.setScenario({ turns: [{ text: 'One two.' }, { text: 'Whole.' }] });
    const array = JSON.parse((await post(geminiUrl('streamGenerateContent'), geminiBody('go'))).text);
    expect(array.flatMap((c: any) => c.candidates[0].content?.parts ?? []).map((p: any) => p.text).join('')).toBe('One two.');
    const whole = JSON.parse((await post(geminiUrl('generateContent'), geminiBody('go'))).text);
    expect(whole.candidates[0]).toMatchObject({ content: { role: 'model', parts: [{ text: 'Whole.' }] }, finishReason: 'STOP' });
    const count = JSON.parse((await post(geminiUrl('countTokens'), geminiBody('go'))).text);
    expect(count.totalTokens).toBeGreaterThan(0);
  });
});

describe('literal tool calls', () => {
  it('pass through unchanged on every protocol (e.g. a question for the user)', async () => {
    const input = { questions: [{ question: 'Which one?', options: [{ label: 'A' }, { label: 'B' }] }] };
    const turn = { tool: { name: 'AskUserQuestion', input } };
    server.setScenario({ turns: [turn, turn, turn, turn] });
    const a = parseSse((await post(anthropicUrl(), anthropicBody('q'))).text);
    expect(JSON.parse(a.filter((f) => f.data.delta?.partial_json !== undefined).map((f) => f.data.delta.partial_json).join(''))).toEqual(input);
    const r = parseSse((await post(responsesUrl(), responsesBody('q'))).text).at(-1)!.data.response.output[0];
    expect([r.name, JSON.parse(r.arguments)]).toEqual(['AskUserQuestion', input]);
    const c = JSON.parse((await post(chatUrl(), chatBody('q', opencodeTools, { stream: false }))).text).choices[0].message;
    expect([c.tool_calls[0].function.name, JSON.parse(c.tool_calls[0].function.arguments)]).toEqual(['AskUserQuestion', input]);
    const g = JSON.parse((await post(geminiUrl('generateContent'), geminiBody('q'))).text).candidates[0].content.parts[0];
    expect(g).toEqual({ functionCall: { name: 'AskUserQuestion', args: input } });
  });
});

describe('errors', () => {
  it('send a protocol-correct body with retry-after, and error-sent', async () => {
    server.setScenario({ turns: [{ error: 529, retry_after: 3 }, { error: 400 }, { error: 400 }, { error: 503, message: 'busy' }] });
    const a = await post(anthropicUrl(), anthropicBody('e'));
    expect(a.status).toBe(529);
    expect(a.headers.get('retry-after')).toBe('3');
    expect(JSON.parse(a.text)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded (mockllm scripted)' },
    });
    expect(kinds()).toEqual(['request', 'error-sent']);
    expect(events[1]!.detail).toBe('529');

    // opencode retries anything typed server_error, even a 400.
    const r = await post(responsesUrl(), responsesBody('e'));
    expect([r.status, JSON.parse(r.text).error.type]).toEqual([400, 'invalid_request_error']);
    const c = await post(chatUrl(), chatBody('e', opencodeTools));
    expect(JSON.parse(c.text).error).toEqual({
      message: 'mockllm scripted error: invalid request',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    const g = await post(geminiUrl(), geminiBody('e'));
    expect([g.status, JSON.parse(g.text)]).toEqual([503, { error: { code: 503, message: 'busy', status: 'UNAVAILABLE' } }]);
  });

  it('sticky repeats through retries and tool results until a new prompt', async () => {
    server.setScenario({ turns: [{ error: 529, sticky: true }, { text: 'Back.' }] });
    expect((await post(anthropicUrl(), anthropicBody('first'))).status).toBe(529);
    expect((await post(anthropicUrl(), anthropicBody('first'))).status).toBe(529);
    expect((await post(anthropicUrl(), anthropicToolResult('first'))).status).toBe(529);
    const next = anthropicBody('second', {
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'x' },
        { role: 'user', content: 'second' },
      ],
    });
    expect((await post(anthropicUrl(), next)).status).toBe(200);
    expect(server.log.slice(-4).map((l) => l.serve?.source)).toEqual(['turn', 'sticky', 'sticky', 'turn']);
  });
});

describe('stalls', () => {
  it('a stall-only turn prefixes the next turn; release ends it early', async () => {
    server.setScenario({ turns: [{ stall_s: 30 }, { text: 'After the stall.' }] });
    const started = Date.now();
    const pending = fetch(anthropicUrl(), { method: 'POST', body: JSON.stringify(anthropicBody('s')) });
    const res = await pending; // headers arrive before the stall
    expect(res.status).toBe(200);
    await until(() => kinds().includes('stall-start'), 'a stall-start event');
    expect(kinds()).toEqual(['request', 'stall-start']);
    server.release();
    const frames = parseSse(await res.text());
    expect(Date.now() - started).toBeLessThan(2000);
    const text = frames.filter((f) => f.data.delta?.type === 'text_delta').map((f) => f.data.delta.text);
    expect(text.join('')).toBe('After the stall.');
    expect(lastLog()).toMatchObject({ turn: [0, 1], serve: { stall_s: 30 } });
    expect(kinds()).toEqual(['request', 'stall-start', 'stream-start', 'first-token', 'turn-end']);
  });

  it('the /_mock/release endpoint ends a stalled error too', async () => {
    server.setScenario({ turns: [{ error: 529, stall_s: 30 }] });
    const pending = post(chatUrl(), chatBody('s', opencodeTools));
    await until(() => kinds().includes('stall-start'), 'a stall-start event');
    const released = await post(`${server.url}/_mock/release`, '');
    expect(JSON.parse(released.text)).toEqual({ ok: true, released: 1 });
    expect((await pending).status).toBe(529);
  });

  it('a client that hangs up mid-stream gets no turn-end, and the server carries on', async () => {
    server.setScenario({ turns: [{ text: 'one two three four five six', delay_ms_per_word: 50 }, { text: 'Next.' }] });
    const abort = new AbortController();
    const res = await fetch(chatUrl(), { method: 'POST', body: JSON.stringify(chatBody('a', opencodeTools)), signal: abort.signal });
    await until(() => kinds().includes('first-token'), 'a first-token event');
    abort.abort();
    await res.text().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 120));
    expect(kinds()).toEqual(['request', 'stream-start', 'first-token']);
    const next = JSON.parse((await post(chatUrl(), chatBody('b', opencodeTools, { stream: false }))).text);
    expect(next.choices[0].message.content).toBe('Next.');
  });

  it('delay_ms_per_word spaces the words out', async () => {
    server.setScenario({ turns: [{ text: 'a b c d e', delay_ms_per_word: 40 }] });
    await post(chatUrl(), chatBody('d', opencodeTools));
    const at = Object.fromEntries(events.map((e) => [e.kind, e.at]));
    expect(at['turn-end']! - at['first-token']!).toBeGreaterThanOrEqual(150);
  });
});

describe('aux requests', () => {
  it('do not consume turns: no tools, a JSON schema, or a matching system prompt', async () => {
    server.setScenario({ turns: [{ text: 'Main turn.' }] });
    // Codex's title request: no tools, JSON output.
    const title = responsesBody('name this', {
      tools: [],
      text: {
        format: {
          type: 'json_schema',
          name: 'title',
          schema: { type: 'object', properties: { title: { type: 'string' }, n: { type: 'integer' } }, required: ['title'] },
        },
      },
    });
    const titleFrames = parseSse((await post(responsesUrl(), title)).text);
    expect(JSON.parse(titleFrames.at(-1)!.data.response.output[0].content[0].text)).toEqual({ title: 'mock' });
    // opencode's title request: no tools.
    const plain = JSON.parse((await post(chatUrl(), chatBody('t', [], { stream: false }))).text);
    expect(plain.choices[0].message.content).toBe('Mock reply.');
    // Qwen's memory-extraction sub-agent offers tools but is aux by its system prompt.
    const memory = chatBody('scan', qwenTools, {
      messages: [
        { role: 'system', content: 'You are now acting as the managed memory extraction subagent.' },
        { role: 'user', content: 'scan' },
      ],
    });
    await post(chatUrl(), memory);
    expect(server.log.slice(-3).map((l) => l.role)).toEqual(['aux', 'aux', 'aux']);
    expect(events.filter((e) => e.kind === 'request').every((e) => e.role === 'aux' && e.turn === undefined)).toBe(true);

    const main = JSON.parse((await post(chatUrl(), chatBody('go', qwenTools, { stream: false }))).text);
    expect(main.choices[0].message.content).toBe('Main turn.');
    // Turns used up: a canned reply.
    const after = JSON.parse((await post(chatUrl(), chatBody('go', qwenTools, { stream: false }))).text);
    expect(after.choices[0].message.content).toBe('The mock model has no more scripted turns.');
  });
});

describe("Qwen Code's suggested next prompt", () => {
  it('is aux: the fork of the conversation after a turn does not take the next prompt\'s turn', async () => {
    server.setScenario({ turns: [{ text: 'First answer.' }, { text: 'Second answer.' }] });
    const first = JSON.parse((await post(chatUrl(), chatBody('Please say hello', qwenTools, { stream: false }))).text);
    expect(first.choices[0].message.content).toBe('First answer.');
    const history = [
      { role: 'user', content: 'Please say hello' },
      { role: 'assistant', content: 'First answer.' },
    ];
    const suggestion = await post(chatUrl(), qwenSuggestionBody(history));
    const said = parseSse(suggestion.text).map((f) => f.data?.choices?.[0]?.delta?.content ?? '').join('');
    expect(said).toBe('Mock reply.');
    expect(lastLog().role).toBe('aux');
    expect(lastLog().serve?.source).toBe('aux');
    const next = chatBody('', qwenTools, { stream: false, messages: [...history, { role: 'user', content: 'And again' }] });
    expect(JSON.parse((await post(chatUrl(), next)).text).choices[0].message.content).toBe('Second answer.');
  });

  it('is main again when a scenario empties aux_input_patterns', async () => {
    server.setScenario({ turns: [{ text: 'Taken.' }], aux_input_patterns: [] });
    await post(chatUrl(), qwenSuggestionBody([]));
    expect(lastLog().role).toBe('main');
    expect(lastLog().turn).toEqual([0]);
  });
});

describe('request bodies', () => {
  it('accepts gzip and deflate bodies', async () => {
    server.setScenario({ turns: [{ text: 'Zipped.' }, { text: 'Deflated.' }] });
    const body = JSON.stringify(anthropicBody('z', { stream: false }));
    const gz = await post(anthropicUrl(), gzipSync(body), { 'content-encoding': 'gzip' });
    expect(JSON.parse(gz.text).content[0].text).toBe('Zipped.');
    const df = await post(anthropicUrl(), deflateSync(body), { 'content-encoding': 'deflate' });
    expect(JSON.parse(df.text).content[0].text).toBe('Deflated.');
    const bad = await post(anthropicUrl(), body, { 'content-encoding': 'compress' });
    expect(bad.status).toBe(415);
  });
});

describe('scenario file and control endpoints', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mock-model-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-reads the file when its mtime changes and resets the pointer', async () => {
    const file = path.join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify([{ text: 'From v1 a.' }, { text: 'From v1 b.' }]));
    const s = await startMockServer({ scenario: file });
    try {
      const say = async () => JSON.parse((await post(`${s.url}/v1/chat/completions`, chatBody('x', opencodeTools, { stream: false }))).text).choices[0].message.content;
      expect(await say()).toBe('From v1 a.');
      writeFileSync(file, JSON.stringify({ turns: [{ text: 'From v2.' }], default: { text: 'Default.' } }));
      const later = new Date(Date.now() + 5000);
      utimesSync(file, later, later);
      expect(await say()).toBe('From v2.');
      expect(await say()).toBe('Default.');

      // A broken file keeps the previous scenario and says why.
      const errors: string[] = [];
      s.events.on('scenario-error', (m: string) => errors.push(m));
      writeFileSync(file, '[{"txt": 1}]');
      utimesSync(file, new Date(Date.now() + 9000), new Date(Date.now() + 9000));
      const state = JSON.parse((await fetch(`${s.url}/_mock/state`).then((r) => r.text())));
      expect(state.scenario_error).toMatch(/scenario\.json: turns\[0\]: Unrecognized key: "txt"/);
      expect(errors).toHaveLength(1);
      expect(await say()).toBe('Default.');
    } finally {
      await s.close();
    }
  });

  it('POST /_mock/scenario, /_mock/reset and GET /_mock/state', async () => {
    const set = await post(`${server.url}/_mock/scenario`, [{ text: 'A.' }, { text: 'B.' }]);
    expect(JSON.parse(set.text)).toEqual({ ok: true, n_turns: 2 });
    await post(chatUrl(), chatBody('x', opencodeTools));
    let state = JSON.parse(await fetch(`${server.url}/_mock/state`).then((r) => r.text()));
    expect(state).toMatchObject({ turn_index: 1, n_turns: 2, sticky: false, stalls: 0, scenario: 'inline' });
    expect(state.log_length).toBe(server.log.length - 1);
    await post(`${server.url}/_mock/reset`, '');
    state = JSON.parse(await fetch(`${server.url}/_mock/state`).then((r) => r.text()));
    expect(state.turn_index).toBe(0);
    const bad = await post(`${server.url}/_mock/scenario`, { turns: [{ error: 529, text: 'x' }] });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error).toContain('an error turn cannot also have text');
  });

  it('lists models in the flavour the client speaks', async () => {
    const get = (p: string, headers: Record<string, string> = {}) => fetch(`${server.url}${p}`, { headers }).then((r) => r.json());
    expect((await get('/v1/models')).object).toBe('list');
    expect((await get('/v1/models', { 'anthropic-version': '2023-06-01' })).data[0].type).toBe('model');
    expect((await get('/v1beta/models')).models[0].name).toBe('models/mock-model');
    expect((await get('/v1/models?client_version=0.169.0')).models).toEqual([]);
  });
});

