/**
 * Time for everything time-based in drover. Real agents use the wall clock; replays use a
 * virtual clock that jumps from one recorded timestamp to the next, so a replay gives the same
 * status timeline every time, as fast as the CPU allows.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds. Only differences are meaningful. */
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

interface PendingTimer {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to, firing due timers in order at their own due time. */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const timer: PendingTimer = { due: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  /** Move to `time`, running each timer due on the way with the clock set to its due time. */
  advanceTo(time: number): void {
    for (;;) {
      const next = this.nextDue(time);
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = Math.max(this.current, time);
  }

  /** Run every remaining timer (timers may schedule more; bounded so a loop cannot hang a replay). */
  runAll(limit = 100_000): void {
    for (let i = 0; i < limit; i++) {
      const live = this.timers.filter((t) => !t.cancelled);
      if (live.length === 0) return;
      this.advanceTo(Math.min(...live.map((t) => t.due)));
    }
  }

  private nextDue(limit: number): PendingTimer | undefined {
    if (this.timers.length === 0) return undefined;
    this.timers = this.timers.filter((t) => !t.cancelled);
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
