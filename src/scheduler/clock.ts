/**
 * The scheduler's only source of time. Production uses the system clock; tests inject a fake
 * one and advance it. Calendar code never sees a Clock: it takes instants as arguments.
 */
export interface Clock {
  /** Current wall-clock time, epoch milliseconds. */
  now(): number;
  /**
   * Resolve at (or after) wall-clock time `untilMs`, or earlier when `signal` aborts.
   * Callers cap waits (≤ 60 s) and re-check `now()`: wall clocks jump, machines suspend.
   */
  sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Elapsed time that wall-clock steps do not move (ms, arbitrary origin). With it the
   * scheduler can tell a clock jump (or a suspend) from time simply passing.
   */
  monotonic?(): number;
}
