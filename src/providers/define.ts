/** Builds a provider whose status comes from its rules (data) evaluated on the screen. */
import { compileRules, firstMatch, type CompiledRule, type Rule } from '../engine/rules.ts';
import type { AgentProvider, ScreenView, Verdict } from './types.ts';

export type ProviderDefinition = Omit<AgentProvider, 'classify' | 'submit'> & Partial<Pick<AgentProvider, 'submit'>>;

export const NO_RULE = 'no-rule';

/** The common submit sequence: bracketed paste (so newlines do not submit early), then Enter. */
export function pasteThenEnter(text: string): string[] {
  return [`\x1b[200~${text}\x1b[201~`, '\r'];
}

export function defineProvider(definition: ProviderDefinition): AgentProvider {
  const compiled = compileRules(definition.rules, [], `${definition.id} rules`);
  const provider: AgentProvider = { submit: pasteThenEnter, ...definition, classify: () => NO_EVIDENCE };
  provider.classify = classifier(provider, compiled);
  return provider;
}

const NO_EVIDENCE: Verdict = { status: 'unknown', rule: NO_RULE };

/** Signal first, then the highest-priority matching rule, then the provider's word for "nothing matched". */
function classifier(provider: AgentProvider, compiled: readonly CompiledRule[]): (view: ScreenView) => Verdict {
  return (view) => {
    const signalled = provider.signal?.(view);
    if (signalled) return signalled;
    const match = firstMatch(compiled, view.lines, view.title);
    if (!match) return provider.unmatched?.(view) ?? NO_EVIDENCE;
    return { status: match.state, rule: match.id, ...(match.detail ? { detail: match.detail } : {}) };
  };
}

/** A copy of a provider with user rules merged over its own (same id replaces). */
export function withRules(provider: AgentProvider, overrides: unknown, source: string): AgentProvider {
  const compiled = compileRules(provider.rules, overrides, source);
  const rules: Rule[] = compiled.map((c) => c.rule);
  const copy: AgentProvider = { ...provider, rules };
  copy.classify = classifier(copy, compiled);
  return copy;
}
