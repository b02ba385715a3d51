/** Text both clients (the verbs and the TUI) show the same way. */

/** Time since `since` (epoch ms), in the unit that reads best: 12s, 3m, 2h, 4d. */
export function ago(since: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - since) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}
