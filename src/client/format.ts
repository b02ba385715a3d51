/** Text both clients (the verbs and the TUI) show the same way. */

/** Time since `since` (epoch ms), in the unit that reads best: 12s, 3m, 2h, 4d. */
export function ago(since: number, now = Date.now()): string {
  const seconds = agoSeconds(since, now);
  const unit = agoUnit(seconds);
  return `${Math.floor(seconds / unit)}${AGO_SUFFIX.get(unit)}`;
}

/** In how many ms `ago(since)` reads differently from what it reads at `now`. */
export function agoChangesIn(since: number, now = Date.now()): number {
  const seconds = agoSeconds(since, now);
  const unit = agoUnit(seconds);
  const next = (Math.floor(seconds / unit) + 1) * unit;
  // Rounded to the second: `next` seconds are reached half a second before they have passed.
  return Math.max(1, (next - 0.5) * 1000 - (now - since));
}

const AGO_SUFFIX = new Map([[1, 's'], [60, 'm'], [3600, 'h'], [86_400, 'd']]);

function agoSeconds(since: number, now: number): number {
  return Math.max(0, Math.round((now - since) / 1000));
}

function agoUnit(seconds: number): number {
  return seconds < 60 ? 1 : seconds < 3600 ? 60 : seconds < 86_400 ? 3600 : 86_400;
}
