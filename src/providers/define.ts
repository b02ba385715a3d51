/** Builds a provider from its three parts, filling what most agent CLIs share. */
import { ruleDetector, type DetectionSpec } from '../status/detector.ts';
import type { AgentProvider, Integration, LaunchSpec, Reader } from './types.ts';

/** The common submit sequence: bracketed paste (so newlines do not submit early), then Enter. */
export function pasteThenEnter(text: string): string[] {
  return [`\x1b[200~${text}\x1b[201~`, '\r'];
}

export interface ProviderDefinition {
  id: string;
  displayName: string;
  /** Defaults: settle 300 ms, `done` after a turn, `starting` until the screen says more. */
  detect: Partial<DetectionSpec> & Pick<DetectionSpec, 'rules'>;
  read: Reader;
  /** Defaults: no extra arguments or environment; a message is pasted, then Enter. */
  integrate: Omit<Integration, 'launch' | 'submit'> & {
    launch: Pick<LaunchSpec, 'command' | 'install'> & Partial<LaunchSpec>;
    submit?: Integration['submit'];
  };
}

export function defineProvider({ id, displayName, detect, read, integrate }: ProviderDefinition): AgentProvider {
  return {
    kind: 'agent',
    id,
    displayName,
    detect: ruleDetector({ settleMs: 300, doneAfterWork: true, initialStatus: 'starting', ...detect }, `${id} rules`),
    read,
    integrate: {
      submit: pasteThenEnter,
      ...integrate,
      launch: { args: [], env: {}, ...integrate.launch },
    },
  };
}
