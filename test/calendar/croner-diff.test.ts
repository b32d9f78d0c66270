// Differential test against croner (pinned 11.0.1) on random expressions, zones and instants.
//
// Intended differences, left out of the comparison on purpose:
//  1. Day rule. When one day field starts with `*` but is not plain `*` (e.g. `*/2`) and the
//     other is restricted, cronie/Vixie AND the fields (DOM_STAR is set by the leading `*`);
//     croner ORs them. shipclock follows cronie (cases: domdow-star-step-is-and).
//  2. DST. Around a transition shipclock applies the cronie rules (gap catch-up for wall-clock
//     jobs only; wildcard jobs at both passes of a repeated hour; wall-clock jobs once). croner
//     differs in places (see the `observed` fields of cron-cases.json), so any comparison whose
//     window [from, last compared fire] contains an offset change is left out; the DST oracle
//     test (dst-oracle.test.ts) covers those windows instead.
//  3. Horizon. Calendars that fire only rarely (e.g. Feb 29 on a Friday) are found by shipclock
//     within a full 400-year cycle; croner may give up earlier. Such cases are left out when
//     croner returns null but shipclock finds a time more than 4 years away.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cron } from 'croner';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.js';
import { explainSchedule, parseSchedule } from '../../src/calendar/index.js';
import { cronArb, type GenCron } from './support/cron-gen.js';

const RUNS = Number(process.env.SHIPCLOCK_PROPERTY_RUNS ?? 0) || 0;
const ZONES = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

function starLedRestricted(c: GenCron): boolean {
  const d = c.days;
  const led = (t: string) => t.startsWith('*') && t !== '*';
  return (led(d.dom.text) && d.dow.text !== '*' && d.dow.text !== '?') || (led(d.dow.text) && d.dom.text !== '*' && d.dom.text !== '?');
}

describe('differential: shipclock vs croner@11.0.1', () => {
  it('agree on the next 3 fire times outside the intended differences', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        cronArb({ seconds: true, quartz: true }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2060, 0, 1) / 1000 }).map((s) => s * 1000),
        (c, zone, from) => {
          fc.pre(!starLedRestricted(c)); // difference 1
          let ours;
          try {
            ours = parseSchedule(c.text, { timezone: zone });
          } catch (e) {
            if (e instanceof InputError && e.code === 'E_SCHEDULE_NEVER') return fc.pre(false);
            throw e;
          }
          const theirs = new Cron(c.text, { timezone: zone, paused: true, legacyMode: true });
          const mine = ours.nextN(new Date(from), 3).map((d) => d.toISOString());
          const last = Date.parse(mine[mine.length - 1] ?? new Date(from).toISOString());
          const trs = explainSchedule(parseSchedule('3600', { timezone: zone }), { from: new Date(from - 86_400_000), count: 0 }).dstTransitions;
          fc.pre(!trs.some((t) => Date.parse(t.utc) <= last + 86_400_000)); // difference 2
          const got: string[] = [];
          let t: Date | null = new Date(from);
          for (let i = 0; i < 3 && t; i++) {
            t = theirs.nextRun(t);
            if (t) got.push(t.toISOString());
          }
          if (got.length < mine.length) fc.pre(Date.parse(mine[got.length] as string) - from <= 4 * 365 * 86_400_000 ? true : false); // difference 3
          compared++;
          assert.deepEqual(mine, got, `${c.text} in ${zone} from ${new Date(from).toISOString()}`);
        },
      ),
      { numRuns: RUNS > 0 ? RUNS : 300 },
    );
    assert.ok(compared > 50, `only ${compared} comparisons ran`);
  });
});
