import { civilFromDays, daysFromCivil, daysInMonth, weekdayOfDays } from './civil.js';
import type { DaySpec } from './day-fields.js';
import { dayMatcher, nextBit, prevBit, type DayMatcher } from './day-mask.js';
import { fieldTable, tableValues, type FieldTable } from './field-table.js';

/** What a cron calendar allows, field by field, values ascending (what describe and explain read). */
export interface CronCalendar {
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: readonly number[];
  readonly days: DaySpec;
}

/** Scratch for civilFromDays: the search is synchronous and never re-entered, so one will do. */
const ymd = new Int32Array(3);

/**
 * Searches local civil time (seconds since 1970-01-01T00:00 as if the zone were UTC) for the
 * nearest time matching a cron calendar. The walk goes by structure: month, then day (a bitmask
 * per month), then hour, minute and second (next/prev lookup tables), so the cost is a few
 * steps per month visited, never per minute. Pure arithmetic: no Date, no process timezone.
 *
 * Immutable, and shared: the tables belong to interned FieldTables and DayMatchers, and
 * `localSearch()` hands out one instance per combination of them (see there).
 */
export class LocalSearch {
  // The table arrays are copied out of their FieldTables so the hot path reads one field, not two.
  private readonly nextS: Int8Array;
  private readonly prevS: Int8Array;
  private readonly nextM: Int8Array;
  private readonly prevM: Int8Array;
  private readonly nextH: Int8Array;
  private readonly prevH: Int8Array;
  private readonly nextMon: Int8Array;
  private readonly prevMon: Int8Array;
  private readonly firstTod: number;
  private readonly lastTod: number;
  private readonly firstS: number;
  private readonly lastS: number;
  private readonly firstM: number;
  private readonly lastM: number;

  constructor(seconds: FieldTable, minutes: FieldTable, hours: FieldTable, months: FieldTable, private readonly days: DayMatcher) {
    this.nextS = seconds.next;
    this.prevS = seconds.prev;
    this.nextM = minutes.next;
    this.prevM = minutes.prev;
    this.nextH = hours.next;
    this.prevH = hours.prev;
    this.nextMon = months.next;
    this.prevMon = months.prev;
    this.firstS = this.nextS[0] as number;
    this.lastS = this.prevS[59] as number;
    this.firstM = this.nextM[0] as number;
    this.lastM = this.prevM[59] as number;
    this.firstTod = (this.nextH[0] as number) * 3600 + this.firstM * 60 + this.firstS;
    this.lastTod = (this.prevH[23] as number) * 3600 + this.lastM * 60 + this.lastS;
  }

  /** The fields this search matches, rebuilt from its tables (explain and describe; not cached). */
  calendar(): CronCalendar {
    return {
      seconds: tableValues(this.nextS, 60),
      minutes: tableValues(this.nextM, 60),
      hours: tableValues(this.nextH, 24),
      months: tableValues(this.nextMon, 13),
      days: this.days.spec,
    };
  }

  /** Smallest matching local second >= t, or NaN if none before year `maxYear` ends. */
  next(t: number, maxYear: number): number {
    let days = Math.floor(t / 86400);
    let tod = t - days * 86400;
    civilFromDays(days, ymd);
    let y = ymd[0] as number;
    let m = ymd[1] as number;
    let d = ymd[2] as number;
    let fresh = false; // true once we moved to a later day: take the first time of day
    for (;;) {
      if (y > maxYear) return Number.NaN;
      const mm = this.nextMon[m] as number;
      if (mm !== m) {
        if (mm < 0) {
          y++;
          m = this.nextMon[1] as number;
        } else m = mm;
        d = 1;
        fresh = true;
        continue;
      }
      const len = daysInMonth(y, m);
      const firstDays = daysFromCivil(y, m, 1);
      const mask = this.days.mask(len, weekdayOfDays(firstDays));
      const nd = nextBit(mask, d);
      if (nd < 0) {
        if (++m > 12) {
          m = 1;
          y++;
        }
        d = 1;
        fresh = true;
        continue;
      }
      if (nd !== d) {
        d = nd;
        fresh = true;
      }
      days = firstDays + d - 1;
      if (fresh) return days * 86400 + this.firstTod;
      const next = this.nextTod(tod);
      if (next >= 0) return days * 86400 + next;
      d++;
      fresh = true;
    }
  }

  /** Largest matching local second <= t, or NaN if none since year `minYear` began. */
  prev(t: number, minYear: number): number {
    let days = Math.floor(t / 86400);
    const tod = t - days * 86400;
    civilFromDays(days, ymd);
    let y = ymd[0] as number;
    let m = ymd[1] as number;
    let d = ymd[2] as number;
    let fresh = false; // true once we moved to an earlier day: take the last time of day
    for (;;) {
      if (y < minYear) return Number.NaN;
      const mm = this.prevMon[m] as number;
      if (mm !== m) {
        if (mm < 0) {
          y--;
          m = this.prevMon[12] as number;
        } else m = mm;
        d = 31;
        fresh = true;
        continue;
      }
      const len = daysInMonth(y, m);
      const firstDays = daysFromCivil(y, m, 1);
      const mask = this.days.mask(len, weekdayOfDays(firstDays));
      const pd = prevBit(mask, d);
      if (pd < 0) {
        if (--m < 1) {
          m = 12;
          y--;
        }
        d = 31;
        fresh = true;
        continue;
      }
      if (pd !== d) {
        d = pd;
        fresh = true;
      }
      days = firstDays + d - 1;
      if (fresh) return days * 86400 + this.lastTod;
      const prev = this.prevTod(tod);
      if (prev >= 0) return days * 86400 + prev;
      d--;
      fresh = true;
    }
  }

  /** Does local second t match? */
  matches(t: number): boolean {
    return this.next(t, Number.POSITIVE_INFINITY) === t;
  }

  private nextTod(tod: number): number {
    const h = (tod / 3600) | 0;
    const mi = ((tod % 3600) / 60) | 0;
    const s = tod % 60;
    let h2 = this.nextH[h] as number;
    if (h2 < 0) return -1;
    if (h2 === h) {
      let m2 = this.nextM[mi] as number;
      if (m2 === mi) {
        const s2 = this.nextS[s] as number;
        if (s2 >= 0) return h * 3600 + mi * 60 + s2;
        m2 = this.nextM[mi + 1] as number;
      }
      if (m2 >= 0) return h * 3600 + m2 * 60 + this.firstS;
      h2 = this.nextH[h + 1] as number;
      if (h2 < 0) return -1;
    }
    return h2 * 3600 + this.firstM * 60 + this.firstS;
  }

  private prevTod(tod: number): number {
    const h = (tod / 3600) | 0;
    const mi = ((tod % 3600) / 60) | 0;
    const s = tod % 60;
    let h2 = this.prevH[h] as number;
    if (h2 < 0) return -1;
    if (h2 === h) {
      let m2 = this.prevM[mi] as number;
      if (m2 === mi) {
        const s2 = this.prevS[s] as number;
        if (s2 >= 0) return h * 3600 + mi * 60 + s2;
        m2 = mi > 0 ? (this.prevM[mi - 1] as number) : -1;
      }
      if (m2 >= 0) return h * 3600 + m2 * 60 + this.lastS;
      h2 = h > 0 ? (this.prevH[h - 1] as number) : -1;
      if (h2 < 0) return -1;
    }
    return h2 * 3600 + this.lastM * 60 + this.lastS;
  }
}

/** Bounds the memory of a long-lived process that compiles many distinct calendars (reloads). */
const LIMIT = 4096;
const interned = new Map<string, LocalSearch>();

/**
 * The search for these fields. Equal fields give the same instance (for as long as it stays in
 * the bounded map), so jobs that differ only in name, zone or DST policy share one; the key is
 * made of the ids of interned parts, which name their contents exactly.
 */
export function localSearch(
  seconds: ReadonlySet<number>,
  minutes: ReadonlySet<number>,
  hours: ReadonlySet<number>,
  months: ReadonlySet<number>,
  days: DaySpec,
): LocalSearch {
  const s = fieldTable(seconds, 60);
  const m = fieldTable(minutes, 60);
  const h = fieldTable(hours, 24);
  const mon = fieldTable(months, 13);
  const d = dayMatcher(days);
  const key = `${s.id},${m.id},${h.id},${mon.id},${d.id}`;
  let search = interned.get(key);
  if (search === undefined) {
    if (interned.size >= LIMIT) interned.clear(); // searches already handed out stay valid
    search = new LocalSearch(s, m, h, mon, d);
    interned.set(key, search);
  }
  return search;
}
