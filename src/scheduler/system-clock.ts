import type { Clock } from './clock.js';

/** Node timers overflow past 2^31-1 ms (24.8 days); waits are capped far below that anyway. */
const MAX_TIMER_MS = 60_000;

/** The real wall clock. Each wait is at most 60 s, so callers re-check after jumps and suspends. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const delay = Math.min(Math.max(0, untilMs - Date.now()), MAX_TIMER_MS);
      const timer = setTimeout(done, delay);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};
