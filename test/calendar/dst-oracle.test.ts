// Differential test against a brute-force oracle around real DST transitions: the oracle walks
// every real minute of a 52-hour window, reads local time from Intl and applies the cronie rules
// literally (DESIGN.md §3). The calendar must produce exactly the same fire times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.js';
import { explainSchedule, parseSchedule } from '../../src/calendar/index.js';
import { cronArb, field, matchesLocal, type GenCron, type LocalFields } from './support/cron-gen.js';
import { intlLocal, localSeconds } from './support/intl-local.js';

const RUNS = Number(process.env.SHIPCLOCK_PROPERTY_RUNS ?? 0) || 0;

/** Zones with at least one offset change in 2020-2024 (found through the public explain API). */
const DST_ZONES = Intl.supportedValuesOf('timeZone').filter(
  (z) => explainSchedule(parseSchedule('3600', { timezone: z }), { from: new Date(Date.UTC(2020, 0, 1)), count: 0 }).dstTransitions.length > 0,
);

function fieldsOfLocal(localSec: number): LocalFields {
  const d = new Date(localSec * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    daysInMonth: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  };
}

/** cronie, literally, one real minute at a time. */
function oracle(c: GenCron, zone: string, from: number, to: number, gap: 'shift' | 'skip', repeat: 'once' | 'both'): number[] {
  const fires: number[] = [];
  let maxLocal = Number.NEGATIVE_INFINITY;
  let prevLocal: number | null = null;
  const push = (t: number) => {
    if (fires[fires.length - 1] !== t) fires.push(t);
  };
  for (let t = from; t <= to; t += 60_000) {
    const f = intlLocal(t, zone);
    const local = localSeconds(f);
    if (prevLocal !== null && local - prevLocal > 60 && c.wallClock && gap === 'shift') {
      // Local minutes skipped by a jump forward: a wall-clock job due in them runs now, once.
      for (let m = prevLocal + 60; m < local; m += 60) {
        if (matchesLocal(c, fieldsOfLocal(m))) {
          push(t);
          break;
        }
      }
    }
    const secondPass = local <= maxLocal;
    if (matchesLocal(c, f) && (!c.wallClock || !secondPass || repeat === 'both')) push(t);
    maxLocal = Math.max(maxLocal, local);
    prevLocal = local;
  }
  return fires;
}

/** Compares the calendar with the oracle over [at - halfWindow, at + halfWindow], from every probe. */
function checkWindow(c: GenCron, zone: string, at: number, halfWindow: number, gap: 'shift' | 'skip', repeat: 'once' | 'both'): void {
  let s;
  try {
    s = parseSchedule(c.text, { timezone: zone, dst: { gap, repeat } });
  } catch (e) {
    if (e instanceof InputError && e.code === 'E_SCHEDULE_NEVER') return void fc.pre(false);
    throw e;
  }
  const from = at - halfWindow;
  const to = at + halfWindow;
  const want = oracle(c, zone, from, to, gap, repeat);
  const got: number[] = [];
  for (let t = s.nextMs(from - 1); t !== null && t <= to; t = s.nextMs(t)) got.push(t);
  assert.deepEqual(
    got.map((t) => new Date(t).toISOString()),
    want.map((t) => new Date(t).toISOString()),
    `${c.text} in ${zone} around ${new Date(at).toISOString()} (gap ${gap}, repeat ${repeat})`,
  );
  // next and prev from arbitrary instants, including the transition itself and its neighbours.
  const probes = [at - 1000, at, at + 1000, at - 60_000, at + 60_000, at - 3 * 86_400_000, at + 3 * 86_400_000, ...want.flatMap((w) => [w - 1, w, w + 1])];
  for (const t of probes) {
    if (t < from + 3 * 3600_000 || t > to - 3 * 3600_000) continue;
    const n = want.find((w) => w > t);
    const p = [...want].reverse().find((w) => w < t);
    if (n !== undefined) assert.equal(s.nextMs(t), n, `${c.text} in ${zone}: next(${new Date(t).toISOString()})`);
    if (p !== undefined) assert.equal(s.prevMs(t), p, `${c.text} in ${zone}: prev(${new Date(t).toISOString()})`);
  }
}

function transitionIn(zone: string, year: number, pick: number): number {
  const trs = explainSchedule(parseSchedule('3600', { timezone: zone }), { from: new Date(Date.UTC(year, 0, 1)), count: 0 }).dstTransitions;
  fc.pre(trs.length > 0);
  return Date.parse((trs[pick % trs.length] as { utc: string }).utc);
}

/** Sparse days (one day of the month or one weekday): matches days apart, so far-match jumps run. */
const sparseArb: fc.Arbitrary<GenCron> = fc
  .record({
    minutes: field(0, 59, { dense: true }),
    hours: field(0, 23, { dense: true }),
    dom: fc.integer({ min: 1, max: 28 }),
    dow: fc.integer({ min: 0, max: 6 }),
    useDom: fc.boolean(),
  })
  .map(({ minutes, hours, dom, dow, useDom }) => {
    const all = (lo: number, hi: number) => new Set(Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));
    const days = {
      dom: useDom ? { text: String(dom), values: new Set([dom]), star: false } : { text: '*', values: all(1, 31), star: true },
      dow: useDom ? { text: '*', values: all(0, 6), star: true } : { text: String(dow), values: new Set([dow]), star: false },
      lastDay: false,
      lastWeekdayOf: null,
      nth: null,
    };
    const text = `${minutes.text} ${hours.text} ${days.dom.text} * ${days.dow.text}`;
    return { text, seconds: null, minutes, hours, months: { text: '*', values: all(1, 12), star: true }, days, wallClock: !minutes.text.startsWith('*') && !hours.text.startsWith('*') };
  });

const policy = [fc.constantFrom<'shift' | 'skip'>('shift', 'skip'), fc.constantFrom<'once' | 'both'>('once', 'both')] as const;

describe('DST windows against a brute-force cronie oracle', () => {
  it(`matches the oracle minute for minute over 52 h (${DST_ZONES.length} zones with DST)`, () => {
    fc.assert(
      fc.property(cronArb({ dense: true }), fc.constantFrom(...DST_ZONES), fc.integer({ min: 1971, max: 2099 }), fc.nat(), ...policy, (c, zone, year, pick, gap, repeat) => {
        checkWindow(c, zone, transitionIn(zone, year, pick), 26 * 3600_000, gap, repeat);
      }),
      { numRuns: RUNS > 0 ? RUNS : 50 },
    );
  });

  it('matches the oracle over 10 days for sparse day fields (far-match jumps across transitions)', () => {
    fc.assert(
      fc.property(sparseArb, fc.constantFrom(...DST_ZONES), fc.integer({ min: 1971, max: 2099 }), fc.nat(), ...policy, (c, zone, year, pick, gap, repeat) => {
        checkWindow(c, zone, transitionIn(zone, year, pick), 5 * 86_400_000, gap, repeat);
      }),
      { numRuns: RUNS > 0 ? Math.ceil(RUNS / 4) : 12 },
    );
  });
});
