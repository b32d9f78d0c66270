/**
 * F40 pg-boss#549, meteor-synced-cron#69: store calls that time out, before or after landing,
 * never kill the loop and never lose a scheduled time. The store here is the real SQLite ledger
 * behind a fault-injecting proxy (labelled stand-in for a flaky network to the database).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../../src/store/store-error.js';
import type { Store } from '../../src/store/types.js';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

/** Deterministic PRNG (mulberry32) so a failure is reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function faulty(store: Store, budget: { left: number; before: number; after: number }, random: () => number): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close' || prop === 'migrate' || typeof prop === 'symbol') return value;
      return async (...args: unknown[]) => {
        const roll = random();
        if (budget.left > 0 && roll < 0.05) {
          budget.left--;
          if (roll < 0.025) {
            budget.before++;
            throw new StoreError('E_STORE_UNAVAILABLE', 'injected: query timed out before reaching the database', { transient: true });
          }
          await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          budget.after++;
          throw new StoreError('E_STORE_UNAVAILABLE', 'injected: the reply was lost after the write landed', { transient: true });
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

test('F40: 50 injected store timeouts in an hour of minutely runs: every minute ends in one recorded state, the loop keeps going', async () => {
  const budget = { left: 50, before: 0, after: 0 };
  await using h = await createHarness({
    yaml: oneJob('schedule: "* * * * *"'),
    start: at('2026-01-05T09:59:30Z'),
    durationMs: 2_000,
    pollIntervalMs: 10_000,
    wrapStore: (store) => faulty(store, budget, rng(42)),
  });
  const errors: unknown[] = [];
  const s = h.scheduler;
  s.events.on('store:error', ({ error }) => errors.push(error));
  let lastTick = h.clock.now();
  let maxTickGap = 0;
  s.events.on('tick', ({ nowMs }) => {
    maxTickGap = Math.max(maxTickGap, nowMs - lastTick);
    lastTick = nowMs;
  });
  await s.start();
  await h.clock.advanceTo(at('2026-01-05T11:00:30Z'));
  await h.clock.runUntil(s.stop());

  assert.ok(budget.before + budget.after >= 40, `faults injected: ${budget.before} before, ${budget.after} after landing`);
  assert.ok(errors.length > 0);
  const ledger = await h.ledger();
  for (let t = at('2026-01-05T10:00:00Z'); t <= at('2026-01-05T11:00:00Z'); t += 60_000) {
    const rows = ledger.filter((o) => o.nominalMs === t);
    assert.equal(rows.length, 1, `${new Date(t).toISOString()} has exactly one row`);
    assert.ok(!['pending', 'running'].includes(rows[0]!.state), `${new Date(t).toISOString()} ended (${rows[0]!.state})`);
  }
  const nominals = h.provider.receipts.map((r) => r.nominal);
  assert.equal(new Set(nominals).size, nominals.length, 'no occurrence started twice');
  assert.ok(ledger.filter((o) => o.state === 'succeeded').length >= 50, 'most minutes ran');
  assert.ok(maxTickGap <= 90_000, `the loop never stalled (longest gap between ticks ${maxTickGap} ms)`);
});
