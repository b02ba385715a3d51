/**
 * The CLIs' own transcripts (Claude Code's and Codex's JSONL, Gemini CLI's and Qwen Code's chat
 * records, Copilot CLI's session events): each provider turns its file into a list of steps — a
 * prompt the person sent, a text the model wrote, a tool call — and the last answer is read from
 * those steps the same way for all of them. Nothing here throws on a damaged file: a line that is
 * not JSON (a write cut short) is skipped, and a file with no answer gives undefined (the screen is
 * read instead).
 */

export type TranscriptStep = { kind: 'prompt' } | { kind: 'text'; text: string } | { kind: 'tool' };

/**
 * The final answer of the latest turn: the texts after the turn's last tool call, or, when the turn
 * ended at a tool call (refused, interrupted), the texts before it; several texts in a row are one
 * answer, a blank line apart. Undefined when the turn has no text yet.
 */
export function lastAnswer(steps: readonly TranscriptStep[]): string | undefined {
  let start = 0;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i]!.kind === 'prompt') {
      start = i + 1;
      break;
    }
  }
  let run: string[] = [];
  let answer: string[] = [];
  for (const step of steps.slice(start)) {
    if (step.kind === 'tool') {
      if (run.length) answer = run;
      run = [];
    } else if (step.kind === 'text' && step.text.trim() !== '') run.push(step.text);
  }
  if (run.length) answer = run;
  return answer.length ? answer.join('\n\n') : undefined;
}

/** Each line of a JSONL text that parses to an object; a damaged or cut line is skipped. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isObject(value)) out.push(value);
    } catch {
      // a line cut short (the CLI writing it now) or damaged: not evidence
    }
  }
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objects(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
