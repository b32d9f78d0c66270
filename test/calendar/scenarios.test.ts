// The calendar parts of ../shared/cases/scheduler-scenarios.md §C (16, 17, 19, 20, 22, 23, 25).
// The scheduler runs these with a fake clock; here we check the fire times it will be given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.js';
import { explainSchedule, formatInZone, parseSchedule } from '../../src/calendar/index.js';
import type { Schedule, ScheduleOptions } from '../../src/calendar/index.js';
import { cronArb } from './support/cron-gen.js';

/** Fire times t with from <= t < to, formatted in the schedule's zone. */
function between(s: Schedule, from: string, to: string): string[] {
  const end = Date.parse(to);
  const out: string[] = [];
  for (let t = s.nextMs(Date.parse(from) - 1); t !== null && t < end; t = s.nextMs(t)) out.push(formatInZone(t, s.timezone));
  return out;
}

describe('scheduler scenarios §C, calendar side', () => {
  it('16 kubernetes#121594: daily 02:00 Berlin runs once when clocks go back; dst.repeat both runs twice', () => {
    const opts: ScheduleOptions = { timezone: 'Europe/Berlin' };
    assert.deepEqual(between(parseSchedule('0 2 * * *', opts), '2023-10-28T22:00:00Z', '2023-10-29T04:00:00Z'), ['2023-10-29T02:00:00+02:00']);
    const both = parseSchedule('0 2 * * *', { ...opts, dst: { repeat: 'both' } });
    assert.deepEqual(between(both, '2023-10-28T22:00:00Z', '2023-10-29T04:00:00Z'), ['2023-10-29T02:00:00+02:00', '2023-10-29T02:00:00+01:00']);
    assert.deepEqual(explainSchedule(both, { from: new Date('2023-10-28T22:00:00Z'), count: 2 }).next.map((f) => f.fireKind), ['normal', 'repeat-second-pass']);
  });

  it('17 systemd#5595: 02:30 New York runs right after the gap; explain says so; dst.gap skip drops that day', () => {
    const s = parseSchedule('30 2 * * *', { timezone: 'America/New_York' });
    assert.deepEqual(between(s, '2024-03-09T05:00:00Z', '2024-03-11T16:00:00Z'), ['2024-03-09T02:30:00-05:00', '2024-03-10T03:00:00-04:00', '2024-03-11T02:30:00-04:00']);
    const e = explainSchedule(s, { from: new Date('2024-03-09T05:00:00Z') });
    assert.equal(e.next[1]?.fireKind, 'gap-catchup');
    const gap = e.dstTransitions.find((t) => t.kind === 'gap');
    assert.ok(gap?.affects);
    assert.match(gap?.effect ?? '', /shifted by DST gap/);
    const skip = parseSchedule('30 2 * * *', { timezone: 'America/New_York', dst: { gap: 'skip' } });
    assert.deepEqual(between(skip, '2024-03-09T05:00:00Z', '2024-03-11T16:00:00Z'), ['2024-03-09T02:30:00-05:00', '2024-03-11T02:30:00-04:00']);
    assert.match(explainSchedule(skip, { from: new Date('2024-03-09T05:00:00Z') }).dstTransitions[0]?.effect ?? '', /skipped/);
  });

  it('19 systemd#8647: every minute in Prague runs 120 times in 2 real hours across fall-back, no gap over 60 s', () => {
    const s = parseSchedule('* * * * *', { timezone: 'Europe/Prague' });
    const fires = between(s, '2023-10-28T23:30:00Z', '2023-10-29T01:30:00Z').map(Date.parse);
    assert.equal(fires.length, 120);
    for (let i = 1; i < fires.length; i++) assert.equal((fires[i] as number) - (fires[i - 1] as number), 60_000);
    const local = between(s, '2023-10-29T00:00:00Z', '2023-10-29T01:30:00Z');
    assert.ok(local.includes('2023-10-29T02:00:00+02:00') && local.includes('2023-10-29T02:00:00+01:00'), 'both copies of 02:xx');
  });

  it('20 apscheduler#606/#529: no day skipped after spring-forward', () => {
    const pacific = parseSchedule('0 0 * * *', { timezone: 'US/Pacific' }).nextN(new Date('2022-03-12T00:00:01-08:00'), 5);
    assert.deepEqual(pacific.map((d) => formatInZone(d, 'US/Pacific')), [
      '2022-03-13T00:00:00-08:00',
      '2022-03-14T00:00:00-07:00',
      '2022-03-15T00:00:00-07:00',
      '2022-03-16T00:00:00-07:00',
      '2022-03-17T00:00:00-07:00',
    ]);
    const central = parseSchedule('0 0 * * 1-5', { timezone: 'US/Central' }).nextN(new Date('2021-03-12T00:00:01-06:00'), 2);
    assert.deepEqual(central.map((d) => formatInZone(d, 'US/Central')), ['2021-03-15T00:00:00-05:00', '2021-03-16T00:00:00-05:00']);
  });

  it('22 node-cron#919: 0 1 30 3 * in Lisbon answers fast and never hangs', () => {
    const t0 = performance.now();
    const s = parseSchedule('0 1 30 3 *', { timezone: 'Europe/Lisbon' });
    const got = s.nextN(new Date('2025-01-01T00:00:00Z'), 3).map((d) => formatInZone(d, 'Europe/Lisbon'));
    const ms = performance.now() - t0;
    assert.deepEqual(got, ['2025-03-30T02:00:00+01:00', '2026-03-30T01:00:00+01:00', '2027-03-30T01:00:00+01:00']);
    assert.ok(ms < 50, `took ${ms.toFixed(1)} ms`);
  });

  it('22 fuzz: random specs × 20 zones, each next() well under 1 ms once zone tables are warm', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Lisbon', 'Europe/Berlin', 'Australia/Sydney', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'America/Sao_Paulo', 'America/Santiago', 'Africa/Casablanca', 'Asia/Tehran', 'Pacific/Apia', 'America/St_Johns', 'Antarctica/Troll', 'Asia/Gaza', 'Europe/London', 'America/Havana', 'Asia/Kathmandu', 'Pacific/Kiritimati'];
    const specs = fc.sample(cronArb({ seconds: true, quartz: true }), { numRuns: Number(process.env.SHIPCLOCK_PROPERTY_RUNS ?? 0) > 0 ? 5000 : 500, seed: 22 });
    const from = Date.UTC(2025, 5, 1);
    const schedules: Schedule[] = [];
    for (const c of specs) {
      for (const tz of zones) {
        try {
          schedules.push(parseSchedule(c.text, { timezone: tz }));
        } catch (e) {
          if (!(e instanceof InputError)) throw e; // impossible calendars are refused
        }
      }
    }
    for (const s of schedules) s.nextMs(from); // warm-up: zone tables for the years visited
    let slow = 0;
    let worst = 0;
    for (const s of schedules) {
      const t0 = performance.now();
      const n = s.nextMs(from);
      const dt = performance.now() - t0;
      assert.ok(n !== null && n > from);
      worst = Math.max(worst, dt);
      if (dt >= 1) slow++;
    }
    // A GC pause can land on any call; allow one in a thousand, never a pattern.
    assert.ok(slow <= schedules.length / 1000, `${slow} of ${schedules.length} calls took >= 1 ms (worst ${worst.toFixed(2)} ms)`);
  });

  it('23 cron-parser#404/#378: iteration across a gap and prev at the shifted time', () => {
    const rome = parseSchedule('30 2 * * 0', { timezone: 'Europe/Rome' });
    assert.deepEqual(between(rome, '2025-03-29T00:00:00Z', '2025-04-10T00:00:00Z'), ['2025-03-30T03:00:00+02:00', '2025-04-06T02:30:00+02:00']);
    const ny = parseSchedule('0 2 * * *', { timezone: 'America/New_York' });
    assert.equal(formatInZone(ny.prev(new Date('2020-03-08T03:01:00-04:00')) as Date, 'America/New_York'), '2020-03-08T03:00:00-04:00');
  });

  it('23 prev(next(t)) <= t < next(t), second by second across DST days', () => {
    const probes: Array<[string, string, string]> = [
      ['0 2 * * *', 'America/New_York', '2020-03-08T06:00:00Z'],
      ['0 2 * * *', 'America/New_York', '2020-11-01T04:30:00Z'],
      ['30 2 * * 0', 'Europe/Rome', '2025-03-30T00:00:00Z'],
      ['*/15 * * * *', 'Europe/Rome', '2025-10-26T00:00:00Z'],
      ['30 1 * * *', 'Europe/London', '2024-10-27T00:00:00Z'],
    ];
    for (const [expr, tz, start] of probes) {
      const s = parseSchedule(expr, { timezone: tz });
      const t0 = Date.parse(start);
      for (let t = t0; t < t0 + 3 * 3600_000; t += 1000) {
        const n = s.nextMs(t) as number;
        const p = s.prevMs(n) as number;
        assert.ok(n > t && p <= t, `${expr} ${tz} at ${new Date(t).toISOString()}: next ${n}, prev(next) ${p}`);
      }
    }
  });

  it('25 OctopusDeploy#7433: London fall-back, daily 01:15 runs once, every 20m runs 12 times in 4 real hours', () => {
    const daily = parseSchedule('15 1 * * *', { timezone: 'Europe/London' });
    assert.deepEqual(between(daily, '2024-10-26T23:00:00Z', '2024-10-27T03:00:00Z'), ['2024-10-27T01:15:00+01:00']);
    const every = parseSchedule('every 20m', { timezone: 'Europe/London' });
    const fires = between(every, '2024-10-26T23:00:00Z', '2024-10-27T03:00:00Z').map(Date.parse);
    assert.equal(fires.length, 12);
    assert.equal(new Set(fires).size, 12);
    for (let i = 1; i < fires.length; i++) assert.equal((fires[i] as number) - (fires[i - 1] as number), 20 * 60_000);
  });
});
