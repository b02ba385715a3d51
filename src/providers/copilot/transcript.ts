/**
 * Copilot CLI's own transcript (1.0.102): the session's event log,
 * `~/.copilot/session-state/<session id>/events.jsonl`, named by its `agentStop` hook
 * (`transcriptPath`) and found from the session id before that. One `{type, data, id, …}` a line:
 * `user.message` (the person's), `assistant.message` (`content`: the model's text; `toolRequests`:
 * its tool calls; a subagent's carries `parentToolCallId`), and the session's own events (hooks,
 * permissions, usage, turn starts and ends).
 */
import { jsonLines, lastAnswer, objects, str, type TranscriptStep } from '../shared/transcript.ts';

export function steps(text: string): TranscriptStep[] {
  const out: TranscriptStep[] = [];
  for (const event of jsonLines(text)) {
    const data = event.data as Record<string, unknown> | undefined;
    if (!data || data.parentToolCallId !== undefined) continue;
    if (event.type === 'user.message') out.push({ kind: 'prompt' });
    else if (event.type === 'assistant.message') {
      out.push({ kind: 'text', text: str(data.content) ?? '' });
      if (objects(data.toolRequests).length) out.push({ kind: 'tool' });
    }
  }
  return out;
}

export const transcriptResponse = (text: string): string | undefined => lastAnswer(steps(text));
