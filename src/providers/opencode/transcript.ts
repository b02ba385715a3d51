/**
 * opencode's transcript, as drover's plugin writes it (opencode's own sessions are in a SQLite
 * database): `<drover's folder for the launch>/opencode-transcript.jsonl`, named in every hook
 * report. One `{kind: prompt | text | tool, id, session, text?}` a line, from opencode's bus
 * events: a person's message, a finished text part of the model's (whole), a tool call; a later
 * line with the same id replaces the earlier one. Lines are in the order they were finished; the
 * steps are put back in the order opencode made them, by id.
 */
import { jsonLines, lastAnswer, str, type TranscriptStep } from '../shared/transcript.ts';

export function steps(text: string): TranscriptStep[] {
  const byId = new Map<string, TranscriptStep>();
  for (const line of jsonLines(text)) {
    const id = str(line.id);
    if (id === undefined) continue;
    if (line.kind === 'prompt') byId.set(id, { kind: 'prompt' });
    else if (line.kind === 'tool') byId.set(id, { kind: 'tool' });
    else if (line.kind === 'text') byId.set(id, { kind: 'text', text: str(line.text) ?? '' });
  }
  // In the order opencode made them: its ids ascend (`msg_…`, `prt_…`: a time, then a count), and a
  // text part is finished — written — after the tool call that follows it has begun.
  const order = (id: string) => id.slice(id.indexOf('_') + 1);
  return [...byId.entries()].sort(([a], [b]) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)).map(([, step]) => step);
}

export const transcriptResponse = (text: string): string | undefined => lastAnswer(steps(text));
