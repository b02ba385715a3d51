// OpenAI Chat Completions API (opencode, Qwen Code): POST */chat/completions.
import { openAiError } from './errors.ts';
import { asArray, asObject, asString, isObject, type Json } from './json.ts';
import { lastText, summarize, type Message } from './prompt.ts';
import { argsText, pieces } from './tools.ts';
import type { Adapter, OfferedTool, Payload, Reply, ReplyMeta, StreamEncoder } from './types.ts';

const CHUNK = 'chat.completion.chunk';

export const chat: Adapter = {
  protocol: 'chat',

  inspect(body) {
    const messages = asArray(body['messages']).filter(isObject);
    const system = messages
      .filter((m) => m['role'] === 'system' || m['role'] === 'developer')
      .map((m) => contentText(m['content']))
      .join('\n');
    const format = asObject(body['response_format']);
    const wantsJson = format['type'] === 'json_schema' || format['type'] === 'json_object';
    return {
      protocol: 'chat',
      model: asString(body['model']),
      stream: body['stream'] === true,
      tools: asArray(body['tools']).filter(isObject).map(offeredTool),
      system,
      ...(wantsJson ? { jsonSchema: asObject(asObject(format['json_schema'])['schema']) } : {}),
      ...summarize(messages.map(message)),
    };
  },

  encoder(meta, reply) {
    const chunk = (delta: Json, finish_reason: string | null = null): Payload => ({
      data: { ...envelope(meta, CHUNK), choices: [{ index: 0, delta, finish_reason, logprobs: null }] },
    });
    const includeUsage = asObject(meta.body['stream_options'])['include_usage'] === true;
    return {
      start: () => [chunk({ role: 'assistant', content: '' })],
      open: () => [],
      delta: (block, text) => [chunk(block === 'thinking' ? { reasoning_content: text } : { content: text })],
      close: () => [],
      tool: (call) => [
        chunk({
          tool_calls: [{ index: 0, id: toolId(meta), type: 'function', function: { name: call.name, arguments: '' } }],
        }),
        ...pieces(argsText(call)).map((args) => chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] })),
      ],
      finish: () => [
        chunk({}, finishReason(reply)),
        // Sent only when asked for, as a last chunk without choices.
        ...(includeUsage ? [{ data: { ...envelope(meta, CHUNK), choices: [], usage: usage(meta) } }] : []),
      ],
    } satisfies StreamEncoder;
  },

  message(meta, reply) {
    const message: Json = { role: 'assistant', content: reply.text ?? null };
    if (reply.thinking !== undefined) message['reasoning_content'] = reply.thinking;
    if (reply.tool) {
      message['tool_calls'] = [
        { id: toolId(meta), type: 'function', function: { name: reply.tool.name, arguments: argsText(reply.tool) } },
      ];
    }
    return {
      ...envelope(meta, 'chat.completion'),
      choices: [{ index: 0, message, finish_reason: finishReason(reply), logprobs: null }],
      usage: usage(meta),
    };
  },

  errorBody: openAiError,
};

function offeredTool(t: Json): OfferedTool {
  const fn = asObject(t['function']);
  const name = asString(fn['name']) || asString(t['type']);
  if (t['type'] !== 'function') return { name, kind: 'builtin' };
  return { name, kind: 'function', schema: asObject(fn['parameters']) };
}

function message(m: Json): Message {
  const role = asString(m['role']);
  if (role === 'tool') return { role: 'user', kind: 'tool_result', text: contentText(m['content']) };
  if (asArray(m['tool_calls']).length > 0) return { role, kind: 'tool_calls', text: contentText(m['content']) };
  return { role, kind: 'text', text: contentText(m['content']) };
}

function contentText(content: unknown): string {
  return typeof content === 'string' ? content : lastText(asArray(content), (p) => p['type'] === 'text');
}

function envelope(meta: ReplyMeta, object: string) {
  return { id: `chatcmpl-mock-${meta.seq}`, object, created: Math.floor(Date.now() / 1000), model: meta.model };
}

function usage(meta: ReplyMeta) {
  return {
    prompt_tokens: meta.inputTokens,
    completion_tokens: meta.outputTokens,
    total_tokens: meta.inputTokens + meta.outputTokens,
  };
}

function toolId(meta: ReplyMeta): string {
  return `call_mock_${meta.seq}`;
}

function finishReason(reply: Reply): string {
  return reply.tool ? 'tool_calls' : 'stop';
}
