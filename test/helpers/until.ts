/**
 * Waiting in tests for something that happens on its own time: a status, a file, a process gone.
 * Not vitest's `vi.waitFor`: that retries a check that throws (a throw here is a failure, at once),
 * and would build the failure's description on every miss where this builds it once, at the end.
 */

/** What a wait is for, said in its failure; a function when that needs the state at the time (a screen, a status). */
export type WaitedFor = string | (() => string | Promise<string>);

type Falsy = undefined | null | false | 0 | '';

/**
 * The first truthy value of `check`, looked at again and again (soon at first, then every 200 ms:
 * a slow look is often a `drover` process); past `timeoutMs` it throws, naming `what`. Deadlines
 * are generous: the suite runs on a loaded 2-core machine.
 */
export async function until<T>(check: () => T | Falsy | Promise<T | Falsy>, what: WaitedFor, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pauseMs = 10; ; pauseMs = Math.min(pauseMs * 2, 200)) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : await what()}`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
