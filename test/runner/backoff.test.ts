import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { backoffCeilingMs, fullJitterDelayMs } from '../../src/runner/backoff.js';
import { retryDecision } from '../../src/runner/retry-policy.js';

describe('backoff: exponential with full jitter', () => {
  it('doubles the ceiling per retry up to the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffCeilingMs(n, 30_000, 600_000)), [30_000, 60_000, 120_000, 240_000, 480_000, 600_000]);
    assert.equal(backoffCeilingMs(10_000, 30_000, 600_000), 600_000, 'no overflow for huge retry numbers');
    assert.equal(backoffCeilingMs(0, 30_000, 600_000), 0);
  });

  it('draws uniformly in [0, ceiling): whole ms, never negative, never the ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (retry, base, cap, r) => {
          const d = fullJitterDelayMs(retry, base, cap, () => r);
          const ceiling = backoffCeilingMs(retry, base, cap);
          return Number.isInteger(d) && d >= 0 && (ceiling === 0 ? d === 0 : d < ceiling);
        },
      ),
    );
  });
});

describe('retry policy', () => {
  const retry = { maxRetries: 2, baseMs: 1, capMs: 1 };
  it('retries only throttled, transient and conflict, up to max_retries retries', () => {
    for (const c of ['throttled', 'transient', 'conflict'] as const) {
      assert.deepEqual(retryDecision(c, 1, retry), { retry: true });
      assert.deepEqual(retryDecision(c, 2, retry), { retry: true });
      assert.deepEqual(retryDecision(c, 3, retry), { retry: false, why: 'retries_exhausted' });
    }
    for (const c of ['auth', 'not_found', 'invalid', 'unhealthy', 'timeout', 'cancelled', 'unknown'] as const) {
      assert.deepEqual(retryDecision(c, 1, retry), { retry: false, why: 'not_retryable' });
    }
  });
});
