/**
 * Claude Code's own transcript: `~/.claude/projects/<folder>/<session id>.jsonl`, named by every
 * hook payload (`transcript_path`). One JSON object a line; `user` and `assistant` entries carry
 * the API's message (`message.content`: a string, or blocks — text, tool_use, tool_result,
 * thinking); the rest (attachments, snapshots, request shapes, modes) is bookkeeping.
 */
import { jsonLines, lastAnswer, objects, str, type TranscriptStep } from '../shared/transcript.ts';

/** User entries that are not a person's prompt: an interruption note, a slash command's echo. */
const NOT_PROMPT = /^(?:\[Request interrupted by user|<command-|<local-command-)/;

export function steps(text: string): TranscriptStep[] {
  const out: TranscriptStep[] = [];
  for (const entry of jsonLines(text)) {
    if (entry.isSidechain === true || entry.isMeta === true) continue; // a subagent's, or context drover did not type
    const message = entry.message as { content?: unknown; model?: unknown } | undefined;
    if (!message) continue;
    if (entry.type === 'user') {
      const content = message.content;
      const texts = typeof content === 'string' ? [content] : objects(content).filter((b) => b.type === 'text').map((b) => str(b.text) ?? '');
      if (texts.some((t) => t.trim() !== '' && !NOT_PROMPT.test(t.trimStart()))) out.push({ kind: 'prompt' });
    } else if (entry.type === 'assistant') {
      // A failed request is written as a made-up assistant message ("API Error: …"): no answer.
      if (entry.isApiErrorMessage === true || message.model === '<synthetic>') continue;
      for (const block of objects(message.content)) {
        if (block.type === 'text') out.push({ kind: 'text', text: str(block.text) ?? '' });
        else if (block.type === 'tool_use' || block.type === 'server_tool_use') out.push({ kind: 'tool' });
      }
    }
  }
  return out;
}

export const transcriptResponse = (text: string): string | undefined => lastAnswer(steps(text));
