import { daysFromCivil } from './civil.js';

/**
 * UTC offsets of one IANA zone, from the platform's tz data (Intl.DateTimeFormat), turned into a
 * cached table of transitions so that the calendar asks Intl only once per zone and year.
 * All instants and offsets here are whole seconds.
 */

/** A stretch of time with one UTC offset. `end` is exclusive. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly offset: number;
  /** Offset just before `start` (equal to `offset` when `start` is only a table boundary). */
  readonly before: number;
  /** Offset from `end` on (equal to `offset` when `end` is only a table boundary). */
  readonly after: number;
  /**
   * Local times below this value are the second pass of a fall-back transition at or before
   * `start` (they already happened once in an earlier segment); -Infinity when none.
   */
  readonly repeatUntil: number;
}

export interface Transition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/** Table chunks of one average Gregorian year; boundaries are arbitrary, not calendar years. */
const CHUNK = 31_556_952;
/** Sampling step inside a chunk. Across all zones 1960-2110 no two transitions are closer than 7 days. */
const STEP = 5 * 86_400;

const EMPTY: Segment = { start: 0, end: 0, offset: 0, before: 0, after: 0, repeatUntil: Number.NEGATIVE_INFINITY };

const FIXED_ZONE = /^(?:UTC|GMT|UCT|Zulu|Universal|Greenwich|Etc\/.*)$/i;

export class ZoneRules {
  private readonly dtf: Intl.DateTimeFormat | null;
  private readonly transitionsByChunk = new Map<number, Transition[]>();
  private readonly segmentsByChunk = new Map<number, Segment[]>();
  private readonly fixed: Segment | null;
  private last: Segment = EMPTY;

  constructor(readonly zone: string) {
    this.dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    if (FIXED_ZONE.test(zone)) {
      const offset = this.rawOffset(0);
      this.fixed = {
        start: Number.NEGATIVE_INFINITY,
        end: Number.POSITIVE_INFINITY,
        offset,
        before: offset,
        after: offset,
        repeatUntil: Number.NEGATIVE_INFINITY,
      };
    } else this.fixed = null;
  }

  /** The segment containing instant `t` (seconds). */
  segmentAt(t: number): Segment {
    const last = this.last;
    if (t >= last.start && t < last.end) return last;
    if (this.fixed) return this.fixed;
    const segs = this.segments(Math.floor(t / CHUNK));
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i] as Segment;
      if (t < s.end) return (this.last = s);
    }
    throw new Error('unreachable: chunk segments cover the chunk');
  }

  offsetAt(t: number): number {
    return this.segmentAt(t).offset;
  }

  /** Real transitions with from <= at < to, in order. */
  transitionsBetween(from: number, to: number): Transition[] {
    if (this.fixed) return [];
    const out: Transition[] = [];
    for (let c = Math.floor(from / CHUNK); c * CHUNK < to; c++) {
      for (const tr of this.transitions(c)) if (tr.at >= from && tr.at < to) out.push(tr);
    }
    return out;
  }

  private segments(c: number): Segment[] {
    let segs = this.segmentsByChunk.get(c);
    if (segs) return segs;
    const start = c * CHUNK;
    const end = start + CHUNK;
    const trs = this.transitions(c);
    segs = [];
    let offset = this.rawOffset(start);
    let segStart = start;
    // A transition in the two days up to the chunk start (a gap ending at it, or a fall-back
    // whose repeated local times spill into it) decides how the first segment begins. Two
    // samples tell whether there is one, without building the whole previous chunk.
    let lastTr = this.transitionIn(start - 2 * 86_400, start);
    let before = lastTr && lastTr.at === start ? lastTr.before : offset;
    const repeatFrom = (tr: Transition | undefined, segOffset: number, s: number): number =>
      tr && tr.after < tr.before && tr.at + tr.before > s + segOffset ? tr.at + tr.before : Number.NEGATIVE_INFINITY;
    for (const tr of trs) {
      if (tr.at >= end) break;
      segs.push({ start: segStart, end: tr.at, offset, before, after: tr.after, repeatUntil: repeatFrom(lastTr, offset, segStart) });
      segStart = tr.at;
      before = offset;
      offset = tr.after;
      lastTr = tr;
    }
    const atEnd = trs.find((tr) => tr.at === end);
    segs.push({
      start: segStart,
      end,
      offset,
      before,
      after: atEnd ? atEnd.after : offset,
      repeatUntil: repeatFrom(lastTr, offset, segStart),
    });
    this.segmentsByChunk.set(c, segs);
    return segs;
  }

  /** The transition in (from, to] if the offsets at both ends differ (the span is shorter than any DST period). */
  private transitionIn(from: number, to: number): Transition | undefined {
    const a = this.rawOffset(from);
    const b = this.rawOffset(to);
    return a === b ? undefined : this.bisect(from, a, to);
  }

  private bisect(a: number, oa: number, b: number): Transition {
    let lo = a;
    let hi = b;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.rawOffset(mid) === oa) lo = mid;
      else hi = mid;
    }
    return { at: hi, before: oa, after: this.rawOffset(hi) };
  }

  /** Transitions with at in (chunkStart, chunkEnd], found by sampling then bisecting to the second. */
  private transitions(c: number): Transition[] {
    let trs = this.transitionsByChunk.get(c);
    if (trs) return trs;
    trs = [];
    const start = c * CHUNK;
    const end = start + CHUNK;
    let a = start;
    let oa = this.rawOffset(a);
    while (a < end) {
      const b = Math.min(a + STEP, end);
      const ob = this.rawOffset(b);
      if (ob !== oa) trs.push(this.bisect(a, oa, b));
      a = b;
      oa = ob;
    }
    this.transitionsByChunk.set(c, trs);
    return trs;
  }

  /** Offset in seconds at instant t (seconds), straight from Intl ("3/9/2025 AD, 03:00:00"). */
  private rawOffset(t: number): number {
    const text = (this.dtf as Intl.DateTimeFormat).format(t * 1000);
    const m = LOCAL_TEXT.exec(text);
    if (!m) throw new Error(`unexpected Intl output for ${this.zone}: ${text}`);
    let y = Number(m[3]);
    if (m[4] === 'BC') y = 1 - y;
    const days = daysFromCivil(y, Number(m[1]), Number(m[2]));
    return days * 86400 + Number(m[5]) * 3600 + Number(m[6]) * 60 + Number(m[7]) - t;
  }
}

const LOCAL_TEXT = /^(\d+)\/(\d+)\/(\d+) (AD|BC), (\d+):(\d+):(\d+)$/;

const cache = new Map<string, ZoneRules>();

/** Shared, lazily built rules per zone name (the name must already be validated). */
export function zoneRules(zone: string): ZoneRules {
  let z = cache.get(zone);
  if (!z) {
    z = new ZoneRules(zone);
    cache.set(zone, z);
  }
  return z;
}
