/** The providers drover knows, and a provider as the user's config shapes it. */
import { UserError } from '../errors.ts';
import { withRules } from '../status/detector.ts';
import { claude } from './claude/index.ts';
import { codex } from './codex/index.ts';
import { copilot } from './copilot/index.ts';
import { gemini } from './gemini/index.ts';
import { genericProvider } from './generic.ts';
import { opencode } from './opencode/index.ts';
import { qwen } from './qwen/index.ts';
import { shell } from './shell/index.ts';
import type { AgentProvider, Provider, ProviderOverride } from './types.ts';

export const agentProviders: readonly AgentProvider[] = [claude, codex, gemini, opencode, qwen, copilot, shell];

const builtIn: ReadonlyMap<string, Provider> = new Map<string, Provider>([
  ...agentProviders.map((p): [string, Provider] => [p.id, p]),
  [genericProvider.id, genericProvider],
]);

export class UnknownProviderError extends UserError {}

export function providerIds(): string[] {
  return [...builtIn.keys()];
}

export function getProvider(id: string): Provider {
  const provider = builtIn.get(id);
  if (!provider) throw new UnknownProviderError(`unknown provider "${id}" (known: ${providerIds().join(', ')})`);
  return provider;
}

/**
 * A provider as the user's config shapes it: a built-in one with its overrides (launch command,
 * extra or replaced rules, settle time), or a custom command built on a base provider.
 */
export function resolveProvider(id: string, overrides: Readonly<Record<string, ProviderOverride>> = {}): Provider {
  const override = overrides[id];
  if (!override) return getProvider(id);
  const baseId = builtIn.has(id) ? id : (override.base ?? 'shell');
  const base = builtIn.get(baseId);
  if (!base) throw new UnknownProviderError(`providers.${id}.base: unknown provider "${baseId}" (known: ${providerIds().join(', ')})`);
  const rules = override.rules ? withRules(base.detect, override.rules, `providers.${id}.rules`) : base.detect;
  const detect = { ...rules, settleMs: override.settleMs ?? base.detect.settleMs };
  if (base.kind === 'generic') {
    if (override.command || override.args || override.env) {
      throw new UnknownProviderError(`providers.${id}: base "${baseId}" only reads recordings and cannot be launched (use shell or an agent)`);
    }
    return { ...base, id, detect };
  }
  return {
    ...base,
    id,
    detect,
    integrate: {
      ...base.integrate,
      launch: {
        ...base.integrate.launch,
        command: override.command ?? (builtIn.has(id) ? base.integrate.launch.command : id),
        args: override.args ?? base.integrate.launch.args,
        env: { ...base.integrate.launch.env, ...override.env },
      },
    },
  };
}

/** Resolves every provider the config names, so a mistake in one (an unknown base, say) stops the daemon at start, by its key path. */
export function checkProviders(overrides: Readonly<Record<string, ProviderOverride>>): void {
  for (const id of Object.keys(overrides)) resolveProvider(id, overrides);
}

/** A provider that can be launched: an agent CLI or a command built on one. */
export function launchableProvider(id: string, overrides?: Readonly<Record<string, ProviderOverride>>): AgentProvider {
  const provider = resolveProvider(id, overrides);
  if (provider.kind !== 'agent') throw new UnknownProviderError(`provider "${id}" cannot be launched (it only reads recordings)`);
  return provider;
}
