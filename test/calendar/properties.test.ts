// Property tests (issue 3 point 4): random expressions × IANA zones × instants 1970-2100.
// Bounded by default so the suite stays quick; SHIPCLOCK_PROPERTY_RUNS=N for a longer local run.
// The reference for local wall time is Intl (support/intl-local.ts), not the calendar's tables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.js';
import { explainSchedule, parseSchedule } from '../../src/calendar/index.js';
import type { Schedule } from '../../src/calendar/index.js';
import { cronArb, matchesLocal, type GenCron } from './support/cron-gen.js';
import { intlLocal, localSeconds } from './support/intl-local.js';

const RUNS = Number(process.env.SHIPCLOCK_PROPERTY_RUNS ?? 0) || 0;
const runs = (n: number) => (RUNS > 0 ? RUNS : n);

const ZONES = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
const zoneArb = fc.constantFrom(...ZONES);
const instantArb = fc.integer({ min: Date.UTC(1970, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }).map((s) => s * 1000);

function parseOrSkip(c: GenCron, zone: string, dst?: { gap?: 'shift' | 'skip'; repeat?: 'once' | 'both' }): Schedule {
  try {
    return parseSchedule(c.text, { timezone: zone, dst: dst ?? {} });
  } catch (e) {
    // The generator can build calendars that never fire (e.g. "* * 31 2 *"): those must be refused.
    if (e instanceof InputError && e.code === 'E_SCHEDULE_NEVER') {
      fc.pre(false);
    }
    throw e;
  }
}

describe('calendar properties', () => {
  it('next: strictly increasing, first strictly after from, normal fires match the expression in local time', () => {
    fc.assert(
      fc.property(cronArb({ seconds: true, quartz: true }), zoneArb, instantArb, (c, zone, from) => {
        const s = parseOrSkip(c, zone);
        const fires = explainSchedule(s, { from: new Date(from), count: 6 }).next;
        let prev = from;
        for (const f of fires) {
          const t = Date.parse(f.utc);
          // Offsets with seconds (e.g. Monrovia's -00:44:30 until 1972) are not valid ISO-8601 for Date.parse.
          if (!/[+-]\d\d:\d\d:\d\d$/.test(f.time)) assert.equal(Date.parse(f.time), t);
          assert.ok(t > prev, `${c.text} in ${zone}: ${f.time} not after ${new Date(prev).toISOString()}`);
          prev = t;
          if (f.fireKind === 'gap-catchup') {
            // Right after a jump forward: the offset changes at this very instant.
            assert.ok(localSeconds(intlLocal(t, zone)) - localSeconds(intlLocal(t - 1000, zone)) > 1, `${f.time} is not right after a gap`);
          } else {
            assert.ok(matchesLocal(c, intlLocal(t, zone)), `${c.text} in ${zone}: ${f.time} (${f.fireKind}) does not match`);
          }
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('prev(next(t)) <= t < next(t), and next(prev(t)) >= t', () => {
    fc.assert(
      fc.property(cronArb({ seconds: true, quartz: true }), zoneArb, instantArb, fc.constantFrom<'shift' | 'skip'>('shift', 'skip'), fc.constantFrom<'once' | 'both'>('once', 'both'), (c, zone, t, gap, repeat) => {
        const s = parseOrSkip(c, zone, { gap, repeat });
        const n = s.nextMs(t);
        assert.ok(n !== null && n > t);
        const pn = s.prevMs(n);
        assert.ok(pn !== null && pn <= t, `${c.text} ${zone}: prev(next(${t})) = ${pn}`);
        const p = s.prevMs(t);
        assert.ok(p !== null && p < t);
        const np = s.nextMs(p);
        assert.ok(np !== null && np >= t, `${c.text} ${zone}: next(prev(${t})) = ${np}`);
      }),
      { numRuns: runs(200) },
    );
  });

  it('wall-clock jobs fire at most once per local date and time (default DST policy)', () => {
    fc.assert(
      fc.property(cronArb({ dense: true }).filter((c) => c.wallClock), zoneArb, instantArb, (c, zone, from) => {
        const s = parseOrSkip(c, zone);
        const seen = new Set<string>();
        for (const d of s.nextN(new Date(from), 40)) {
          const key = JSON.stringify(intlLocal(d.getTime(), zone));
          assert.ok(!seen.has(key), `${c.text} in ${zone} fired twice at local ${key}`);
          seen.add(key);
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('intervals are exactly their length apart in real time, aligned to the epoch plus offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: -86_400_000, max: 86_400_000 }), instantArb, zoneArb, (seconds, offsetMs, from, zone) => {
        const s = parseSchedule(String(seconds), { timezone: zone, offsetMs });
        const fires = s.nextN(new Date(from), 5).map((d) => d.getTime());
        assert.ok((fires[0] as number) > from && (fires[0] as number) - from <= seconds * 1000);
        for (let i = 0; i < fires.length; i++) {
          assert.equal(((((fires[i] as number) - offsetMs) % (seconds * 1000)) + seconds * 1000) % (seconds * 1000), 0);
          if (i > 0) assert.equal((fires[i] as number) - (fires[i - 1] as number), seconds * 1000);
        }
        assert.equal(s.prevMs(fires[0] as number), (fires[0] as number) - seconds * 1000);
      }),
      { numRuns: runs(200) },
    );
  });
});
