/**
 * How long the driver waits for what the mock model should see next. A person waits for an answer
 * as long as the CLI shows it is at work: opencode boots its project's services (file watcher,
 * snapshot repository, project copy) at the first prompt, not at start, and on a loaded machine that
 * took over two minutes before it sent its first request, its working bar drawn all along.
 */
export interface Patience {
  /** How long to wait in any case. */
  quietMs: number;
  /** Past that, how often to look whether the CLI still shows work. */
  lookMs: number;
  /** The longest wait in all, work shown or not. */
  capMs: number;
}

export const MOCK_PATIENCE: Patience = { quietMs: 120_000, lookMs: 10_000, capMs: 600_000 };

/**
 * `find(timeoutMs)` until it finds something: for `quietMs`, then a look at a time while
 * `working()` says the CLI shows work, up to `capMs`. Undefined once it gives up.
 */
export async function waitWhileWorking<T>(
  find: (timeoutMs: number) => Promise<T | undefined>,
  working: () => Promise<boolean>,
  patience: Patience,
  now: () => number = Date.now,
): Promise<T | undefined> {
  const start = now();
  let found = await find(patience.quietMs);
  while (found === undefined && now() - start < patience.capMs && (await working())) {
    found = await find(Math.min(patience.lookMs, patience.capMs - (now() - start)));
  }
  return found;
}
