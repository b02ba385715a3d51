/**
 * Qwen Code's own transcript (0.15, 0.24): the session's chat file,
 * `~/.qwen/projects/<folder>/chats/<session id>.jsonl`, named by every hook payload
 * (`transcript_path`). One entry a line, chained by `parentUuid`: `user` and `assistant` entries
 * carry the API's message (`message.parts`: text — a thought is marked `thought` —, functionCall,
 * functionResponse), `system` entries the CLI's own bookkeeping (telemetry, attributions).
 */
import { jsonLines, lastAnswer, objects, str, type TranscriptStep } from '../shared/transcript.ts';

const texts = (parts: Array<Record<string, unknown>>) => parts.filter((p) => typeof p.text === 'string' && p.thought !== true).map((p) => str(p.text)!);

export function steps(text: string): TranscriptStep[] {
  const out: TranscriptStep[] = [];
  for (const entry of jsonLines(text)) {
    const message = entry.message as { parts?: unknown } | undefined;
    if (!message) continue;
    const parts = objects(message.parts);
    if (entry.type === 'user') {
      if (texts(parts).some((t) => t.trim() !== '')) out.push({ kind: 'prompt' });
    } else if (entry.type === 'assistant') {
      out.push({ kind: 'text', text: texts(parts).join('') });
      if (parts.some((p) => p.functionCall !== undefined)) out.push({ kind: 'tool' });
    }
  }
  return out;
}

export const transcriptResponse = (text: string): string | undefined => lastAnswer(steps(text));
