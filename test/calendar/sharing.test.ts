// Compiled parts are shared between schedules with equal fields (issue 8, figure 2: 100,000
// jobs in memory). Sharing must be invisible: a schedule built after thousands of others answers
// exactly like one built on the uncached path (its own tables, its own day matcher).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseSchedule, type Schedule } from '../../src/calendar/index.js';
import { parseCron } from '../../src/calendar/cron-parse.js';
import { CronSchedule } from '../../src/calendar/cron-schedule.js';
import { DayMatcher } from '../../src/calendar/day-mask.js';
import { buildFieldTable, fieldTable } from '../../src/calendar/field-table.js';
import { LocalSearch } from '../../src/calendar/local-search.js';
import { zoneRules } from '../../src/calendar/zone-rules.js';
import { InputError } from '../../src/errors/index.js';
import { cronArb } from './support/cron-gen.js';

function cron(s: Schedule): CronSchedule {
  assert.ok(s instanceof CronSchedule, `${s.source} is not a cron schedule`);
  return s;
}

/** The same schedule built without any shared part: fresh tables, fresh day matcher. */
function uncached(expr: string, tz: string, hashKey: string, dst: { gap: 'shift' | 'skip'; repeat: 'once' | 'both' }): CronSchedule {
  const p = parseCron(expr, hashKey);
  const search = new LocalSearch(
    buildFieldTable(p.seconds, 60),
    buildFieldTable(p.minutes, 60),
    buildFieldTable(p.hours, 24),
    buildFieldTable(p.months, 13),
    new DayMatcher(p.days),
  );
  return new CronSchedule(expr, tz, p.wallClock, dst, search, zoneRules(tz));
}

/** Instants around the years the scheduler lives in, and a few far ones. */
const INSTANTS = [
  Date.UTC(1969, 11, 31, 23, 59, 59),
  Date.UTC(2024, 1, 29, 12),
  Date.UTC(2025, 2, 30, 0, 59, 59, 500),
  Date.UTC(2026, 9, 25, 23, 30),
  Date.UTC(2026, 11, 31, 23, 59, 59),
  Date.UTC(2100, 5, 15),
];

function assertSame(shared: CronSchedule, fresh: CronSchedule): void {
  const what = `${shared.source} in ${shared.timezone}`;
  for (const t of INSTANTS) {
    assert.equal(shared.nextMs(t), fresh.nextMs(t), `next after ${new Date(t).toISOString()} of ${what}`);
    assert.equal(shared.prevMs(t), fresh.prevMs(t), `prev before ${new Date(t).toISOString()} of ${what}`);
  }
  assert.equal(shared.describe(), fresh.describe(), `describe of ${what}`);
  assert.deepEqual(shared.fields, fresh.fields, `fields of ${what}`);
}

describe('shared compiled fields', () => {
  it('equal fields share one search and its tables, whatever the zone, DST policy, job name or spelling', () => {
    const a = cron(parseSchedule('30 2 * * 1-5', { timezone: 'UTC', hashKey: 'a' }));
    const spellings = [
      parseSchedule('30 2 * * 1-5', { timezone: 'Europe/Berlin', hashKey: 'b' }),
      parseSchedule('30 2 * * 1-5', { timezone: 'UTC', dst: { gap: 'skip', repeat: 'both' } }),
      parseSchedule('0 30 2 * * 1-5'),
      parseSchedule('30 02 * * MON-FRI'),
      parseSchedule('30 2 * * 1,2,3,4,5'),
    ];
    for (const s of spellings) assert.equal(cron(s).search, a.search, `${s.source} shares the search of ${a.source}`);
    assert.equal(fieldTable(new Set([30]), 60), fieldTable(new Set([30]), 60));
    assert.equal(fieldTable(new Set([2, 3]), 24), fieldTable(new Set([3, 2]), 24));
  });

  it('jobs that differ only in name share one schedule unless the expression has an H', () => {
    const opts = (name: string) => ({ timezone: 'UTC', hashKey: name });
    assert.equal(parseSchedule('15 4 * * *', opts('job-1')), parseSchedule('15 4 * * *', opts('job-2')));
    const h1 = parseSchedule('H 4 * * *', opts('job-1'));
    const h2 = parseSchedule('H 4 * * *', opts('job-2'));
    assert.notEqual(h1, h2);
    // The seeds pick different minutes for these two names; each answers for its own.
    assert.notEqual(cron(h1).fields.minutes[0], cron(h2).fields.minutes[0]);
    assertSame(cron(h1), uncached('H 4 * * *', 'UTC', 'job-1', { gap: 'shift', repeat: 'once' }));
    assertSame(cron(h2), uncached('H 4 * * *', 'UTC', 'job-2', { gap: 'shift', repeat: 'once' }));
  });

  it('different fields never share: tables of neighbouring value sets and day specs that look alike', () => {
    const distinct = [
      '0 0 * * *', '0 0 * * ?', '0 0 ? * *', '0 0 1-31 * *', '0 0 */1 * *', '0 0 1-31 * 1', '0 0 * * 1', '0 0 */2 * 1',
      '0 0 L * *', '0 0 L-1 * *', '0 0 LW * *', '0 0 15W * *', '0 0 ? * 5L', '0 0 ? * 5#2', '0 0 ? * 2#5', '0 0 L,15W * *', '0 0 15W,L * *',
      '0 0 1 1 *', '0 0 1 2 *', '0 1 1 1 *', '1 0 1 1 *', '1 0 0 1 1 *', '0 0 1 1 1',
      '29 * * * *', '30 * * * *', '29,30 * * * *', '* 29 * * * *', '59 59 23 31 12 *', '0 0 29 2 *', '0 0 29 2 1',
    ];
    const schedules = distinct.map((e) => cron(parseSchedule(e)));
    for (const s of schedules) assertSame(s, uncached(s.source, 'UTC', '', { gap: 'shift', repeat: 'once' }));
    const byTables = new Map<LocalSearch, string[]>();
    for (const s of schedules) byTables.set(s.search, [...(byTables.get(s.search) ?? []), s.source]);
    // Only spellings of one calendar may share (the order of Quartz items of different kinds
    // changes nothing); `1-31` and `*/1` stay apart, as `*/1` sets Vixie's DOM_STAR.
    const shared = [...byTables.values()].filter((group) => group.length > 1).map((g) => g.join(' = '));
    assert.deepEqual(shared, ['0 0 L,15W * * = 0 0 15W,L * *']);
  });

  it('property: after thousands of other schedules (past every bound), each answers like its uncached twin', () => {
    // More distinct calendars than the shared maps hold (4096), so they are cleared on the way.
    const daily = Array.from({ length: 5000 }, (_, i) => `${i % 60} ${(i * 7) % 60} ${i % 24} * * *`);
    const built = daily.map((e) => cron(parseSchedule(e, { timezone: 'UTC' })));
    built.forEach((s, i) => i % 50 === 0 && assertSame(s, uncached(daily[i] as string, 'UTC', '', { gap: 'shift', repeat: 'once' })));

    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    const gens = fc.sample(fc.tuple(cronArb({ seconds: true, quartz: true }), fc.constantFrom(...zones), fc.constantFrom('shift', 'skip'), fc.constantFrom('once', 'both')), {
      numRuns: 600,
      seed: 8,
    });
    const kept: Array<{ s: CronSchedule; tz: string; dst: { gap: 'shift' | 'skip'; repeat: 'once' | 'both' } }> = [];
    for (const [c, tz, gap, repeat] of gens) {
      try {
        kept.push({ s: cron(parseSchedule(c.text, { timezone: tz, dst: { gap, repeat }, hashKey: c.text })), tz, dst: { gap, repeat } });
      } catch (e) {
        if (!(e instanceof InputError && e.code === 'E_SCHEDULE_NEVER')) throw e;
      }
    }
    assert.ok(kept.length > 500, `${kept.length} schedules kept`);
    for (const { s, tz, dst } of kept) assertSame(s, uncached(s.source, tz, s.source, dst));
  });
});
