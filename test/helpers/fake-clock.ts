/**
 * A fake Clock for tests: time moves only when the test says so, and sleepers wake in order.
 *
 *   const clock = new FakeClock(Date.UTC(2026, 0, 1));
 *   const run = runDeploy({ ..., clock });
 *   await clock.whenSleeping();          // wait for an event: the code under test is waiting
 *   await clock.advance(1_000);          // wakes every sleeper due in the next second, in order
 *   const result = await clock.runUntil(run); // or: jump from sleeper to sleeper until done
 *
 * Semantics (the Clock contract, src/scheduler/clock.ts):
 * - `sleepUntil(t)` resolves once fake time reaches `t`; at once when `t <= now()` or the
 *   signal is already aborted; early (resolves, never rejects) when its signal aborts.
 * - `advance`/`advanceTo` move time forward one due sleeper at a time: `now()` equals the
 *   sleeper's wake time while its continuation runs, and pending promise callbacks settle
 *   (`flush`) before the next sleeper wakes, so code that sleeps again in a loop is woken again
 *   within the same advance. They are async: always `await` them.
 * - `jumpTo(t)` is a wall-clock jump (NTP step, suspend/resume): time changes at once, forward
 *   or backward; sleepers due at the new time wake, all seeing the new `now()`.
 * - `runUntil(p)` repeatedly jumps to the next sleeper until `p` settles. It treats "only
 *   clock sleepers are pending" as idle, so use it when the code under test waits on nothing
 *   but the clock and in-process promises. With real I/O in flight (child processes, sockets),
 *   wait for an event (`whenSleeping`, a hook) and then `advance` by the amount you mean.
 *
 * Nothing here uses real timers except `flush` (one `setImmediate` turn).
 */
import type { Clock } from '../../src/scheduler/clock.js';

interface Sleeper {
  until: number;
  readonly seq: number;
  wake(): void;
}

export const DEFAULT_FAKE_START = Date.UTC(2026, 0, 1, 0, 0, 0);

export class FakeClock implements Clock {
  #now: number;
  #mono = 0;
  #seq = 0;
  #sleepers: Sleeper[] = [];
  #watchers: (() => void)[] = [];

  constructor(start: number | Date = DEFAULT_FAKE_START) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  /** Elapsed time: moved by advance/advanceTo, not by jumpTo (a wall-clock step). */
  monotonic(): number {
    return this.#mono;
  }

  #setNow(t: number): void {
    this.#mono += t - this.#now;
    this.#now = t;
  }

  sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void> {
    if (Number.isNaN(untilMs)) return Promise.reject(new TypeError('sleepUntil: NaN'));
    if (untilMs <= this.#now || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = {
        until: untilMs,
        seq: this.#seq++,
        wake: () => {
          const i = this.#sleepers.indexOf(sleeper);
          if (i === -1) return;
          this.#sleepers.splice(i, 1);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      signal?.addEventListener('abort', sleeper.wake, { once: true });
      this.#sleepers.push(sleeper);
      this.#sleepers.sort((a, b) => a.until - b.until || a.seq - b.seq);
      for (const w of this.#watchers.splice(0)) w();
    });
  }

  /** Wake times of everything sleeping now, earliest first. */
  sleepers(): number[] {
    return this.#sleepers.map((s) => s.until);
  }

  /** Number of pending sleepers. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** Earliest wake time, or null when nothing sleeps. */
  nextWakeAt(): number | null {
    return this.#sleepers[0]?.until ?? null;
  }

  /**
   * Resolves (with the wake times) once at least `n` sleepers wait; at once if they already
   * do. Event-driven: no polling, no real time.
   */
  async whenSleeping(n = 1): Promise<number[]> {
    while (this.#sleepers.length < n) await new Promise<void>((resolve) => this.#watchers.push(resolve));
    return this.sleepers();
  }

  /** Moves time forward by `ms`, waking due sleepers in order. */
  async advance(ms: number): Promise<void> {
    if (ms < 0) throw new RangeError('FakeClock.advance: negative duration (use jumpTo to go back)');
    return this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `t`, waking due sleepers in order (each at its own wake time). */
  async advanceTo(t: number): Promise<void> {
    if (t < this.#now) throw new RangeError(`FakeClock.advanceTo: ${t} is before now (${this.#now}); use jumpTo`);
    await this.flush();
    for (;;) {
      const next = this.#sleepers[0];
      if (!next || next.until > t) break;
      this.#setNow(Math.max(this.#now, next.until));
      next.wake();
      await this.flush();
    }
    this.#setNow(t);
    await this.flush();
  }

  /**
   * A wall-clock jump to `t` (forward or backward). Sleepers due at `t` wake in order, all
   * observing `now() === t`, as after a suspend or an NTP step. With `relativeTimers`, every
   * sleeper's wake time moves with the jump instead (what setTimeout does after an NTP step).
   */
  async jumpTo(t: number, options: { relativeTimers?: boolean } = {}): Promise<void> {
    if (options.relativeTimers) {
      // Node's timers count elapsed (monotonic) time: after a wall-clock step, each sleeper
      // still wakes after the rest of its delay, seeing the stepped wall clock.
      for (const s of this.#sleepers) s.until += t - this.#now;
    }
    this.#now = t;
    for (;;) {
      const next = this.#sleepers[0];
      if (!next || next.until > t) break;
      next.wake();
      await this.flush();
    }
    await this.flush();
  }

  /**
   * Jumps from sleeper to sleeper until `target` settles, and returns (or throws) its result.
   * Refuses to move more than `maxAdvanceMs` of fake time (default 400 days): a runaway loop
   * fails the test instead of hanging it. See the header for when not to use it.
   */
  async runUntil<T>(target: Promise<T>, options: { maxAdvanceMs?: number } = {}): Promise<T> {
    const limit = this.#now + (options.maxAdvanceMs ?? 400 * 86_400_000);
    let settled = false;
    const done = target.then(
      () => void (settled = true),
      () => void (settled = true),
    );
    for (;;) {
      await this.flush();
      if (settled) return target;
      const next = this.nextWakeAt();
      if (next === null) {
        // Nothing sleeps: the code under test waits on something else; wait for either.
        await Promise.race([done, this.whenSleeping(1)]);
        continue;
      }
      if (next > limit) throw new Error(`FakeClock.runUntil: not settled within ${options.maxAdvanceMs ?? '400 days'} ms of fake time`);
      await this.advanceTo(Math.max(this.#now, next));
    }
  }

  /** Lets pending promise callbacks run (one macrotask turn). */
  flush(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }
}
