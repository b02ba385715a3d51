// Gemini API (Gemini CLI): POST */models/<model>:streamGenerateContent | :generateContent | :countTokens.
import { geminiError } from './errors.ts';
import { asArray, asObject, asString, isObject, type Json } from './json.ts';
import { lastText, summarize, type Message } from './prompt.ts';
import { argsObject } from './tools.ts';
import type { Adapter, OfferedTool, Payload, Reply, ReplyMeta, StreamEncoder } from './types.ts';

export const gemini: Adapter = {
  protocol: 'gemini',

  inspect(body, route) {
    const config = asObject(body['generationConfig']);
    const wantsJson = config['responseMimeType'] === 'application/json';
    return {
      protocol: 'gemini',
      model: route.model ?? '',
      stream: route.stream,
      tools: asArray(body['tools']).filter(isObject).flatMap(offeredTools),
      system: systemText(body['systemInstruction']),
      ...(wantsJson ? { jsonSchema: asObject(config['responseJsonSchema'] ?? config['responseSchema']) } : {}),
      ...summarize(asArray(body['contents']).filter(isObject).map(message)),
    };
  },

  encoder(meta) {
    const chunk = (parts: Json[]): Payload => ({
      data: response(meta, { content: { role: 'model', parts }, index: 0 }),
    });
    return {
      start: () => [],
      open: () => [],
      delta: (block, text) => [chunk([block === 'thinking' ? { text, thought: true } : { text }])],
      close: () => [],
      tool: (call) => [chunk([{ functionCall: { name: call.name, args: argsObject(call) } }])],
      // The finish reason comes alone in a last chunk, with the usage.
      finish: () => [{ data: { ...response(meta, { finishReason: 'STOP', index: 0 }), usageMetadata: usage(meta) } }],
    } satisfies StreamEncoder;
  },

  message(meta, reply) {
    return {
      ...response(meta, { content: { role: 'model', parts: allParts(reply) }, finishReason: 'STOP', index: 0 }),
      usageMetadata: usage(meta),
    };
  },

  errorBody: geminiError,
};

export function geminiCountTokens(tokens: number): unknown {
  return { totalTokens: tokens };
}

function offeredTools(t: Json): OfferedTool[] {
  return Object.entries(t).flatMap(([key, value]): OfferedTool[] => {
    if (key !== 'functionDeclarations') return [{ name: key, kind: 'builtin' }];
    return asArray(value)
      .filter(isObject)
      .map((fn) => ({
        name: asString(fn['name']),
        kind: 'function',
        schema: asObject(fn['parametersJsonSchema'] ?? fn['parameters']),
      }));
  });
}

function systemText(instruction: unknown): string {
  if (typeof instruction === 'string') return instruction;
  return asArray(asObject(instruction)['parts'])
    .filter(isObject)
    .map((p) => asString(p['text']))
    .join('\n');
}

function message(content: Json): Message {
  const role = asString(content['role']);
  const parts = asArray(content['parts']).filter(isObject);
  const answered = parts.find((p) => p['functionResponse']);
  if (answered) return { role: 'user', kind: 'tool_result', text: functionResponseText(asObject(answered['functionResponse'])['response']) };
  if (parts.some((p) => p['functionCall'])) return { role, kind: 'function_call', text: '' };
  return { role, kind: 'text', text: lastText(parts, (p) => typeof p['text'] === 'string' && !p['thought']) };
}

/** A tool's result as the CLI sent it back: its `output` text, else the response as JSON. */
function functionResponseText(response: unknown): string {
  const output = asObject(response)['output'];
  return typeof output === 'string' ? output : JSON.stringify(response ?? null);
}

function allParts(reply: Reply): Json[] {
  const parts: Json[] = [];
  if (reply.thinking !== undefined) parts.push({ text: reply.thinking, thought: true });
  if (reply.text !== undefined) parts.push({ text: reply.text });
  if (reply.tool) parts.push({ functionCall: { name: reply.tool.name, args: argsObject(reply.tool) } });
  return parts;
}

function response(meta: ReplyMeta, candidate: Json): Json {
  return { candidates: [candidate], modelVersion: meta.model, responseId: `mock-${meta.seq}` };
}

function usage(meta: ReplyMeta) {
  return {
    promptTokenCount: meta.inputTokens,
    candidatesTokenCount: meta.outputTokens,
    totalTokenCount: meta.inputTokens + meta.outputTokens,
  };
}
