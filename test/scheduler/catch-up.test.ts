/**
 * Catch-up after downtime (DESIGN.md §6; scheduler-scenarios.md A1, A5): every nominal time in
 * the outage ends in exactly one recorded state, and at most the latest one runs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

test('A1 pg-boss#557: hourly job down 09:58–11:30 runs once for 11:00; 10:00 is coalesced; 12:00 on time', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 * * * *"'), start: at('2026-01-05T09:55:00Z') });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T09:58:00Z'));
  await h.scheduler.stop();
  await h.clock.jumpTo(at('2026-01-05T11:30:00Z')); // nobody running: time passes

  const s = h.restart();
  await s.start();
  await h.clock.advance(10_000);
  assert.equal(h.provider.receipts.length, 1, 'exactly one catch-up run');
  const r = h.provider.receipts[0]!;
  assert.equal(r.nominal, '2026-01-05T11:00:00.000Z');
  assert.ok(r.start - at('2026-01-05T11:30:00Z') <= 5_000, 'starts within 5 s of startup');
  assert.deepEqual(await h.states(), {
    '2026-01-05T10:00:00.000Z': 'coalesced',
    '2026-01-05T11:00:00.000Z': 'succeeded',
  });
  const ran = (await h.ledger()).find((o) => o.state === 'succeeded')!;
  assert.equal(ran.trigger, 'catch_up');
  assert.equal(ran.startedMs! - ran.nominalMs, 30 * 60_000, 'lateness 30 min is recorded');

  await h.clock.advanceTo(at('2026-01-05T12:00:10Z'));
  assert.equal(h.provider.receipts.length, 2);
  assert.equal(h.provider.receipts[1]!.nominal, '2026-01-05T12:00:00.000Z');
  assert.equal(h.provider.receipts[1]!.start, at('2026-01-05T12:00:00Z'), 'the next run is on time');
});

test('A1 variant: catch_up_window 20m → no run, both times missed with a reason', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 * * * *"\ncatch_up_window: 20m'), start: at('2026-01-05T09:55:00Z') });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T09:58:00Z'));
  await h.scheduler.stop();
  await h.clock.jumpTo(at('2026-01-05T11:30:00Z'));
  const s = h.restart();
  const recorded: string[] = [];
  s.events.on('occurrence:recorded', ({ occurrence }) => recorded.push(occurrence.state));
  await s.start();
  await h.clock.advance(10_000);
  assert.equal(h.provider.receipts.length, 0);
  assert.deepEqual(await h.states(), { '2026-01-05T10:00:00.000Z': 'missed', '2026-01-05T11:00:00.000Z': 'missed' });
  for (const o of await h.ledger()) assert.match(o.reason ?? '', /not running from .* catch_up_window/);
  assert.deepEqual(recorded, ['missed', 'missed']);
});

test('A1 variant: catch_up all → 10:00 then 11:00, sequential, in nominal order', async () => {
  await using h = await createHarness({
    yaml: oneJob('schedule: "0 * * * *"\ncatch_up: all\ncatch_up_window: 2h'),
    start: at('2026-01-05T09:55:00Z'),
    durationMs: 60_000,
  });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T09:58:00Z'));
  await h.scheduler.stop();
  await h.clock.jumpTo(at('2026-01-05T11:30:00Z'));
  await h.restart().start();
  await h.clock.advance(5 * 60_000);
  const [a, b] = h.provider.receipts;
  assert.equal(h.provider.receipts.length, 2);
  assert.equal(a!.nominal, '2026-01-05T10:00:00.000Z');
  assert.equal(b!.nominal, '2026-01-05T11:00:00.000Z');
  assert.ok(b!.start >= a!.end!, 'sequential: the second starts after the first ended');
});

test('A5 systemd#13584: daily job, machine off 23:50→08:00, catch_up_window 12h → one run at 08:00, 8h late', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 0 * * *"\ncatch_up_window: 12h'), start: at('2026-01-05T23:40:00Z') });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T23:50:00Z'));
  await h.scheduler.stop();
  await h.clock.jumpTo(at('2026-01-06T08:00:00Z'));
  await h.restart().start();
  await h.clock.advance(10_000);
  assert.equal(h.provider.receipts.length, 1);
  const occ = (await h.ledger())[0]!;
  assert.equal(occ.nominalMs, at('2026-01-06T00:00:00Z'));
  assert.equal(occ.state, 'succeeded');
  assert.equal(occ.startedMs! - occ.nominalMs, 8 * 3_600_000);
});

test('A5 variant: catch_up_window 1h → missed, no run', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 0 * * *"\ncatch_up_window: 1h'), start: at('2026-01-05T23:40:00Z') });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T23:50:00Z'));
  await h.scheduler.stop();
  await h.clock.jumpTo(at('2026-01-06T08:00:00Z'));
  await h.restart().start();
  await h.clock.advance(10_000);
  assert.equal(h.provider.receipts.length, 0);
  assert.deepEqual(await h.states(), { '2026-01-06T00:00:00.000Z': 'missed' });
});

test('a job every second stopped for 30 days starts at once: one span row, one run', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/1s"'), start: at('2026-01-01T00:00:00Z'), durationMs: 100 });
  await h.scheduler.start();
  await h.clock.advance(1_500);
  await h.scheduler.stop();
  const before = h.provider.receipts.length;
  await h.clock.jumpTo(at('2026-01-31T00:00:00Z'));
  await h.restart().start();
  await h.clock.advance(500);
  const rows = await h.ledger();
  const span = rows.find((o) => o.spanEndMs !== null);
  assert.ok(span, 'the outage is one span row, not 2.6 million');
  assert.equal(span.state, 'coalesced');
  assert.equal(span.spanCount, (span.spanEndMs! - span.nominalMs) / 1000 + 1);
  assert.ok(rows.length < 1_100, `ledger rows: ${rows.length}`);
  assert.equal(h.provider.receipts.length, before + 1);
  assert.equal(h.provider.receipts.at(-1)!.nominal, '2026-01-31T00:00:00.000Z');
});
