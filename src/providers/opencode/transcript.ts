/**
 * opencode's transcript, as drover's plugin writes it (opencode's own sessions are in a SQLite
 * database): `<drover's folder for the launch>/opencode-transcript.jsonl`, named in every hook
 * report. One `{kind: prompt | text | tool, id, session, text?}` a line, from opencode's bus
 * events: a person's message, a finished text part of the model's (whole), a tool call; a later
 * line with the same id replaces the earlier one.
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
  return [...byId.values()];
}

export const transcriptResponse = (text: string): string | undefined => lastAnswer(steps(text));
