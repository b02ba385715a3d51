import { claude } from './claude.ts';
import { codex } from './codex.ts';
import { copilot } from './copilot.ts';
import { gemini } from './gemini.ts';
import { genericProvider } from './generic.ts';
import { opencode } from './opencode.ts';
import { qwen } from './qwen.ts';
import { shell } from './shell.ts';
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
