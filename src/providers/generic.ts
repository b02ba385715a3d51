import { ruleDetector } from '../status/detector.ts';
import type { GenericProvider } from './types.ts';

/**
 * Any program's recording, judged only by whether its screen is moving: output → working; a screen
 * that has stayed still for the settle time → idle. It cannot tell a prompt from a pause.
 */
export const genericProvider: GenericProvider = {
  kind: 'generic',
  id: 'generic',
  detect: ruleDetector({
    rules: [],
    settleMs: 1000,
    doneAfterWork: false,
    initialStatus: 'unknown',
    unmatched: (view) => (view.changed ? { status: 'working', rule: 'generic.output' } : { status: 'idle', rule: 'generic.quiet' }),
  }),
};
