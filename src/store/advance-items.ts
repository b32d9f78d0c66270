import type { AdvanceItem } from './types.js';

/**
 * advanceMany takes each job at most once: two items for one job would mean one cursor moved
 * twice in one call, which the stores could only answer differently (in order, or not at all).
 */
export function refuseRepeatedJobs(items: readonly AdvanceItem[]): void {
  const seen = new Set<string>();
  for (const { job } of items) {
    if (seen.has(job)) throw new TypeError(`advanceMany: job ${JSON.stringify(job)} appears more than once in one call`);
    seen.add(job);
  }
}
