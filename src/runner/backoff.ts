/**
 * Exponential backoff with full jitter (the AWS architecture blog's "full jitter"): the n-th
 * retry waits a uniformly random time in [0, min(cap, base * 2^(n-1))). Randomness spreads
 * retries of many jobs hitting the same throttled API; the cap bounds the wait.
 */

/** The upper bound of the wait before retry number `retry` (1 = first retry). */
export function backoffCeilingMs(retry: number, baseMs: number, capMs: number): number {
  if (retry < 1) return 0;
  // 2^(n-1) overflows to Infinity for large n; min() keeps the cap.
  return Math.max(0, Math.min(capMs, baseMs * 2 ** (retry - 1)));
}

/**
 * The wait before retry number `retry`, drawn with `random` (uniform in [0, 1), as
 * Math.random). Whole milliseconds.
 */
export function fullJitterDelayMs(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const r = Math.min(Math.max(random(), 0), 1);
  const ceiling = backoffCeilingMs(retry, baseMs, capMs);
  return Math.min(Math.floor(r * ceiling), Math.max(0, ceiling - 1));
}
