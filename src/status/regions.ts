/**
 * The parts of a screen a status rule can look at. Agent TUIs draw their input box between
 * horizontal rules and their status line just above it, so regions are defined by those rules
 * rather than by fixed row numbers that break at another terminal size.
 */
import { z } from 'zod';
import type { LookMemo } from './look-memo.ts';

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

/** Region names by region object: a rule's region is looked up on every look. */
const names = new WeakMap<object, string>();

function nameOf(region: Region): string {
  if (typeof region === 'string') return region;
  let name = names.get(region);
  if (name === undefined) {
    name = regionName(region);
    names.set(region, name);
  }
  return name;
}

/** Looks up regions of one screen, finding the horizontal rules and the blank rows once. */
export class ScreenRegions {
  private ruleRows: number[] | undefined;
  private visibleRows: boolean[] | undefined;
  private readonly cache = new Map<string, string[]>();

  /** `memo`: the previous look at the same screen, whose rows that did not change are not examined again. */
  constructor(
    private readonly lines: string[],
    private readonly title: string,
    private readonly memo?: LookMemo,
  ) {}

  /** The region's lines (a title is one line). */
  get(region: Region): string[] {
    const key = nameOf(region);
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
    if ('bottom_lines' in region) return this.lastVisible(this.lines.length, region.bottom_lines);
    // above_prompt_box: above the box's top rule (or the only rule there is).
    if (!rules.length) return [];
    const top = rules.length >= 2 ? rules[rules.length - 2]! : rules[0]!;
    return this.lastVisible(top, region.above_prompt_box);
  }

  private rules(): number[] {
    if (!this.ruleRows) {
      this.ruleRows = [];
      this.perRow(isHorizontalRule).forEach((yes, row) => {
        if (yes) this.ruleRows!.push(row);
      });
    }
    return this.ruleRows;
  }

  /** The last `count` rows above row `end` with something a person can see. */
  private lastVisible(end: number, count: number): string[] {
    this.visibleRows ??= this.perRow(isVisible);
    const out: string[] = [];
    for (let row = end - 1; row >= 0 && out.length < count; row--) {
      if (this.visibleRows[row]) out.push(this.lines[row]!);
    }
    return out.reverse();
  }

  private perRow(ask: (line: string) => boolean): boolean[] {
    return this.memo ? this.memo.perRow(ask, this.lines) : this.lines.map(ask);
  }
}

/** Whether trim() would leave something of the line (without making its copy). */
function isVisible(line: string): boolean {
  return /\S/.test(line);
}
