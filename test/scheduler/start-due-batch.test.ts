/**
 * startDue decides a pass's due occurrences, issues their claims together and launches the runs
 * whose claims landed (src/scheduler/scheduler.ts). Regressions found in review of that batching.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../../src/store/store-error.js';
import type { Store } from '../../src/store/types.js';
import { at, createHarness } from '../helpers/scheduler-harness.js';

const twoJobs = `deployments:
  a:
    provider: shell
    command: ["true"]
    schedule: "0 0 1 1 *"
  b:
    provider: shell
    command: ["true"]
    schedule: "* * * * *"
`;

const queueAll = `deployments:
  x:
    provider: shell
    command: ["true"]
    schedule: "* * * * *"
    overlap: queue_all
    queue_cap: 1
`;

test('a store error later in a pass still launches the runs claimed before it (contract test against a store that fails one settle)', async () => {
  let armed = true;
  const failOneSettle = (real: Store): Store => new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'settle' || typeof value !== 'function') return typeof value === 'function' ? (value as Function).bind(target) : value;
      return async (...args: unknown[]) => {
        if (armed && (args[1] as { state: string }).state === 'skipped_overlap') {
          armed = false;
          throw new StoreError('E_STORE_UNAVAILABLE', 'injected: one failed write', { transient: true });
        }
        return (value as Function).apply(target, args);
      };
    },
  });
  await using h = await createHarness({ yaml: twoJobs, start: at('2026-01-05T09:59:30Z'), durationMs: 90_000, pollIntervalMs: 10_000, wrapStore: failOneSettle });
  const s = h.scheduler;
  const errors: unknown[] = [];
  s.events.on('store:error', ({ error }) => errors.push(error));
  await s.start();
  await h.clock.advanceTo(at('2026-01-05T10:00:30Z'));
  // A person's run of job a, due with the 10:01 fire time: rank 0, so it is decided before b's 10:01.
  const manual = (await h.store.insertOccurrence(
    { job: 'a', nominalMs: at('2026-01-05T10:01:00Z'), kind: 'manual', trigger: 'manual', state: 'pending', target: 'a', dueMs: at('2026-01-05T10:01:00Z'), requestedBy: 'rv' },
    h.clock.now(),
  ))!;
  await h.clock.advanceTo(at('2026-01-05T10:01:05Z'));
  const a1 = (await h.store.getOccurrence(manual.id))!;
  const started = h.provider.receipts.filter((r) => r.job === 'a').map((r) => r.runId);
  await h.clock.advanceTo(at('2026-01-05T10:03:00Z'));
  const later = (await h.store.getOccurrence(a1.id))!;
  await h.clock.runUntil(s.stop());
  assert.equal(errors.length, 1);
  assert.ok(started.includes(a1.runId!), 'the manual run claimed before the failure was launched');
  assert.equal(later.state, 'succeeded', later.reason ?? '');
});

test('queue_all (cap 1): a forced manual run and the 10:01 fire time due in one pass; 10:01 queues behind it, not skipped (no stale live rows)', async () => {
  await using h = await createHarness({ yaml: queueAll, start: at('2026-01-05T09:59:30Z'), durationMs: 90_000, pollIntervalMs: 10_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:00:30Z'));
  await h.store.insertOccurrence(
    { job: 'x', nominalMs: at('2026-01-05T10:00:50Z'), kind: 'manual', trigger: 'manual', state: 'pending', target: 'x', dueMs: at('2026-01-05T10:01:00Z'), requestedBy: 'rv', force: true },
    h.clock.now(),
  );
  await h.clock.advanceTo(at('2026-01-05T10:01:05Z'));
  const s = (await h.ledger('x')).find((o) => o.kind === 'scheduled' && o.nominalMs === at('2026-01-05T10:01:00Z'))!;
  await h.clock.runUntil(h.scheduler.stop({ force: true }));
  assert.notEqual(s.state, 'skipped_overlap', s.reason ?? '');
});
