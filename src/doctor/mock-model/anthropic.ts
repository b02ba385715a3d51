// Anthropic Messages API (Claude Code): POST */v1/messages and */v1/messages/count_tokens.
import { anthropicError } from './errors.ts';
import { asArray, asObject, asString, isObject, type Json } from './json.ts';
import { lastText, summarize, type Message } from './prompt.ts';
import { argsObject, pieces } from './tools.ts';
import type { Adapter, OfferedTool, Payload, Reply, ReplyMeta, StreamEncoder } from './types.ts';

// Claude Code sends thinking blocks back with their signature; the mock never checks it.
const SIGNATURE = 'bW9jay10aGlua2luZy1zaWduYXR1cmU=';

export const anthropic: Adapter = {
  protocol: 'anthropic',

  inspect(body) {
    const tools = asArray(body['tools']).filter(isObject).map(offeredTool);
    const system = typeof body['system'] === 'string' ? body['system'] : textOf(asArray(body['system']));
    const format = asObject(body['output_format'] ?? asObject(body['output_config'])['format']);
    return {
      protocol: 'anthropic',
      model: asString(body['model']),
      stream: body['stream'] === true,
      tools,
      system,
      ...(format['type'] === 'json_schema' ? { jsonSchema: asObject(format['schema']) } : {}),
      ...summarize(asArray(body['messages']).filter(isObject).map(message)),
    };
  },

  encoder(meta, reply) {
    let index = -1;
    const block = (data: Json): Payload => ({ event: data['type'] as string, data: { ...data, index } });
    return {
      start: () => [
        {
          event: 'message_start',
          data: {
            type: 'message_start',
            message: { ...envelope(meta), content: [], stop_reason: null, usage: usage(meta.inputTokens, 1) },
          },
        },
        { event: 'ping', data: { type: 'ping' } },
      ],
      open(kind) {
        index++;
        const content_block =
          kind === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' };
        return [block({ type: 'content_block_start', content_block })];
      },
      delta: (kind, chunk) => [
        block({
          type: 'content_block_delta',
          delta:
            kind === 'thinking' ? { type: 'thinking_delta', thinking: chunk } : { type: 'text_delta', text: chunk },
        }),
      ],
      close: (kind) => [
        ...(kind === 'thinking'
          ? [block({ type: 'content_block_delta', delta: { type: 'signature_delta', signature: SIGNATURE } })]
          : []),
        block({ type: 'content_block_stop' }),
      ],
      tool(call) {
        index++;
        return [
          block({
            type: 'content_block_start',
            content_block: { type: 'tool_use', id: toolId(meta), name: call.name, input: {} },
          }),
          ...pieces(JSON.stringify(argsObject(call))).map((partial_json) =>
            block({ type: 'content_block_delta', delta: { type: 'input_json_delta', partial_json } }),
          ),
          block({ type: 'content_block_stop' }),
        ];
      },
      finish: () => [
        {
          event: 'message_delta',
          data: {
            type: 'message_delta',
            delta: { stop_reason: stopReason(reply), stop_sequence: null },
            usage: { output_tokens: meta.outputTokens },
          },
        },
        { event: 'message_stop', data: { type: 'message_stop' } },
      ],
    } satisfies StreamEncoder;
  },

  message(meta, reply) {
    const content: Json[] = [];
    const { thinking, text, tool } = reply;
    if (thinking !== undefined) content.push({ type: 'thinking', thinking, signature: SIGNATURE });
    if (text !== undefined) content.push({ type: 'text', text });
    if (tool) content.push({ type: 'tool_use', id: toolId(meta), name: tool.name, input: argsObject(tool) });
    const stop_reason = stopReason(reply);
    return { ...envelope(meta), content, stop_reason, usage: usage(meta.inputTokens, meta.outputTokens) };
  },

  errorBody: anthropicError,
};

export function anthropicCountTokens(tokens: number): unknown {
  return { input_tokens: tokens };
}

function offeredTool(t: Json): OfferedTool {
  const name = asString(t['name']) || asString(t['type']);
  // Server tools (web_search_20250305...) have a versioned type and no input_schema.
  if (isObject(t['input_schema'])) return { name, kind: 'function', schema: t['input_schema'] };
  return { name, kind: t['type'] === 'custom' ? 'function' : 'builtin' };
}

function message(m: Json): Message {
  const role = asString(m['role']);
  const content = m['content'];
  if (typeof content === 'string') return { role, kind: 'text', text: content };
  const blocks = asArray(content).filter(isObject);
  const results = blocks.filter((b) => b['type'] === 'tool_result');
  if (results.length > 0) return { role, kind: 'tool_result', text: toolResultText(results.at(-1)!) };
  if (blocks.some((b) => b['type'] === 'tool_use')) return { role, kind: 'tool_use', text: textOf(blocks) };
  if (blocks.some((b) => b['type'] === 'text')) return { role, kind: 'text', text: textOf(blocks) };
  return { role, kind: asString(blocks.at(-1)?.['type']) || 'empty', text: '' };
}

function toolResultText(block: Json): string {
  const content = block['content'];
  return typeof content === 'string' ? content : textOf(asArray(content));
}

function textOf(blocks: unknown[]): string {
  return lastText(blocks, (b) => b['type'] === 'text');
}

function envelope(meta: ReplyMeta) {
  return { id: `msg_mock_${meta.seq}`, type: 'message', role: 'assistant', model: meta.model, stop_sequence: null };
}

function usage(input: number, output: number) {
  return { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: output };
}

function toolId(meta: ReplyMeta): string {
  return `toolu_mock_${meta.seq}`;
}

function stopReason(reply: Reply): string {
  return reply.tool ? 'tool_use' : 'end_turn';
}
