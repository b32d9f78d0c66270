/**
 * Waiting on the injected clock. The Clock contract asks callers to cap each wait and re-check
 * `now()` (wall clocks jump, machines suspend), so a 10-minute backoff is a loop of short waits.
 */
import type { Clock } from '../scheduler/clock.js';

/** Longest single `sleepUntil` (DESIGN.md §2: waits capped at 60 s). */
export const MAX_SINGLE_WAIT_MS = 60_000;

/** Resolves true once `clock.now() >= untilMs`, false if `signal` aborted first. */
export async function waitUntil(clock: Clock, untilMs: number, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal?.aborted) return false;
    const now = clock.now();
    if (now >= untilMs) return true;
    await clock.sleepUntil(Math.min(untilMs, now + MAX_SINGLE_WAIT_MS), signal);
  }
}
