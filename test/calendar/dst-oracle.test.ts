// Differential test against a brute-force oracle around real DST transitions: the oracle walks
// every real minute of a 52-hour window, reads local time from Intl and applies the cronie rules
// literally (DESIGN.md §3). The calendar must produce exactly the same fire times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.js';
import { explainSchedule, parseSchedule } from '../../src/calendar/index.js';
import { cronArb, matchesLocal, type GenCron, type LocalFields } from './support/cron-gen.js';
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

describe('DST windows against a brute-force cronie oracle', () => {
  it(`matches the oracle minute for minute (${DST_ZONES.length} zones with DST)`, () => {
    fc.assert(
      fc.property(
        cronArb({ dense: true }),
        fc.constantFrom(...DST_ZONES),
        fc.integer({ min: 1971, max: 2099 }),
        fc.nat(),
        fc.constantFrom<'shift' | 'skip'>('shift', 'skip'),
        fc.constantFrom<'once' | 'both'>('once', 'both'),
        (c, zone, year, pick, gap, repeat) => {
          const yearStart = new Date(Date.UTC(year, 0, 1));
          const trs = explainSchedule(parseSchedule('3600', { timezone: zone }), { from: yearStart, count: 0 }).dstTransitions;
          fc.pre(trs.length > 0);
          const at = Date.parse((trs[pick % trs.length] as { utc: string }).utc);
          let s;
          try {
            s = parseSchedule(c.text, { timezone: zone, dst: { gap, repeat } });
          } catch (e) {
            if (e instanceof InputError && e.code === 'E_SCHEDULE_NEVER') return fc.pre(false);
            throw e;
          }
          const from = at - 26 * 3600_000;
          const to = at + 26 * 3600_000;
          const want = oracle(c, zone, from, to, gap, repeat);
          const got: number[] = [];
          for (let t = s.nextMs(from - 1); t !== null && t <= to; t = s.nextMs(t)) got.push(t);
          assert.deepEqual(
            got.map((t) => new Date(t).toISOString()),
            want.map((t) => new Date(t).toISOString()),
            `${c.text} in ${zone} around ${new Date(at).toISOString()} (gap ${gap}, repeat ${repeat})`,
          );
          // next and prev from arbitrary instants, including the transition itself and its neighbours.
          const probes = [at - 1000, at, at + 1000, at - 60_000, at + 60_000, ...want.flatMap((w) => [w - 1, w, w + 1])];
          for (const t of probes) {
            if (t < from + 3 * 3600_000 || t > to - 3 * 3600_000) continue;
            const n = want.find((w) => w > t);
            const p = [...want].reverse().find((w) => w < t);
            if (n !== undefined) assert.equal(s.nextMs(t), n, `${c.text} in ${zone}: next(${new Date(t).toISOString()})`);
            if (p !== undefined) assert.equal(s.prevMs(t), p, `${c.text} in ${zone}: prev(${new Date(t).toISOString()})`);
          }
        },
      ),
      { numRuns: RUNS > 0 ? RUNS : 120 },
    );
  });
});
