/** Builds a provider whose status comes from its rules (data) evaluated on the screen. */
import { compileRules, explain, firstMatch, type CompiledRule, type Rule } from '../engine/rules.ts';
import type { AgentProvider, ScreenView, Verdict } from './types.ts';

export type ProviderDefinition = Omit<AgentProvider, 'classify' | 'explain' | 'submit'> & Partial<Pick<AgentProvider, 'submit'>>;

export const NO_RULE = 'no-rule';

/** The common submit sequence: bracketed paste (so newlines do not submit early), then Enter. */
export function pasteThenEnter(text: string): string[] {
  return [`\x1b[200~${text}\x1b[201~`, '\r'];
}

export function defineProvider(definition: ProviderDefinition): AgentProvider {
  return bind({ submit: pasteThenEnter, ...definition }, definition.rules, compileRules(definition.rules, [], `${definition.id} rules`));
}

/** A copy of a provider with user rules merged over its own (same id replaces). */
export function withRules(provider: AgentProvider, overrides: unknown, source: string): AgentProvider {
  const compiled = compileRules(provider.rules, overrides, source);
  return bind(provider, compiled.map((c) => c.rule), compiled);
}

const NO_EVIDENCE: Verdict = { status: 'unknown', rule: NO_RULE };

/**
 * The provider with `classify` and `explain` reading the same compiled rules: signal first, then
 * the highest-priority matching rule, then the provider's word for "nothing matched".
 */
function bind(
  provider: Omit<AgentProvider, 'classify' | 'explain'>,
  rules: readonly Rule[],
  compiled: readonly CompiledRule[],
): AgentProvider {
  return {
    ...provider,
    rules,
    classify(view: ScreenView): Verdict {
      const signalled = provider.signal?.(view);
      if (signalled) return signalled;
      const match = firstMatch(compiled, view.lines, view.title);
      if (!match) return provider.unmatched?.(view) ?? NO_EVIDENCE;
      return { status: match.state, rule: match.id, ...(match.detail ? { detail: match.detail } : {}) };
    },
    explain: (lines, title) => explain(compiled, lines, title),
  };
}
