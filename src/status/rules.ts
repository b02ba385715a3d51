/**
 * Status rules as data: each says "if this region of the screen matches, the agent is in this
 * state". Rules are validated with zod, compiled once, and evaluated highest priority first;
 * `explain` shows which rule won, on what text, and what else matched.
 */
import safeRegex from 'safe-regex2';
import { z } from 'zod';
import { describeIssue, UserError } from '../errors.ts';
import { STATUSES, type Status } from './status.ts';
import { regionName, regionSchema, ScreenRegions, type Region } from './regions.ts';
import type { LookMemo } from './look-memo.ts';

export type Matcher =
  | { contains: string }
  | { regex: string; flags?: string }
  | { line_regex: string; flags?: string }
  | { not: Matcher }
  | { any: Matcher[] }
  | { all: Matcher[] };

/**
 * A string that must compile as a regular expression, and not one that can take exponential time
 * (nested repetition, as in `(a+)+`): rules run on every look at a screen and policies on every
 * request, in the daemon, where one such match on a hostile line would stall every agent.
 */
export const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(error as Error).message}` });
    return;
  }
  if (!safeRegex(source)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(source)} can take exponential time on some lines (a repetition inside a repetition, as in (a+)+): rewrite it without the nesting` });
  }
});
const flags = z.string().regex(/^[imsu]*$/, 'flags may only use i, m, s, u').optional();

export const matcherSchema: z.ZodType<Matcher> = z.lazy(() =>
  z.union([
    z.strictObject({ contains: z.string().min(1) }),
    z.strictObject({ regex: regexSource, flags }),
    z.strictObject({ line_regex: regexSource, flags }),
    z.strictObject({ not: matcherSchema }),
    z.strictObject({ any: z.array(matcherSchema).min(1) }),
    z.strictObject({ all: z.array(matcherSchema).min(1) }),
  ]),
);

export const ruleSchema = z.strictObject({
  id: z.string().min(1),
  state: z.enum(STATUSES),
  /** Higher wins. */
  priority: z.number().int(),
  region: regionSchema,
  match: matcherSchema,
  /** A regex whose first capture group, found in the region text, becomes the change's detail. */
  detail: regexSource.optional(),
  /** Further conditions, each on its own region, that must hold as well. */
  and: z.array(z.strictObject({ region: regionSchema, match: matcherSchema })).min(1).optional(),
  /**
   * The screen shows a turn coming, not the turn (a message the CLI queued to send by itself):
   * held like a submitted message, so the ready screen it may draw before the turn is not `done`.
   */
  coming: z.boolean().optional(),
});
export type Rule = z.infer<typeof ruleSchema>;
export const rulesSchema = z.array(ruleSchema);

type Test = (lines: string[]) => boolean;

export interface CompiledRule {
  rule: Rule;
  test: Test;
  also: Array<{ region: Region; test: Test }>;
  detail?: RegExp;
}

function compileMatcher(matcher: Matcher): Test {
  if ('contains' in matcher) return (lines) => lines.some((line) => line.includes(matcher.contains));
  if ('regex' in matcher) {
    const re = new RegExp(matcher.regex, matcher.flags);
    return (lines) => re.test(lines.join('\n'));
  }
  if ('line_regex' in matcher) {
    const re = new RegExp(matcher.line_regex, matcher.flags);
    return (lines) => lines.some((line) => re.test(line));
  }
  if ('not' in matcher) {
    const inner = compileMatcher(matcher.not);
    return (lines) => !inner(lines);
  }
  if ('any' in matcher) {
    const inner = matcher.any.map(compileMatcher);
    return (lines) => inner.some((test) => test(lines));
  }
  const inner = matcher.all.map(compileMatcher);
  return (lines) => inner.every((test) => test(lines));
}

/**
 * Merges override rules into a base set (same id replaces, new ids are added) and compiles them,
 * highest priority first. `source` names where the rules came from in error messages.
 */
export function compileRules(base: readonly Rule[], overrides: unknown = [], source = 'rules'): CompiledRule[] {
  const parsed = rulesSchema.safeParse(overrides);
  // Rules are a list, so the path starts with an index: "config.providers.x.rules[0].state: …".
  if (!parsed.success) throw new RuleError(`${source}${describeIssue(parsed.error, '')}`);
  const byId = new Map(base.map((rule) => [rule.id, rule]));
  for (const rule of parsed.data) byId.set(rule.id, rule);
  return [...byId.values()]
    .map((rule) => ({
      rule,
      test: compileMatcher(rule.match),
      also: (rule.and ?? []).map((condition) => ({ region: condition.region, test: compileMatcher(condition.match) })),
      detail: rule.detail ? new RegExp(rule.detail) : undefined,
    }))
    .sort((a, b) => b.rule.priority - a.rule.priority);
}

export class RuleError extends UserError {}

export interface RuleMatch {
  id: string;
  state: Status;
  priority: number;
  region: string;
  /** The region's text as the rule saw it. */
  text: string;
  detail?: string;
  coming?: true;
}

export interface Explanation {
  winner?: RuleMatch;
  /** Every matching rule, highest priority first (the winner included). */
  matched: RuleMatch[];
}

/**
 * The winning rule only: stops at the first (highest-priority) match. With `memo` (the previous
 * look at the same screen), a test whose region is unchanged gives its previous answer.
 */
export function firstMatch(rules: readonly CompiledRule[], lines: string[], title: string, memo?: LookMemo): RuleMatch | undefined {
  const find = () => {
    const regions = new ScreenRegions(lines, title, memo);
    for (const compiled of rules) {
      const match = tryRule(compiled, regions, memo);
      if (match) return match;
    }
    return undefined;
  };
  // A look at the very same screen (a redraw that changed nothing) finds the same rule.
  return memo ? memo.reuse(rules, [title, ...lines], find) : find();
}

export function explain(rules: readonly CompiledRule[], lines: string[], title: string): Explanation {
  const regions = new ScreenRegions(lines, title);
  const matched = rules.map((compiled) => tryRule(compiled, regions)).filter((m): m is RuleMatch => m !== undefined);
  return { winner: matched[0], matched };
}

function tryRule(compiled: CompiledRule, regions: ScreenRegions, memo?: LookMemo): RuleMatch | undefined {
  const { rule, test, also } = compiled;
  const holds = (t: Test, lines: string[]) => (memo ? memo.reuse(t, lines, () => t(lines)) : t(lines));
  const lines = regions.get(rule.region);
  if (!holds(test, lines)) return undefined;
  if (!also.every((condition) => holds(condition.test, regions.get(condition.region)))) return undefined;
  return memo ? memo.reuse(compiled, lines, () => matchOn(compiled, lines)) : matchOn(compiled, lines);
}

/** What a rule that holds reports, read from its region's lines. */
function matchOn({ rule, detail }: CompiledRule, lines: string[]): RuleMatch {
  const text = lines.join('\n');
  const found = detail?.exec(text)?.[1]?.trim();
  return {
    id: rule.id,
    state: rule.state,
    priority: rule.priority,
    region: regionName(rule.region),
    text,
    ...(found ? { detail: found } : {}),
    ...(rule.coming ? { coming: true as const } : {}),
  };
}
