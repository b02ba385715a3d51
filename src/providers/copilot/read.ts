/** What Copilot CLI's screen says: its approval dialog (its answers are not read yet). */
import { lastIndexMatching, numberedOptions, shortcutIn } from '../shared/prompt.ts';
import type { PermissionPrompt } from '../../status/permission.ts';
import type { Reader } from '../types.ts';
import { FIRST_OPTION } from './detect.ts';

function permissionPrompt(lines: string[]): PermissionPrompt | undefined {
  const first = lastIndexMatching(lines, FIRST_OPTION);
  if (first < 0) return undefined;
  const options = numberedOptions(lines, first, (n, label) => shortcutIn(label) ?? String(n));
  if (options.length < 2 || !options.some((o) => o.choice === 'deny')) return undefined;
  const above = lines.slice(Math.max(0, first - 8), first).map((l) => l.replace(/^[\s│]+|[\s│]+$/g, '')).filter(Boolean);
  const command = above.find((line) => /^\$ /.test(line))?.slice(2);
  return { tool: command ? 'shell' : (above[0] ?? 'unknown'), summary: command ?? above.at(-1) ?? '', options };
}

export const read: Reader = { permissionPrompt };
