import { describe, expect, it } from 'vitest';
import { ago, agoChangesIn } from '../../src/client/format.ts';

describe('ago', () => {
  it('reads seconds, minutes, hours and days', () => {
    const now = 10_000_000_000;
    expect(ago(now - 4_400, now)).toBe('4s');
    expect(ago(now - 59_400, now)).toBe('59s');
    expect(ago(now - 59_600, now)).toBe('1m');
    expect(ago(now - 3_599_400, now)).toBe('59m');
    expect(ago(now - 7_300_000, now)).toBe('2h');
    expect(ago(now - 3 * 86_400_000, now)).toBe('3d');
    expect(ago(now + 5_000, now)).toBe('0s'); // a clock a little ahead of this one
  });

  it('says exactly when its text changes next, so a list redraws only then', () => {
    const now = 10_000_000_000;
    const elapsed = [-2_000, 0, 1, 499, 500, 501, 12_345, 59_499, 59_500, 60_000, 61_234, 3_599_499, 3_599_500, 7_777_777, 86_399_499, 86_399_500, 200_000_000];
    for (const ms of elapsed) {
      const since = now - ms;
      const wait = agoChangesIn(since, now);
      expect(wait, `elapsed ${ms}`).toBeGreaterThan(0);
      expect(ago(since, now + wait - 1), `elapsed ${ms}: not before`).toBe(ago(since, now));
      expect(ago(since, now + wait), `elapsed ${ms}: then`).not.toBe(ago(since, now));
    }
  });
});
