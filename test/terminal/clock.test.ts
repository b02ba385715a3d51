import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/terminal/clock.ts';

describe('VirtualClock', () => {
  it('fires due timers in order, each at its own due time', () => {
    const clock = new VirtualClock(100);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 50);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
    clock.setTimeout(() => fired.push(['a2', clock.now()]), 10);
    const late = clock.setTimeout(() => fired.push(['late', clock.now()]), 500);
    clock.advanceTo(200);
    expect(fired).toEqual([['a', 110], ['a2', 110], ['b', 150]]);
    expect(clock.now()).toBe(200);
    late.cancel();
    clock.runAll();
    expect(fired).toHaveLength(3);
  });

  it('runs timers scheduled by timers and never moves backwards', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
    }, 5);
    clock.advanceTo(20);
    clock.advanceTo(10);
    expect(fired).toEqual([5, 10]);
    expect(clock.now()).toBe(20);
  });
});
