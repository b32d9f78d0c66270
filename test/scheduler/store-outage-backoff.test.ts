/**
 * While the store is down (a PostgreSQL restart or failover), the loop backs off: it asks again
 * after the poll interval, then 2x, 4x, … up to 15 s, instead of every second; once the store
 * answers, the next error starts from the poll interval again. The ledger is the real SQLite
 * file behind a proxy that refuses every call during an outage (a labelled stand-in for an
 * unreachable database); the clock is virtual.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../../src/store/store-error.js';
import type { Store } from '../../src/store/types.js';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

function unreachableWhile(store: Store, down: { now: boolean }): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close' || typeof prop === 'symbol') return value;
      return async (...args: unknown[]) => {
        if (down.now) throw new StoreError('E_STORE_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:5432 (injected outage)', { transient: true });
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

test('a store outage: retries back off 1, 2, 4, 8, 15 s (not every second); the first pass after it starts what came due, and every minute ends in one recorded state', async () => {
  const down = { now: false };
  await using h = await createHarness({
    yaml: oneJob('schedule: "* * * * *"'),
    start: at('2026-01-05T09:59:30Z'),
    durationMs: 1_000,
    pollIntervalMs: 1_000,
    wrapStore: (store) => unreachableWhile(store, down),
  });
  const s = h.scheduler;
  const errors: { atMs: number; retryInMs: number | undefined; failures: number | undefined }[] = [];
  s.events.on('store:error', ({ retryInMs, failures }) => errors.push({ atMs: h.clock.now(), retryInMs, failures }));
  await s.start();

  // Down from 10:00:10 to 10:01:20 (70 s).
  await h.clock.advanceTo(at('2026-01-05T10:00:10Z'));
  down.now = true;
  await h.clock.advanceTo(at('2026-01-05T10:01:20Z'));
  const during = errors.map((e) => e.retryInMs);
  // First refused pass at 10:00:11, then 10:00:12, :14, :18, :26, :41, :56, 10:01:11.
  assert.deepEqual(during, [1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000, 15_000]);
  assert.deepEqual(errors.map((e) => e.failures), errors.map((_, i) => i + 1));
  // Each retry came when the previous error said it would.
  for (let i = 1; i < errors.length; i++) assert.equal(errors[i]!.atMs - errors[i - 1]!.atMs, errors[i - 1]!.retryInMs, `retry ${i}`);

  down.now = false;
  const last = errors.at(-1)!;
  await h.clock.advanceTo(at('2026-01-05T10:03:30Z'));
  assert.equal(errors.length, during.length, 'no error once the store answers');
  // The 10:01 fire came due during the outage and is decided by the first pass after it.
  const ledger = await h.ledger();
  for (const t of ['10:00', '10:01', '10:02', '10:03']) {
    const rows = ledger.filter((o) => o.nominalMs === at(`2026-01-05T${t}:00Z`));
    assert.equal(rows.length, 1, `${t} has exactly one row`);
    assert.ok(!['pending', 'running'].includes(rows[0]!.state), `${t} ended (${rows[0]!.state})`);
  }
  // 10:01 came due during the outage; the first pass after it (10:01:26) started it.
  const started1001 = h.provider.receipts.find((r) => r.nominal === '2026-01-05T10:01:00.000Z');
  assert.equal(started1001?.start, last.atMs + last.retryInMs!);
  assert.equal(ledger.find((o) => o.nominalMs === at('2026-01-05T10:01:00Z'))?.state, 'succeeded');

  // A second outage starts again from the poll interval.
  const before = errors.length;
  down.now = true;
  await h.clock.advanceTo(at('2026-01-05T10:03:34Z'));
  assert.deepEqual(errors.slice(before).map((e) => e.retryInMs).slice(0, 2), [1_000, 2_000]);
  down.now = false;
  await h.clock.runUntil(s.stop());
});
