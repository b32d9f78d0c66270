/**
 * A small fake Clock for the notify tests (test/helpers/fake-clock.ts is being written
 * separately; this one only does what these tests need). Time moves only when a test calls
 * `advance`/`advanceTo`; tests can wait until something is sleeping instead of sleeping.
 */
import type { Clock } from '../../src/scheduler/clock.js';

interface Sleeper {
  readonly until: number;
  readonly resolve: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  #watchers: (() => void)[] = [];

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void> {
    if (untilMs <= this.#now || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        until: untilMs,
        resolve: () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          signal?.removeEventListener('abort', sleeper.resolve);
          resolve();
        },
      };
      signal?.addEventListener('abort', sleeper.resolve, { once: true });
      this.#sleepers.push(sleeper);
      for (const w of this.#watchers.splice(0)) w();
    });
  }

  /** Wake times of everything sleeping now, earliest first. */
  sleepers(): number[] {
    return this.#sleepers.map((s) => s.until).sort((a, b) => a - b);
  }

  /** Resolves once at least `n` sleepers wait (at once if they already do). */
  async whenSleeping(n = 1): Promise<number[]> {
    while (this.#sleepers.length < n) await new Promise<void>((resolve) => this.#watchers.push(resolve));
    return this.sleepers();
  }

  advanceTo(ms: number): void {
    if (ms < this.#now) throw new Error('FakeClock cannot go backwards');
    this.#now = ms;
    for (const s of [...this.#sleepers]) if (s.until <= ms) s.resolve();
  }

  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }
}
