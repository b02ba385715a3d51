/** How `replay --format explain` and `drover explain` print the rules that matched a screen. */

interface MatchLike {
  id: string;
  state: string;
  priority: number;
  region: string;
  text: string;
}

/** `claude.working → working (priority 50, region after_last_rule)` */
export function ruleLine(match: MatchLike): string {
  return `${match.id} → ${match.state} (priority ${match.priority}, region ${match.region})`;
}

/** The text a rule read, indented as a quote. */
export function quoted(text: string): string[] {
  return text.split('\n').map((line) => `  | ${line}`);
}

export function alsoMatched(others: readonly MatchLike[]): string[] {
  return others.map((other) => `also matched: ${ruleLine(other)}`);
}
