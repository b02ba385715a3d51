/**
 * The parts of a screen a status rule can look at. Agent TUIs draw their input box between
 * horizontal rules and their status line just above it, so regions are defined by those rules
 * rather than by fixed row numbers that break at another terminal size.
 */
import { z } from 'zod';

export const regionSchema = z.union([
  z.enum(['title', 'viewport', 'prompt_box', 'after_last_rule']),
  z.strictObject({ bottom_lines: z.number().int().positive() }),
  z.strictObject({ above_prompt_box: z.number().int().positive() }),
]);
export type Region = z.infer<typeof regionSchema>;

/** A full-width horizontal rule: a line of nothing but ─ ━ ═ (at least 10 of them). */
const HORIZONTAL_RULE = /^\s*[─━═]{10,}\s*$/;

export function isHorizontalRule(line: string): boolean {
  return HORIZONTAL_RULE.test(line);
}

export function regionName(region: Region): string {
  if (typeof region === 'string') return region;
  if ('bottom_lines' in region) return `bottom_lines(${region.bottom_lines})`;
  return `above_prompt_box(${region.above_prompt_box})`;
}

/** Looks up regions of one screen, finding the horizontal rules once. */
export class ScreenRegions {
  private ruleRows: number[] | undefined;
  private readonly cache = new Map<string, string[]>();

  constructor(
    private readonly lines: string[],
    private readonly title: string,
  ) {}

  /** The region's lines (a title is one line). */
  get(region: Region): string[] {
    const key = regionName(region);
    let lines = this.cache.get(key);
    if (!lines) {
      lines = this.compute(region);
      this.cache.set(key, lines);
    }
    return lines;
  }

  private compute(region: Region): string[] {
    if (region === 'title') return [this.title];
    if (region === 'viewport') return this.lines;
    const rules = this.rules();
    if (region === 'prompt_box') {
      if (rules.length < 2) return [];
      return this.lines.slice(rules[rules.length - 2]! + 1, rules[rules.length - 1]!);
    }
    if (region === 'after_last_rule') return rules.length ? this.lines.slice(rules[rules.length - 1]! + 1) : [];
    if ('bottom_lines' in region) return lastNonEmpty(this.lines, region.bottom_lines);
    // above_prompt_box: above the box's top rule (or the only rule there is).
    if (!rules.length) return [];
    const top = rules.length >= 2 ? rules[rules.length - 2]! : rules[0]!;
    return lastNonEmpty(this.lines.slice(0, top), region.above_prompt_box);
  }

  private rules(): number[] {
    if (!this.ruleRows) {
      this.ruleRows = [];
      this.lines.forEach((line, row) => {
        if (isHorizontalRule(line)) this.ruleRows!.push(row);
      });
    }
    return this.ruleRows;
  }
}

function lastNonEmpty(lines: string[], count: number): string[] {
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && out.length < count; i--) {
    if (lines[i]!.trim() !== '') out.unshift(lines[i]!);
  }
  return out;
}
