/**
 * The doctor's driver waits for the mock's next event as a person waits for an answer: two minutes
 * in any case, and on while the CLI shows work (opencode's first prompt on a loaded machine sent its
 * request after more than two minutes of its working bar). A virtual clock: `find` spends the time
 * it is given.
 */
import { describe, expect, it } from 'vitest';
import { MOCK_PATIENCE, waitWhileWorking } from '../../src/doctor/patience.ts';

/** A request the mock sees `arrivesAfterMs` into the wait, and a CLI that shows work until `workUntilMs`. */
function scene(arrivesAfterMs: number, workUntilMs: number) {
  let clock = 0;
  const find = async (timeoutMs: number) => {
    if (clock + timeoutMs >= arrivesAfterMs) {
      clock = Math.max(clock, arrivesAfterMs);
      return { at: clock };
    }
    clock += timeoutMs;
    return undefined;
  };
  const working = async () => clock < workUntilMs;
  return { find, working, now: () => clock };
}

describe('waitWhileWorking', () => {
  it('finds a request that comes within two minutes', async () => {
    const s = scene(30_000, 0);
    expect(await waitWhileWorking(s.find, s.working, MOCK_PATIENCE, s.now)).toEqual({ at: 30_000 });
  });

  it('waits past two minutes while the CLI shows work: the request after 3 min of the working bar is found', async () => {
    const s = scene(180_000, 180_000);
    expect(await waitWhileWorking(s.find, s.working, MOCK_PATIENCE, s.now)).toEqual({ at: 180_000 });
  });

  it('gives up after two minutes when the CLI shows no work', async () => {
    const s = scene(180_000, 60_000);
    expect(await waitWhileWorking(s.find, s.working, MOCK_PATIENCE, s.now)).toBeUndefined();
    expect(s.now()).toBe(MOCK_PATIENCE.quietMs);
  });

  it('gives up at the cap, work shown or not', async () => {
    const s = scene(Infinity, Infinity);
    expect(await waitWhileWorking(s.find, s.working, MOCK_PATIENCE, s.now)).toBeUndefined();
    expect(s.now()).toBe(MOCK_PATIENCE.capMs);
  });
});
