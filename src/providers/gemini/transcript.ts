/**
 * Gemini CLI's own transcript (0.61): the session's chat record,
 * `~/.gemini/tmp/<project>/chats/session-<time>-<id prefix>.jsonl`, named by every hook payload
 * (`transcript_path`). An append-only log read the way Gemini CLI reads it back
 * (chatRecordingService): a record with an `id` is a message, and a later one with the same id
 * replaces it (a reply gets its tool calls that way); `{$set: {messages}}` replaces them all;
 * `{$rewindTo: id}` drops that message and those after it. A message is `user` (content: parts; a
 * tool's result is a functionResponse part), `gemini` (content: its text; `toolCalls`), or the
 * CLI's own (`info`, `error`, `warning`).
 */
import { isObject, jsonLines, lastAnswer, objects, str, type TranscriptStep } from '../shared/transcript.ts';

/** The messages as they stand at the end of the log. */
export function messages(text: string): Array<Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const record of jsonLines(text)) {
    const rewind = str(record.$rewindTo);
    if (rewind !== undefined) {
      let found = false;
      for (const id of [...byId.keys()]) {
        if (id === rewind) found = true;
        if (found) byId.delete(id);
      }
      if (!found) byId.clear();
    } else if (typeof record.id === 'string') {
      byId.set(record.id, record);
    } else if (isObject(record.$set) && Array.isArray(record.$set.messages)) {
      byId.clear();
      for (const message of objects(record.$set.messages)) if (typeof message.id === 'string') byId.set(message.id, message);
    }
  }
  return [...byId.values()];
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return objects(content).filter((part) => typeof part.text === 'string' && part.thought !== true).map((part) => part.text as string).join('');
}

export function steps(text: string): TranscriptStep[] {
  const out: TranscriptStep[] = [];
  for (const message of messages(text)) {
    if (message.type === 'user') {
      if (contentText(message.content).trim() !== '') out.push({ kind: 'prompt' });
    } else if (message.type === 'gemini') {
      out.push({ kind: 'text', text: contentText(message.content) });
      if (objects(message.toolCalls).length) out.push({ kind: 'tool' });
    }
  }
  return out;
}

export const transcriptResponse = (text: string): string | undefined => lastAnswer(steps(text));
