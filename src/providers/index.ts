import { claude } from './claude.ts';
import { codex } from './codex.ts';
import { copilot } from './copilot.ts';
import { gemini } from './gemini.ts';
import { genericProvider } from './generic.ts';
import { opencode } from './opencode.ts';
import { qwen } from './qwen.ts';
import { shell } from './shell.ts';
import type { Config } from '../store/config.ts';
import { withRules } from './define.ts';
import type { AgentProvider, StatusProvider } from './types.ts';

export const agentProviders: readonly AgentProvider[] = [claude, codex, gemini, opencode, qwen, copilot, shell];

const providers: ReadonlyMap<string, StatusProvider> = new Map<string, StatusProvider>([
  ...agentProviders.map((p): [string, StatusProvider] => [p.id, p]),
  [genericProvider.id, genericProvider],
]);

export class UnknownProviderError extends Error {}

export function providerIds(): string[] {
  return [...providers.keys()];
}

export function getProvider(id: string): StatusProvider {
  const provider = providers.get(id);
  if (!provider) {
    throw new UnknownProviderError(`unknown provider "${id}" (known: ${providerIds().join(', ')})`);
  }
  return provider;
}

/**
 * A provider as the user's config shapes it: a built-in one with its overrides (launch command,
 * extra or replaced rules, settle time), or a custom command built on a base provider.
 */
export function resolveProvider(id: string, config: Config): StatusProvider {
  const override = config.providers[id];
  if (!override) return getProvider(id);
  const baseId = providers.has(id) ? id : (override.base ?? 'shell');
  const base = getProvider(baseId);
  if (!('rules' in base)) {
    if (override.rules) throw new UnknownProviderError(`providers.${id}: base "${baseId}" has no rules to extend (use shell or an agent)`);
    return { ...base, id, settleMs: override.settleMs ?? base.settleMs };
  }
  const agent = base as AgentProvider;
  const merged = override.rules ? withRules(agent, override.rules, `providers.${id}.rules`) : agent;
  const resolved: AgentProvider = {
    ...merged,
    id,
    settleMs: override.settleMs ?? agent.settleMs,
    launch: {
      ...agent.launch,
      command: override.command ?? (providers.has(id) ? agent.launch.command : id),
      args: override.args ?? agent.launch.args,
      env: { ...agent.launch.env, ...override.env },
    },
  };
  return resolved;
}
