/**
 * What the previous look at one screen found, for the next look at the same screen. An agent's TUI
 * redraws its frame 10–60 times a second to change a row or two (a spinner, a streamed line), and
 * whatever is worked out from rows that did not change comes out as before: a rule's test of an
 * unchanged region, which rows are horizontal rules. Everything memoized is a pure function of
 * the rows it is given (rule regexes may not carry the g or y flag), so reusing an answer never
 * changes a verdict. Rows are compared by identity first: the screen hands an unchanged row back
 * as the same string.
 */
export class LookMemo {
  private readonly answers = new WeakMap<object, { inputs: readonly string[]; value: unknown }>();
  private readonly rowAnswers = new Map<(line: string) => boolean, { lines: readonly string[]; flags: boolean[] }>();

  /** `compute()`, or what it gave last time for `key` when `inputs` are the same rows as then. */
  reuse<T>(key: object, inputs: readonly string[], compute: () => T): T {
    const last = this.answers.get(key);
    if (last && sameLines(last.inputs, inputs)) return last.value as T;
    const value = compute();
    this.answers.set(key, { inputs, value });
    return value;
  }

  /** `ask` of each line: asked again only of rows that changed since the last call with the same `ask`. */
  perRow(ask: (line: string) => boolean, lines: readonly string[]): boolean[] {
    const last = this.rowAnswers.get(ask);
    const flags = lines.map((line, row) => (last && last.lines[row] === line ? last.flags[row]! : ask(line)));
    this.rowAnswers.set(ask, { lines, flags });
    return flags;
  }
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
