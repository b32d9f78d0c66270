/** Deterministic jitter (DESIGN.md §6; scheduler-scenarios.md A7). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jitterFor } from '../../src/scheduler/jitter.js';
import { at, createHarness } from '../helpers/scheduler-harness.js';

test('jitter is a pure function of (job, nominal time): every instance computes the same delay', () => {
  const a = jitterFor('web', at('2026-01-05T02:00:00Z'), 600_000);
  assert.equal(a, jitterFor('web', at('2026-01-05T02:00:00Z'), 600_000));
  assert.ok(a >= 0 && a < 600_000);
  assert.notEqual(a, jitterFor('api', at('2026-01-05T02:00:00Z'), 600_000));
  assert.equal(jitterFor('web', at('2026-01-05T02:00:00Z'), 0), 0);
});

test('A7 systemd#39739: 50 jobs at 02:00 with jitter 10m caught up after an outage start spread over [02:30, 02:40)', async () => {
  const jobs = Array.from({ length: 50 }, (_, i) => `  j${i}:\n    schedule: "0 2 * * *"\n    jitter: 10m\n    provider: shell\n    command: ["true"]\n`).join('');
  await using h = await createHarness({ yaml: `deployments:\n${jobs}`, start: at('2026-01-05T01:45:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T01:50:00Z'));
  await h.scheduler.stop();
  await h.clock.jumpTo(at('2026-01-05T02:30:00Z'));
  await h.restart().start();
  await h.clock.advanceTo(at('2026-01-05T02:41:00Z'));
  const starts = h.provider.receipts.map((r) => r.start).sort((a, b) => a - b);
  assert.equal(starts.length, 50);
  assert.ok(starts[0]! >= at('2026-01-05T02:30:00Z') && starts.at(-1)! < at('2026-01-05T02:40:00Z'));
  const inFirstSecond = starts.filter((t) => t < at('2026-01-05T02:30:01Z')).length;
  assert.ok(inFirstSecond <= 2, `${inFirstSecond} of 50 started in the first second`);
  for (const r of h.provider.receipts) {
    assert.equal(r.start, at('2026-01-05T02:30:00Z') + jitterFor(r.job, Date.parse(r.nominal), 600_000), 'start = restart + hash(job, nominal)');
  }
});

test('on-time runs start at nominal + jitter, and the ledger keeps both', async () => {
  await using h = await createHarness({
    yaml: 'deployments:\n  web:\n    schedule: "0 * * * *"\n    jitter: 5m\n    provider: shell\n    command: ["true"]\n',
    start: at('2026-01-05T09:59:00Z'),
    durationMs: 1_000,
  });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:06:00Z'));
  const occ = (await h.ledger())[0]!;
  const j = jitterFor('web', at('2026-01-05T10:00:00Z'), 300_000);
  assert.equal(occ.nominalMs, at('2026-01-05T10:00:00Z'));
  assert.equal(occ.dueMs, occ.nominalMs + j);
  assert.equal(occ.startedMs, occ.dueMs);
  assert.equal(occ.trigger, 'on_time');
});
