// Protocol-neutral view of a conversation's messages, for the log and for telling a new prompt from a retry.
import { isObject, type Json } from './json.ts';

export interface Message {
  role: string;
  /** `text` for a typed prompt or a reply, else e.g. `tool_result`, `function_call`. */
  kind: string;
  text: string;
}

export function summarize(messages: Message[]): { lastInput: string; promptKey: string; snippet: string; lastText: string } {
  // Claude Code appends its environment as a system message; Codex starts with developer ones.
  const last = messages.filter((m) => m.role !== 'system' && m.role !== 'developer').at(-1);
  const prompts = messages.filter((m) => m.role === 'user' && m.kind === 'text');
  const prompt = prompts.at(-1)?.text ?? '';
  return {
    lastInput: last ? `${last.role}:${last.kind}` : '',
    // A retry or a tool result leaves both the prompt count and the last prompt unchanged.
    promptKey: `${prompts.length}:${prompt}`,
    snippet: (last?.text || prompt).replace(/\s+/g, ' ').trim().slice(0, 120),
    lastText: last?.text ?? '',
  };
}

/** The last text-like part: the typed prompt comes after any reminders a CLI adds. */
export function lastText(parts: unknown[], isText: (p: Json) => boolean): string {
  const texts = parts.filter((p): p is Json => isObject(p) && isText(p));
  return String(texts.at(-1)?.['text'] ?? '');
}
