import { genericProvider } from './generic.ts';
import type { StatusProvider } from './types.ts';

const providers: ReadonlyMap<string, StatusProvider> = new Map([[genericProvider.id, genericProvider]]);

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
