import type { StatusProvider } from './types.ts';

/**
 * Any command, judged only by whether its screen is moving: output → working; a screen that
 * has stayed still for the settle time → idle. It cannot tell a prompt from a pause.
 */
export const genericProvider: StatusProvider = {
  id: 'generic',
  settleMs: 1000,
  doneAfterWork: false,
  initialStatus: 'unknown',
  classify(view) {
    return view.changed
      ? { status: 'working', rule: 'generic.output' }
      : { status: 'idle', rule: 'generic.quiet' };
  },
};
