import { FIELD_DEFS, parseField, parseValue, type FieldContext } from './cron-field.js';

/**
 * The two day fields, compiled. Plain values are bitmasks; Quartz extensions are kept as
 * small lists and resolved per month (they depend on the month's length and first weekday).
 */
export interface DaySpec {
  /** Vixie: a field starting with `*` or `?` makes the day rule AND, otherwise OR. */
  readonly domStar: boolean;
  readonly dowStar: boolean;
  /** Bits 1..31: plain days of month. */
  readonly domBits: number;
  /** Bits 0..6: plain weekdays, 0 = Sunday. */
  readonly dowBits: number;
  /** Quartz day-of-month: `L` (0) and `L-n` (n). */
  readonly lastMinus: readonly number[];
  /** Quartz `nW`: the weekday nearest day n, inside the month. */
  readonly nearestWeekday: readonly number[];
  /** Quartz `LW`: the last weekday (Mon-Fri) of the month. */
  readonly lastWeekday: boolean;
  /** Quartz `nL`: weekdays whose last occurrence in the month counts (bits 0..6). */
  readonly lastOfBits: number;
  /** Quartz `n#k`: [weekday, k] pairs. */
  readonly nth: ReadonlyArray<readonly [number, number]>;
  readonly quartz: boolean;
  /**
   * How each field was written, as far as describe and explain tell apart: exactly `*`,
   * exactly `?`, or anything else. The text itself is not kept, so equal specs can be shared.
   */
  readonly domForm: DayForm;
  readonly dowForm: DayForm;
}

export type DayForm = '*' | '?' | 'other';

function formOf(text: string): DayForm {
  return text === '*' || text === '?' ? text : 'other';
}

/** A key that names a DaySpec exactly: equal keys, equal matching, description and fields. */
export function daySpecKey(s: DaySpec): string {
  const nth = s.nth.map(([w, k]) => `${w}#${k}`).join(',');
  return `${+s.domStar}${+s.dowStar}${s.domForm}|${s.dowForm}|${s.domBits}|${s.dowBits}|${s.lastMinus.join(',')}|${s.nearestWeekday.join(',')}|${+s.lastWeekday}|${s.lastOfBits}|${nth}`;
}

const DOM_ALLOWED = '1-31, L, L-n, nW, LW, or the usual *, ?, N-M, */S, lists';
const DOW_ALLOWED = '0-7 or SUN-SAT (0 and 7 are Sunday), nL (last weekday n of the month), n#k (k from 1 to 5), or *, ?, N-M, */S, lists';

export function parseDayFields(domText: string, domCol: number, dowText: string, dowCol: number, ctx: FieldContext): DaySpec {
  const lastMinus: number[] = [];
  const nearestWeekday: number[] = [];
  let lastWeekday = false;
  const p = ctx.problems;
  const dom = parseField(FIELD_DEFS.dom, domText, domCol, ctx, (item, col) => {
    const up = item.toUpperCase();
    if (up === 'L') return lastMinus.push(0) > 0;
    if (up === 'LW') return (lastWeekday = true);
    const lm = /^L-(\d+)$/.exec(up);
    if (lm) {
      const n = Number(lm[1]);
      if (n < 1 || n > 30) p.add('E_SCHEDULE_RANGE', col, item, `"${item}": L-n needs n from 1 to 30`, DOM_ALLOWED);
      else lastMinus.push(n);
      return true;
    }
    const w = /^(\d+)W$/.exec(up);
    if (w) {
      const n = Number(w[1]);
      if (n < 1 || n > 31) p.add('E_SCHEDULE_RANGE', col, item, `"${item}": nW needs a day from 1 to 31`, DOM_ALLOWED);
      else nearestWeekday.push(n);
      return true;
    }
    if (/[LW]/.test(up) && !/^H/.test(up)) {
      p.add('E_SCHEDULE_SYNTAX', col, item, `"${item}" is not a valid day-of-month`, DOM_ALLOWED, 'L = last day, 15W = weekday nearest the 15th, LW = last weekday');
      return true;
    }
    return false;
  });

  let lastOfBits = 0;
  const nth: Array<[number, number]> = [];
  const dow = parseField(FIELD_DEFS.dow, dowText, dowCol, ctx, (item, col) => {
    const last = /^(\w+?)L$/i.exec(item);
    if (last?.[1] !== undefined) {
      const v = parseValue(FIELD_DEFS.dow, last[1]);
      if (Number.isNaN(v) || v > 7) p.add('E_SCHEDULE_RANGE', col, item, `"${item}": nL needs a weekday 0-7 or SUN-SAT`, DOW_ALLOWED);
      else lastOfBits |= 1 << v % 7;
      return true;
    }
    const hash = /^(\w+)#(\d+)$/.exec(item);
    if (hash?.[1] !== undefined) {
      const v = parseValue(FIELD_DEFS.dow, hash[1]);
      const k = Number(hash[2]);
      if (Number.isNaN(v) || v > 7) {
        p.add('E_SCHEDULE_RANGE', col, item, `"${item}": n#k needs a weekday 0-7 or SUN-SAT`, DOW_ALLOWED);
      } else if (k < 1 || k > 5) {
        p.add('E_SCHEDULE_NTH', col + hash[1].length + 1, item, `"#${k}": no month has a ${ordinal(k)} ${weekdayName(v)}`, 'n#k with k from 1 to 5', `${hash[1]}#1 is the first, ${hash[1]}#5 the fifth (only in some months)`);
      } else nth.push([v % 7, k]);
      return true;
    }
    if (item.toUpperCase() === 'L') {
      p.add('E_SCHEDULE_SYNTAX', col, item, '"L" alone in the day-of-week field is ambiguous', DOW_ALLOWED, 'write 5L for the last Friday, or put L in the day-of-month field for the last day');
      return true;
    }
    return false;
  });

  let domBits = 0;
  for (const v of dom.values) domBits |= 1 << v;
  let dowBits = 0;
  for (const v of dow.values) dowBits |= 1 << v;
  const quartz = lastMinus.length > 0 || nearestWeekday.length > 0 || lastWeekday || lastOfBits !== 0 || nth.length > 0;
  return {
    domStar: dom.star,
    dowStar: dow.star,
    domBits,
    dowBits,
    lastMinus,
    nearestWeekday,
    lastWeekday,
    lastOfBits,
    nth,
    quartz,
    domForm: formOf(domText),
    dowForm: formOf(dowText),
  };
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export function weekdayName(v: number): string {
  return WEEKDAY_NAMES[v % 7] ?? String(v);
}

export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}
