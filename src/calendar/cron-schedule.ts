import type { DstPolicy, Schedule } from './types.js';
import { DateMethods } from './date-methods.js';
import { compiledFields, type CronFields } from './compiled-fields.js';
import { describeCron } from './describe.js';
import type { LocalSearch } from './local-search.js';
import type { Segment, ZoneRules } from './zone-rules.js';

export type FireKind = 'normal' | 'gap-catchup' | 'repeat-wildcard' | 'repeat-second-pass';

/** Local-time fields swept in one search; a bit over 400 years (one Gregorian cycle) is exact. */
const HORIZON_YEARS = 402;
/** Two real transitions a year plus one table boundary: 1300 segments cover the horizon. */
const MAX_SEGMENTS = 1300;
const SECONDS_PER_YEAR = 31_556_952;
const DAY = 86_400;
/** Inputs whose search horizon would leave the Date range (±8.64e15 ms) get null, not a throw. */
const MAX_INPUT_MS = 8.64e15 - 500 * 31_556_952_000;
/** Matches further than this (local time) trigger the jump described at clockGoesOnFrom. */
const FAR = 4 * DAY;

/**
 * A cron calendar in one zone. The walk goes segment by segment (stretches of constant UTC
 * offset): inside a segment local time is UTC plus a constant, so the local search answers
 * directly; at a segment's end the DST rules decide (DESIGN.md §3, cronie):
 *  - wall-clock jobs (minute and hour fields not starting with `*`) fire once at the end of a
 *    gap when a matching local time fell inside it (`dst.gap: 'shift'`), and skip the second
 *    pass of a repeated hour (`dst.repeat: 'once'`);
 *  - other jobs fire at every real instant whose local time matches.
 */
export class CronSchedule extends DateMethods implements Schedule {
  readonly kind = 'cron' as const;
  private readonly shift: boolean;
  private readonly once: boolean;

  constructor(
    readonly source: string,
    readonly timezone: string,
    readonly wallClock: boolean,
    readonly policy: DstPolicy,
    /** The compiled fields; one instance serves every schedule with equal fields. */
    readonly search: LocalSearch,
    private readonly zone: ZoneRules,
  ) {
    super();
    this.shift = wallClock && policy.gap === 'shift';
    this.once = wallClock && policy.repeat === 'once';
  }

  nextMs(afterMs: number): number | null {
    if (!(Math.abs(afterMs) <= MAX_INPUT_MS)) return null;
    const s = this.nextSec(Math.floor(afterMs / 1000) + 1);
    return s === s ? s * 1000 : null;
  }

  prevMs(beforeMs: number): number | null {
    if (!(Math.abs(beforeMs) <= MAX_INPUT_MS)) return null;
    const s = this.prevSec(Math.ceil(beforeMs / 1000) - 1);
    return s === s ? s * 1000 : null;
  }

  /** Built on each call from the shared calendar, so a loaded schedule keeps no sentence. */
  describe(): string {
    return describeCron(this.search.calendar());
  }

  /** What the expression compiled to (explain); built on each call, like describe(). */
  get fields(): CronFields {
    return compiledFields(this.search.calendar());
  }

  /** First fire at or after second `u`, or NaN. */
  nextSec(u: number): number {
    const maxYear = 1970 + Math.floor(u / SECONDS_PER_YEAR) + HORIZON_YEARS;
    const search = this.search;
    let lastFrom = Number.NaN;
    let lastFound = Number.NaN;
    const first = this.zone.segmentAt(u);
    // Starting exactly at the end of a gap: the previous segment's end check never ran.
    if (this.shift && u === first.start && first.before < first.offset) {
      if (search.next(u + first.before, maxYear) < u + first.offset) return u;
    }
    for (let i = 0; i < MAX_SEGMENTS; i++) {
      const seg = this.zone.segmentAt(u);
      const o = seg.offset;
      let from = u + o;
      if (this.once && from < seg.repeatUntil) from = seg.repeatUntil;
      // A search result stays valid while the new start lies between the old start and it.
      const local = from >= lastFrom && from <= lastFound ? lastFound : search.next(from, maxYear);
      if (local !== local) return Number.NaN;
      lastFrom = from;
      lastFound = local;
      const at = local - o;
      if (at < seg.end) return at;
      // The match lies beyond this segment. If it fell in a gap, a wall-clock job runs at the jump.
      if (this.shift && seg.after > o && local < seg.end + seg.after) return seg.end;
      u = seg.end;
      if (local - from > FAR && local - o - 2 * DAY > u && this.clockGoesOnFrom(seg)) u = local - o - 2 * DAY;
    }
    return Number.NaN;
  }

  /** Last fire at or before second `u`, or NaN. */
  prevSec(u: number): number {
    const minYear = 1970 + Math.floor(u / SECONDS_PER_YEAR) - HORIZON_YEARS;
    const search = this.search;
    let lastFrom = Number.NaN;
    let lastFound = Number.NaN;
    for (let i = 0; i < MAX_SEGMENTS; i++) {
      const seg = this.zone.segmentAt(u);
      const o = seg.offset;
      const from = u + o;
      const local = from <= lastFrom && from >= lastFound ? lastFound : search.prev(from, minYear);
      if (local !== local) return Number.NaN;
      lastFrom = from;
      lastFound = local;
      let low = seg.start + o;
      if (this.once && seg.repeatUntil > low) low = seg.repeatUntil;
      if (local >= low) return local - o;
      // Below this segment: inside a gap at its start, a wall-clock job ran at the jump.
      if (this.shift && seg.before < o && local >= seg.start + seg.before && local < seg.start + o) return seg.start;
      u = seg.start - 1;
      if (from - local > FAR && local - o + 2 * DAY < u && this.clockWentOnTo(seg)) u = local - o + 2 * DAY;
    }
    return Number.NaN;
  }

  /**
   * Far matches: nothing matches in local (from, local), so skipped or repeated local times on
   * the way cannot hold a fire unless a fall-back re-exposes local times already passed. With
   * no fall-back within two days of the current segment, the walk jumps to two days before the
   * match (offsets differ by at most ~26 h), so a search across decades only touches the zone
   * tables near its answer (cold cost) and skips the segments between (warm cost).
   */
  private clockGoesOnFrom(seg: Segment): boolean {
    if (seg.after < seg.offset) return false;
    const nextSeg = this.zone.segmentAt(seg.end);
    return nextSeg.end - seg.end >= 2 * DAY || nextSeg.after > nextSeg.offset; // real transitions are >= 7 days apart
  }

  private clockWentOnTo(seg: Segment): boolean {
    if (seg.before > seg.offset) return false;
    const prevSeg = this.zone.segmentAt(seg.start - 1);
    return seg.start - prevSeg.start >= 2 * DAY || prevSeg.before < prevSeg.offset;
  }

  /** Why the schedule fires at instant `ms` (assumed to be one of its fire times). */
  fireKind(ms: number): FireKind {
    const t = Math.floor(ms / 1000);
    const seg = this.zone.segmentAt(t);
    const local = t + seg.offset;
    if (this.shift && t === seg.start && seg.before < seg.offset && !this.search.matches(local)) return 'gap-catchup';
    if (local < seg.repeatUntil) return this.wallClock ? 'repeat-second-pass' : 'repeat-wildcard';
    return 'normal';
  }

  /** Does local civil second `local` match the fields (ignoring DST)? */
  matchesLocal(local: number): boolean {
    return this.search.matches(local);
  }

  /** First matching local second at or after `local`, ignoring DST. */
  nextLocal(local: number, maxYear: number): number {
    return this.search.next(local, maxYear);
  }

  get zoneRules(): ZoneRules {
    return this.zone;
  }
}
