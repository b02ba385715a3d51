/**
 * Codex's own transcript: the session's rollout file, `$CODEX_HOME/sessions/YYYY/MM/DD/
 * rollout-<time>-<session id>.jsonl`, named by every hook payload (`transcript_path`). One
 * `{timestamp, type, payload}` a line: `response_item` holds what went to and came from the model
 * (messages, function and custom tool calls, their outputs), `event_msg` the session's events (a
 * turn's start: `task_started`), the rest settings and usage.
 */
import { jsonLines, lastAnswer, objects, str, type TranscriptStep } from '../shared/transcript.ts';

const TOOL_CALLS = new Set(['function_call', 'custom_tool_call', 'local_shell_call', 'web_search_call', 'tool_search_call', 'image_generation_call']);

export function steps(text: string): TranscriptStep[] {
  const out: TranscriptStep[] = [];
  for (const line of jsonLines(text)) {
    const payload = line.payload as Record<string, unknown> | undefined;
    if (!payload) continue;
    if (line.type === 'event_msg' && (payload.type === 'task_started' || payload.type === 'user_message')) {
      out.push({ kind: 'prompt' });
    } else if (line.type === 'response_item') {
      if (payload.type === 'message' && payload.role === 'assistant') {
        const text = objects(payload.content).filter((c) => c.type === 'output_text').map((c) => str(c.text) ?? '').join('');
        out.push({ kind: 'text', text });
      } else if (TOOL_CALLS.has(String(payload.type))) out.push({ kind: 'tool' });
    }
  }
  return out;
}

export const transcriptResponse = (text: string): string | undefined => lastAnswer(steps(text));
