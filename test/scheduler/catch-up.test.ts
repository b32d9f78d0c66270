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
  await h.outage(at('2026-01-05T09:58:00Z'), at('2026-01-05T11:30:00Z'));
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
  await h.outage(at('2026-01-05T09:58:00Z'), at('2026-01-05T11:30:00Z'));
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
  await h.outage(at('2026-01-05T23:50:00Z'), at('2026-01-06T08:00:00Z'));
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
  await h.outage(at('2026-01-05T23:50:00Z'), at('2026-01-06T08:00:00Z'));
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

test('A44 temporal#4332: catch_up all with max_catch_up 100 after 3 days down: the latest 100 run in order, the rest missed, on-time runs not starved', async () => {
  await using h = await createHarness({
    yaml: oneJob('schedule: "* * * * *"\ncatch_up: all\ncatch_up_window: 7d\nmax_catch_up: 100'),
    start: at('2026-01-05T09:59:30Z'),
    durationMs: 10_000,
  });
  await h.scheduler.start();
  await h.outage(at('2026-01-05T10:00:30Z'), at('2026-01-08T10:00:30Z'));
  await h.clock.advanceTo(at('2026-01-08T10:50:00Z'));

  const ledger = await h.ledger();
  // The restart is 30 s after 10:00, so 10:00 itself counts as on time; with 99 late times it
  // makes the 100 runs of the outage span.
  const catchUps = ledger.filter((o) => o.nominalMs > at('2026-01-05T10:00:30Z') && o.nominalMs <= at('2026-01-08T10:00:30Z') && o.spanEndMs === null && o.state !== 'missed');
  assert.equal(catchUps.length, 100);
  assert.ok(catchUps.every((o) => o.state === 'succeeded'));
  // 10:00 (on time at the restart) goes first; the 99 late times follow in nominal order.
  const ran = h.provider.receipts.filter((r) => Date.parse(r.nominal) < at('2026-01-08T10:00:00Z') && Date.parse(r.nominal) > at('2026-01-05T10:00:00Z'));
  const nominals = ran.map((r) => Date.parse(r.nominal));
  assert.equal(nominals.length, 99);
  assert.deepEqual(nominals, [...nominals].sort((a, b) => a - b), 'catch-up in nominal order');
  assert.equal(nominals[0], at('2026-01-08T08:21:00Z'), 'the most recent 100');
  const missed = ledger.filter((o) => o.state === 'missed');
  const missedCount = missed.reduce((n, o) => n + (o.spanCount ?? 1), 0);
  assert.ok(missed.length <= 2, 'the rest is recorded as one span');
  assert.ok(missed[0]!.spanEndMs !== null);
  assert.equal(missedCount + 100, 3 * 24 * 60, 'every minute of the outage accounted for');
  const onTime = ledger.filter((o) => o.nominalMs > at('2026-01-08T10:00:30Z') && o.nominalMs < at('2026-01-08T10:30:00Z'));
  assert.ok(onTime.every((o) => o.state === 'succeeded'), 'times that came due during the catch-up ran, none skipped');
  const r1005 = h.provider.receipts.find((r) => r.nominal === '2026-01-08T10:05:00.000Z')!;
  assert.ok(r1005.start - at('2026-01-08T10:05:00Z') <= 10_000, `an on-time run waits at most for the catch-up run in progress (waited ${r1005.start - at('2026-01-08T10:05:00Z')} ms)`);
});
