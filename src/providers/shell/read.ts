/** What a shell's screen says: no dialogs; its "answer" is the last command's output. */
import type { Reader } from '../types.ts';
import { PROMPT } from './detect.ts';

/**
 * The rows between the prompt the last command was typed at and the bare prompt now at the bottom.
 * The earlier prompt is found as a row starting with the bare prompt's text, so a prompt that
 * changed meanwhile (after `cd`) finds nothing. Undefined while a command still runs (no bare
 * prompt at the bottom). The program's own newlines are real: nothing is unwrapped (the
 * terminal's soft wraps are already joined in Screen.history).
 */
function lastResponse(lines: string[]): string | undefined {
  let bottom = lines.length - 1;
  while (bottom >= 0 && lines[bottom]!.trim() === '') bottom--;
  const prompt = lines[bottom]?.trimEnd();
  if (!prompt || !PROMPT.test(prompt)) return undefined;
  let typed = bottom - 1;
  while (typed >= 0 && lines[typed] !== prompt && !lines[typed]!.startsWith(`${prompt} `)) typed--;
  if (typed < 0) return undefined;
  return lines.slice(typed + 1, bottom).join('\n').replace(/\n+$/, '');
}

export const read: Reader = { permissionPrompt: () => undefined, lastResponse };
