/** An error the user can fix: printed as one line, no stack. */
export class UsageError extends Error {}

/** Errors whose message is already a complete one-line explanation. */
export function isUserFacing(error: unknown): error is Error {
  return error instanceof Error && [
    'UsageError',
    'PtyError',
    'AsciicastError',
    'UnknownProviderError',
    'ConfigError',
    'RuleError',
    'StoreError',
    'LockError',
    'NoDaemonError',
    'WorktreeError',
    'DaemonStartError',
  ].includes(error.constructor.name);
}
