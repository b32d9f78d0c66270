import { daySpecKey, type DaySpec } from './day-fields.js';

/** LEN_MASK[n]: bits 1..n set (the days that exist in a month of n days). */
const LEN_MASK = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0].map(
  (_, n) => {
    let m = 0;
    for (let d = 1; d <= n; d++) m |= 1 << d;
    return m;
  },
);

let lastId = 0;

/**
 * Computes which days of one month match both day fields: bit d set for day d (1..31).
 * The plain part is two table lookups; Quartz forms are resolved only when present.
 */
export class DayMatcher {
  /** Distinct per matcher built (never reused): part of the key of a shared LocalSearch. */
  readonly id = ++lastId;
  private readonly domBits: number;
  /** Plain weekday bits expanded to days of month, one mask per weekday of the 1st. */
  private readonly dowByFirst: Int32Array;
  private readonly and: boolean;

  constructor(readonly spec: DaySpec) {
    this.domBits = spec.domBits;
    const dowBits = spec.dowBits;
    this.dowByFirst = new Int32Array(7);
    for (let first = 0; first < 7; first++) {
      let m = 0;
      for (let d = 1; d <= 31; d++) if (dowBits & (1 << ((first + d - 1) % 7))) m |= 1 << d;
      this.dowByFirst[first] = m;
    }
    // Vixie: a star in either field means both must match; two restricted fields OR.
    this.and = spec.domStar || spec.dowStar;
  }

  /** `len` = days in the month, `first` = weekday (0 = Sunday) of its 1st. */
  mask(len: number, first: number): number {
    let dom = this.domBits;
    let dow = this.dowByFirst[first] as number;
    if (this.spec.quartz) {
      dom |= this.quartzDom(len, first);
      dow |= this.quartzDow(len, first);
    }
    return (this.and ? dom & dow : dom | dow) & (LEN_MASK[len] as number);
  }

  private quartzDom(len: number, first: number): number {
    const s = this.spec;
    let m = 0;
    for (const n of s.lastMinus) if (len - n >= 1) m |= 1 << (len - n);
    for (const n of s.nearestWeekday) {
      if (n > len) continue; // Quartz: 31W does not fire in a 30-day month
      const wd = (first + n - 1) % 7;
      let d = n;
      if (wd === 6) d = n === 1 ? 3 : n - 1; // Saturday: Friday before, unless that leaves the month
      else if (wd === 0) d = n === len ? n - 2 : n + 1; // Sunday: Monday after, unless that leaves it
      m |= 1 << d;
    }
    if (s.lastWeekday) {
      const wd = (first + len - 1) % 7;
      m |= 1 << (wd === 6 ? len - 1 : wd === 0 ? len - 2 : len);
    }
    return m;
  }

  private quartzDow(len: number, first: number): number {
    const s = this.spec;
    let m = 0;
    if (s.lastOfBits !== 0) {
      const lastWd = (first + len - 1) % 7;
      for (let w = 0; w < 7; w++) if (s.lastOfBits & (1 << w)) m |= 1 << (len - ((lastWd - w + 7) % 7));
    }
    for (const [w, k] of s.nth) {
      const d = 1 + ((w - first + 7) % 7) + 7 * (k - 1);
      if (d <= len) m |= 1 << d;
    }
    return m;
  }
}

/** Bounds the memory of a long-lived process that compiles many distinct day fields. */
const LIMIT = 4096;
const interned = new Map<string, DayMatcher>();

/** The shared matcher for `spec`: matchers are immutable, and equal specs match equal days. */
export function dayMatcher(spec: DaySpec): DayMatcher {
  const key = daySpecKey(spec);
  let m = interned.get(key);
  if (m === undefined) {
    if (interned.size >= LIMIT) interned.clear(); // matchers already handed out stay valid
    m = new DayMatcher(spec);
    interned.set(key, m);
  }
  return m;
}

/** Index of the lowest set bit at or above `from`, or -1. */
export function nextBit(mask: number, from: number): number {
  if (from >= 32) return -1;
  const m = mask & ~((1 << from) - 1);
  return m === 0 ? -1 : 31 - Math.clz32(m & -m);
}

/** Index of the highest set bit at or below `upTo`, or -1. */
export function prevBit(mask: number, upTo: number): number {
  if (upTo < 0) return -1;
  const m = upTo >= 31 ? mask : mask & ((1 << (upTo + 1)) - 1);
  return m === 0 ? -1 : 31 - Math.clz32(m);
}
