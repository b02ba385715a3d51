// OpenAI Responses API (Codex): POST */responses.
import { openAiError } from './errors.ts';
import { asArray, asObject, asString, isObject, type Json } from './json.ts';
import { lastText, summarize, type Message } from './prompt.ts';
import { argsText, pieces } from './tools.ts';
import type { Adapter, Block, OfferedTool, Payload, ReplyMeta, StreamEncoder, ToolCall } from './types.ts';

export const responses: Adapter = {
  protocol: 'responses',

  inspect(body) {
    const input = body['input'];
    const items = typeof input === 'string' ? [{ role: 'user', content: input }] : asArray(input).filter(isObject);
    const system = [asString(body['instructions'])];
    for (const item of items) {
      if (item['role'] === 'system' || item['role'] === 'developer') system.push(contentText(item['content']));
    }
    const format = asObject(asObject(body['text'])['format']);
    const wantsJson = format['type'] === 'json_schema' || format['type'] === 'json_object';
    return {
      protocol: 'responses',
      model: asString(body['model']),
      stream: body['stream'] === true,
      tools: asArray(body['tools']).filter(isObject).flatMap(offeredTools),
      system: system.join('\n'),
      ...(wantsJson ? { jsonSchema: asObject(format['schema']) } : {}),
      ...summarize(items.map(message)),
    };
  },

  encoder(meta) {
    let sequence = 0;
    let outputIndex = -1;
    let buffer = '';
    const output: Json[] = [];
    const ev = (type: string, fields: Json): Payload => ({
      event: type,
      data: { type, sequence_number: sequence++, ...fields },
    });
    const itemId = (block: Block) => `${block === 'thinking' ? 'rs' : 'msg'}_mock_${meta.seq}_${outputIndex}`;
    const at = () => ({ item_id: itemId('text'), output_index: outputIndex });
    const done = (item: Json) => {
      output.push(item);
      return ev('response.output_item.done', { output_index: outputIndex, item });
    };
    return {
      start() {
        const response = { ...envelope(meta), status: 'in_progress', output: [], usage: null };
        return [ev('response.created', { response }), ev('response.in_progress', { response })];
      },
      open(block) {
        outputIndex++;
        buffer = '';
        const id = itemId(block);
        if (block === 'thinking') {
          return [
            ev('response.output_item.added', {
              output_index: outputIndex,
              item: { type: 'reasoning', id, summary: [] },
            }),
            ev('response.reasoning_summary_part.added', {
              item_id: id,
              output_index: outputIndex,
              summary_index: 0,
              part: { type: 'summary_text', text: '' },
            }),
          ];
        }
        return [
          ev('response.output_item.added', {
            output_index: outputIndex,
            item: { type: 'message', id, status: 'in_progress', role: 'assistant', content: [] },
          }),
          ev('response.content_part.added', { ...at(), content_index: 0, part: outputText('') }),
        ];
      },
      delta(block, chunk) {
        buffer += chunk;
        const id = itemId(block);
        if (block === 'thinking') {
          return [
            ev('response.reasoning_summary_text.delta', {
              item_id: id,
              output_index: outputIndex,
              summary_index: 0,
              delta: chunk,
            }),
          ];
        }
        return [ev('response.output_text.delta', { ...at(), content_index: 0, delta: chunk, logprobs: [] })];
      },
      close(block) {
        const id = itemId(block);
        if (block === 'thinking') {
          const where = { item_id: id, output_index: outputIndex, summary_index: 0 };
          return [
            ev('response.reasoning_summary_text.done', { ...where, text: buffer }),
            ev('response.reasoning_summary_part.done', { ...where, part: { type: 'summary_text', text: buffer } }),
            done(reasoningItem(id, buffer)),
          ];
        }
        return [
          ev('response.output_text.done', { ...at(), content_index: 0, text: buffer, logprobs: [] }),
          ev('response.content_part.done', { ...at(), content_index: 0, part: outputText(buffer) }),
          done(messageItem(id, buffer)),
        ];
      },
      tool(call) {
        outputIndex++;
        const item = toolItem(meta, call, outputIndex);
        const where = { item_id: item['id'], output_index: outputIndex };
        // The added item carries no arguments yet: they follow as deltas.
        const pending =
          call.kind === 'function' ? { ...item, arguments: '', status: 'in_progress' }
          : call.kind === 'custom' ? { ...item, input: '' }
          : item;
        const added = ev('response.output_item.added', { output_index: outputIndex, item: pending });
        if (call.kind === 'local_shell') return [added, done(item)];
        const text = argsText(call);
        const prefix = call.kind === 'custom' ? 'response.custom_tool_call_input' : 'response.function_call_arguments';
        return [
          added,
          ...pieces(text).map((delta) => ev(`${prefix}.delta`, { ...where, delta })),
          ev(`${prefix}.done`, { ...where, ...(call.kind === 'custom' ? { input: text } : { arguments: text }) }),
          done(item),
        ];
      },
      finish: () => [
        ev('response.completed', { response: { ...envelope(meta), status: 'completed', output, usage: usage(meta) } }),
      ],
    } satisfies StreamEncoder;
  },

  message(meta, reply) {
    const output: Json[] = [];
    const id = (prefix: string) => `${prefix}_mock_${meta.seq}_${output.length}`;
    if (reply.thinking !== undefined) output.push(reasoningItem(id('rs'), reply.thinking));
    if (reply.text !== undefined) output.push(messageItem(id('msg'), reply.text));
    if (reply.tool) output.push(toolItem(meta, reply.tool, output.length));
    return { ...envelope(meta), status: 'completed', output, usage: usage(meta) };
  },

  errorBody: openAiError,
};

/**
 * A namespace (Codex groups each MCP server's tools in one: `{type: "namespace", name:
 * "mcp__drover", tools: [functions]}`) offers each of its functions as `NAMESPACE/NAME`; a call
 * to one names both (see toolItem). `/` is never in a Responses tool name.
 */
function offeredTools(t: Json): OfferedTool[] {
  const type = asString(t['type']);
  const name = asString(t['name']) || type;
  if (type === 'namespace') {
    return asArray(t['tools']).filter(isObject).flatMap(offeredTools).map((tool) => ({ ...tool, name: `${name}/${tool.name}` }));
  }
  if (type === 'function') return [{ name, kind: 'function', schema: asObject(t['parameters']) }];
  if (type === 'custom') return [{ name, kind: 'custom' }];
  if (type === 'local_shell') return [{ name, kind: 'local_shell' }];
  return [{ name, kind: 'builtin' }];
}

function message(item: Json): Message {
  const type = asString(item['type']) || 'message';
  if (type === 'message') return { role: asString(item['role']), kind: 'text', text: contentText(item['content']) };
  // An output is a string, or content items (Codex sends an MCP tool's result so).
  if (type.endsWith('_output')) return { role: 'user', kind: 'tool_result', text: toolOutputText(item['output']) };
  return { role: 'assistant', kind: type, text: '' };
}

function toolOutputText(output: unknown): string {
  return typeof output === 'string' || Array.isArray(output) ? contentText(output) : JSON.stringify(output ?? null);
}

function contentText(content: unknown): string {
  return typeof content === 'string' ? content : lastText(asArray(content), (p) => typeof p['text'] === 'string');
}

function envelope(meta: ReplyMeta) {
  return {
    id: `resp_mock_${meta.seq}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    model: meta.model,
  };
}

function usage(meta: ReplyMeta) {
  return {
    input_tokens: meta.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: meta.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: meta.inputTokens + meta.outputTokens,
  };
}

function outputText(text: string) {
  return { type: 'output_text', text, annotations: [] };
}

function reasoningItem(id: string, text: string): Json {
  return { type: 'reasoning', id, summary: [{ type: 'summary_text', text }] };
}

function messageItem(id: string, text: string): Json {
  return { type: 'message', id, status: 'completed', role: 'assistant', content: [outputText(text)] };
}

function toolItem(meta: ReplyMeta, call: ToolCall, outputIndex: number): Json {
  const ids = { id: `fc_mock_${meta.seq}_${outputIndex}`, call_id: `call_mock_${meta.seq}_${outputIndex}` };
  if (call.kind === 'local_shell') {
    const command = ['bash', '-lc', String((call.args as Json)['command'] ?? '')];
    const action = { type: 'exec', command, timeout_ms: null, working_directory: null, env: {}, user: null };
    return { type: 'local_shell_call', ...ids, status: 'completed', action };
  }
  if (call.kind === 'custom') return { type: 'custom_tool_call', ...ids, name: call.name, input: argsText(call) };
  const slash = call.name.indexOf('/');
  const name = slash < 0 ? { name: call.name } : { namespace: call.name.slice(0, slash), name: call.name.slice(slash + 1) };
  return { type: 'function_call', ...ids, ...name, arguments: argsText(call), status: 'completed' };
}
