/** Small text helpers for the panes. */
import type { AgentSummary } from '../daemon/protocol.ts';
import { fitColumns } from './text-width.ts';
import { statusLook } from './theme.ts';

/** Time since `since` (epoch ms), in the unit that reads best: 12s, 3m, 2h, 4d. */
export function ago(since: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - since) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

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
