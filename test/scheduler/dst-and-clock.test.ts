/**
 * The running scheduler across DST transitions and wall-clock jumps
 * (scheduler-scenarios.md C16, C17, C19, C25, C29, A2).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatInZone } from '../../src/calendar/index.js';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

test('C16 k8s#121594: 02:00 Europe/Berlin runs once when clocks go back', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 2 * * *"\ntimezone: Europe/Berlin'), start: at('2023-10-28T22:00:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2023-10-29T04:00:00Z'));
  assert.deepEqual(h.provider.receipts.map((r) => r.nominal), ['2023-10-29T00:00:00.000Z']);
});

test('C16 variant dst.repeat: both → a second run at 02:00+01:00', async () => {
  await using h = await createHarness({
    yaml: oneJob('schedule: "0 2 * * *"\ntimezone: Europe/Berlin\ndst: { repeat: both }'),
    start: at('2023-10-28T22:00:00Z'),
    durationMs: 1_000,
  });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2023-10-29T04:00:00Z'));
  assert.deepEqual(h.provider.receipts.map((r) => r.nominal), ['2023-10-29T00:00:00.000Z', '2023-10-29T01:00:00.000Z']);
});

test('C17 systemd#5595: 02:30 America/New_York runs at 03:00 on the spring-forward day', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "30 2 * * *"\ntimezone: America/New_York'), start: at('2024-03-09T05:00:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2024-03-11T16:00:00Z'));
  assert.deepEqual(
    h.provider.receipts.map((r) => formatInZone(new Date(r.nominal), 'America/New_York')),
    ['2024-03-09T02:30:00-05:00', '2024-03-10T03:00:00-04:00', '2024-03-11T02:30:00-04:00'],
  );
});

test('C17 variant dst.gap: skip → no run on 03-10, recorded as skipped_dst_gap', async () => {
  await using h = await createHarness({
    yaml: oneJob('schedule: "30 2 * * *"\ntimezone: America/New_York\ndst: { gap: skip }'),
    start: at('2024-03-09T05:00:00Z'),
    durationMs: 1_000,
  });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2024-03-11T16:00:00Z'));
  assert.equal(h.provider.receipts.length, 2);
  const skipped = (await h.ledger()).filter((o) => o.state === 'skipped_dst_gap');
  assert.equal(skipped.length, 1);
  assert.equal(formatInZone(new Date(skipped[0]!.nominalMs), 'America/New_York'), '2024-03-10T03:00:00-04:00');
  assert.match(skipped[0]!.reason!, /DST gap/);
});

test('C19 systemd#8647: every minute in Europe/Prague across fall-back runs 120 times, one per real minute', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "* * * * *"\ntimezone: Europe/Prague'), start: at('2023-10-28T23:30:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2023-10-29T01:30:00Z'));
  const starts = h.provider.receipts.map((r) => r.start);
  assert.equal(starts.length, 120);
  for (let i = 1; i < starts.length; i++) assert.equal(starts[i]! - starts[i - 1]!, 60_000, 'no gap longer than 60 s');
  const local = h.provider.receipts.map((r) => formatInZone(new Date(r.nominal), 'Europe/Prague'));
  assert.ok(local.includes('2023-10-29T02:15:00+02:00') && local.includes('2023-10-29T02:15:00+01:00'), 'both copies of the repeated hour');
});

test('C25 Octopus#7433: 01:15 Europe/London runs once and every 20m runs 12 times across the 4-hour night', async () => {
  const yaml = `deployments:
  daily:
    schedule: "15 1 * * *"
    timezone: Europe/London
    provider: shell
    command: ["true"]
  often:
    schedule: "every 20m"
    timezone: Europe/London
    provider: shell
    command: ["true"]
`;
  // 2024-10-27 00:00 BST (23:00Z the day before) to 03:00 GMT: 4 real hours.
  await using h = await createHarness({ yaml, start: at('2024-10-26T22:59:59Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2024-10-27T02:59:59Z'));
  const daily = h.provider.receipts.filter((r) => r.job === 'daily');
  const often = h.provider.receipts.filter((r) => r.job === 'often');
  assert.deepEqual(daily.map((r) => formatInZone(new Date(r.nominal), 'Europe/London')), ['2024-10-27T01:15:00+01:00']);
  assert.equal(often.length, 12);
  for (let i = 1; i < often.length; i++) assert.equal(often[i]!.start - often[i - 1]!.start, 20 * 60_000);
  const perNominal = new Set(h.provider.receipts.map((r) => `${r.job}@${r.nominal}`));
  assert.equal(perNominal.size, h.provider.receipts.length, 'no occurrence fires more than once');
});

test('C29a clock set back 1 h after the 10:00 run: nothing re-runs, the jump is recorded, runs resume at 10:05', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/5 * * * *"'), start: at('2026-01-05T09:58:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:00:30Z'));
  assert.equal(h.provider.receipts.length, 1);
  await h.clock.jumpTo(at('2026-01-05T09:00:30Z'), { relativeTimers: true });
  await h.clock.advanceTo(at('2026-01-05T10:06:00Z'));
  assert.deepEqual(h.provider.receipts.map((r) => r.nominal), ['2026-01-05T10:00:00.000Z', '2026-01-05T10:05:00.000Z']);
  assert.equal(h.provider.receipts[1]!.start, at('2026-01-05T10:05:00Z'));
  const jumps = await h.store.listEvents({ type: 'clock_jump' });
  assert.equal(jumps.length, 1);
  assert.equal(jumps[0]!.data!.deltaMs, -3_600_000);
});

test('C29b booted with the clock in 2098, then corrected: scheduling resumes within one period', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/5 * * * *"'), start: at('2098-01-01T00:00:30Z'), durationMs: 1_000 });
  const jumps: boolean[] = [];
  h.scheduler.events.on('clock:jump', (j) => jumps.push(j.correction));
  await h.scheduler.start();
  await h.clock.advanceTo(at('2098-01-01T00:05:30Z'));
  assert.equal(h.provider.receipts.length, 1);
  await h.clock.jumpTo(at('2026-01-05T10:01:00Z'), { relativeTimers: true });
  await h.clock.advanceTo(at('2026-01-05T10:06:00Z'));
  assert.equal(h.provider.receipts.length, 2);
  assert.equal(h.provider.receipts[1]!.nominal, '2026-01-05T10:05:00.000Z');
  assert.ok(jumps.includes(true), 'a clock-correction event');
  assert.equal((await h.store.listEvents({ type: 'clock_correction' })).length, 1);
});

test('A2 pg-boss#327: a process stopped for 90 s (SIGSTOP) catches up the overdue minute at once; every 10s resumes', async () => {
  const yaml = `deployments:
  minutely:
    schedule: "*/1 * * * *"
    provider: shell
    command: ["true"]
  tens:
    schedule: "every 10s"
    provider: shell
    command: ["true"]
`;
  await using h = await createHarness({ yaml, start: at('2026-01-05T10:00:30Z'), durationMs: 200 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:00:50Z'));
  await h.clock.jumpTo(at('2026-01-05T10:02:20Z')); // SIGCONT after 90 s: every timer fires late at once
  await h.clock.advance(2_000);
  const minutely = h.provider.receipts.filter((r) => r.job === 'minutely');
  assert.equal(minutely.at(-1)!.nominal, '2026-01-05T10:02:00.000Z');
  assert.ok(minutely.at(-1)!.start <= at('2026-01-05T10:02:22Z'), 'within 2 s of SIGCONT');
  const states = await h.states('minutely');
  assert.equal(states['2026-01-05T10:01:00.000Z'], 'coalesced', 'the 10:01 time is accounted for');
  await h.clock.advanceTo(at('2026-01-05T10:03:05Z'));
  const tens = (await h.ledger('tens')).map((o) => o.nominalMs);
  for (let t = at('2026-01-05T10:00:40Z'); t <= at('2026-01-05T10:03:00Z'); t += 10_000) assert.ok(tens.includes(t), `10s time ${new Date(t).toISOString()} is in the ledger`);
});

test('a target months away (beyond the 24.8-day timer limit) fires once, on time, through capped waits', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 0 1 1 *"'), start: at('2026-02-01T00:00:00Z'), durationMs: 1_000, pollIntervalMs: 86_400_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2027-01-01T00:10:00Z'));
  assert.deepEqual(h.provider.receipts.map((r) => [r.nominal, r.start]), [['2027-01-01T00:00:00.000Z', at('2027-01-01T00:00:00Z')]]);
});
