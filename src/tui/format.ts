/** Small text helpers for the panes. */
import type { AgentSummary } from '../protocol/schema.ts';
import { fitColumns } from './text-width.ts';
import { statusLook } from './theme.ts';

/** The status in words, with the exit code or signal of an exited agent. */
export function statusLabel(agent: Pick<AgentSummary, 'status' | 'exit'>): string {
  const label = statusLook(agent.status).label;
  if (agent.status !== 'exited' || !agent.exit) return label;
  return `${label} ${agent.exit.signal ?? agent.exit.code}`;
}

/** `text` cut or padded to exactly `width` columns (cut text ends in …). */
export function fitWidth(text: string, width: number): string {
  if (width <= 0) return '';
  const [head, used] = fitColumns(text, width);
  if (head.length === text.length) return text + ' '.repeat(width - used);
  const [cut, cutUsed] = fitColumns(text, width - 1);
  return cut + '…' + ' '.repeat(width - 1 - cutUsed);
}
