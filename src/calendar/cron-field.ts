import { hashedIndex } from './hash.js';
import type { ProblemList } from './problems.js';

/** One cron field's limits and names. `starMax` differs from `max` only for day-of-week (7 = Sunday). */
export interface FieldDef {
  readonly key: 'second' | 'minute' | 'hour' | 'dom' | 'month' | 'dow';
  readonly label: string;
  readonly index: number;
  readonly min: number;
  readonly max: number;
  readonly starMax: number;
  /** Highest value `H` may pick without a range (Jenkins keeps day-of-month to 1..28). */
  readonly hashMax: number;
  /** Lower-case three-letter names, value = position + namesFrom. */
  readonly names?: readonly string[];
  readonly namesFrom?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export const FIELD_DEFS = {
  second: { key: 'second', label: 'second', index: 0, min: 0, max: 59, starMax: 59, hashMax: 59 },
  minute: { key: 'minute', label: 'minute', index: 1, min: 0, max: 59, starMax: 59, hashMax: 59 },
  hour: { key: 'hour', label: 'hour', index: 2, min: 0, max: 23, starMax: 23, hashMax: 23 },
  dom: { key: 'dom', label: 'day-of-month', index: 3, min: 1, max: 31, starMax: 31, hashMax: 28 },
  month: { key: 'month', label: 'month', index: 4, min: 1, max: 12, starMax: 12, hashMax: 12, names: MONTHS, namesFrom: 1 },
  dow: { key: 'dow', label: 'day-of-week', index: 5, min: 0, max: 7, starMax: 6, hashMax: 6, names: WEEKDAYS, namesFrom: 0 },
} as const satisfies Record<string, FieldDef>;

export function allowedText(def: FieldDef): string {
  const names = def.names ? ` or names ${def.names[0]?.toUpperCase()}-${def.names[def.names.length - 1]?.toUpperCase()}` : '';
  const sunday = def.key === 'dow' ? ' (0 and 7 are Sunday)' : '';
  return `${def.min}-${def.max}${names}${sunday}; forms: *, N, N-M, */S, N-M/S, H, H(N-M), lists with commas`;
}

/** Parses one value (number or name); returns NaN when it is neither. */
export function parseValue(def: FieldDef, text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (def.names) {
    const i = def.names.indexOf(text.toLowerCase());
    if (i >= 0) return i + (def.namesFrom ?? 0);
  }
  return Number.NaN;
}

export interface FieldContext {
  readonly problems: ProblemList;
  readonly hashKey: string;
}

export interface ParsedField {
  /** Allowed values, normalised (day-of-week 7 folded to 0). */
  readonly values: Set<number>;
  /** The field text starts with `*` or is `?` (Vixie's DOM_STAR/DOW_STAR). */
  readonly star: boolean;
  readonly text: string;
}

/**
 * Parses a comma list of `*`, `?`, `N`, `N-M`, `H`, `H(N-M)`, each optionally `/S`.
 * `special` gets first look at each item (Quartz day extensions); it returns true when it
 * consumed the item. Problems go to ctx.problems with 1-based columns; nothing is thrown.
 */
export function parseField(
  def: FieldDef,
  text: string,
  col: number,
  ctx: FieldContext,
  special?: (item: string, col: number) => boolean,
): ParsedField {
  const values = new Set<number>();
  const dayField = def.key === 'dom' || def.key === 'dow';
  const star = text.startsWith('*') || (dayField && text === '?');
  let offset = 0;
  for (const item of text.split(',')) {
    const itemCol = col + offset;
    offset += item.length + 1;
    if (item === '') {
      ctx.problems.add('E_SCHEDULE_SYNTAX', itemCol, text, `empty item in the ${def.label} field`, allowedText(def));
      continue;
    }
    if (special?.(item, itemCol)) continue;
    parseItem(def, item, itemCol, ctx, values, dayField);
  }
  if (def.key === 'dow' && values.delete(7)) values.add(0);
  return { values, star, text };
}

function parseItem(def: FieldDef, item: string, col: number, ctx: FieldContext, out: Set<number>, dayField: boolean): void {
  const p = ctx.problems;
  const slash = item.indexOf('/');
  const base = slash < 0 ? item : item.slice(0, slash);
  const stepText = slash < 0 ? undefined : item.slice(slash + 1);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) {
      p.add('E_SCHEDULE_SYNTAX', col + slash + 1, item, `bad step "${stepText}" in the ${def.label} field`, 'a positive whole number after /');
      return;
    }
    step = Number(stepText);
    if (step === 0) {
      p.add('E_SCHEDULE_STEP', col + slash + 1, item, `step 0 in the ${def.label} field never advances`, `a step from 1 to ${def.starMax - def.min}`);
      return;
    }
  }
  let lo: number;
  let hi: number;
  let start: number | undefined;
  const hashed = /^H(?:\((\w+)-(\w+)\))?$/.exec(base);
  if (base === '*' || (base === '?' && dayField)) {
    if (base === '?' && stepText !== undefined) {
      p.add('E_SCHEDULE_SYNTAX', col, item, '"?" takes no step', '"?" alone, in a day field');
      return;
    }
    lo = def.min;
    hi = def.starMax;
  } else if (base === '?') {
    p.add('E_SCHEDULE_SYNTAX', col, item, `"?" is only allowed in the day-of-month and day-of-week fields`, allowedText(def));
    return;
  } else if (hashed) {
    lo = def.min;
    hi = stepText === undefined ? def.hashMax : def.starMax;
    if (hashed[1] !== undefined && hashed[2] !== undefined) {
      const a = parseValue(def, hashed[1]);
      const b = parseValue(def, hashed[2]);
      if (!checkRange(def, item, col, ctx, a, b)) return;
      lo = a;
      hi = b;
    }
    const span = stepText === undefined ? hi - lo + 1 : Math.min(step, hi - lo + 1);
    start = lo + hashedIndex(ctx.hashKey, def.index, span);
    if (stepText === undefined) {
      out.add(start);
      return;
    }
  } else {
    const dash = base.indexOf('-');
    if (dash < 0) {
      const v = parseValue(def, base);
      if (!checkValue(def, item, col, ctx, base, v)) return;
      if (stepText !== undefined) {
        p.add(
          'E_SCHEDULE_STEP_WITHOUT_RANGE',
          col,
          item,
          `"${item}" has a step but no range; cron reads N/S differently in different tools`,
          `N-M/S or */S`,
          `write "${base}-${def.starMax}/${step}" for every ${step} from ${base}`,
        );
        return;
      }
      out.add(v);
      return;
    }
    const a = parseValue(def, base.slice(0, dash));
    const b = parseValue(def, base.slice(dash + 1));
    if (!checkValue(def, item, col, ctx, base.slice(0, dash), a)) return;
    if (!checkValue(def, item, col + dash + 1, ctx, base.slice(dash + 1), b)) return;
    if (!checkRange(def, item, col, ctx, a, b)) return;
    lo = a;
    hi = b;
  }
  if (stepText !== undefined && step > hi - lo) {
    p.add(
      'E_SCHEDULE_STEP',
      col + slash + 1,
      item,
      `step ${step} is wider than the range ${lo}-${hi} of the ${def.label} field, so it could only ever pick ${lo}`,
      `a step from 1 to ${Math.max(1, hi - lo)}`,
      `write "${lo}" if a single value is meant`,
    );
    return;
  }
  for (let v = start ?? lo; v <= hi; v += step) out.add(v);
}

function checkValue(def: FieldDef, item: string, col: number, ctx: FieldContext, text: string, v: number): boolean {
  if (Number.isNaN(v)) {
    ctx.problems.add('E_SCHEDULE_SYNTAX', col, item, `"${text}" is not a valid ${def.label}`, allowedText(def));
    return false;
  }
  if (v < def.min || v > def.max) {
    ctx.problems.add('E_SCHEDULE_RANGE', col, item, `${def.label} ${v} is out of range`, allowedText(def));
    return false;
  }
  return true;
}

function checkRange(def: FieldDef, item: string, col: number, ctx: FieldContext, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b) || a < def.min || b > def.max) {
    ctx.problems.add('E_SCHEDULE_RANGE', col, item, `range "${item}" is outside the ${def.label} field`, allowedText(def));
    return false;
  }
  if (a > b) {
    ctx.problems.add(
      'E_SCHEDULE_REVERSED_RANGE',
      col,
      item,
      `range ${a}-${b} in the ${def.label} field runs backwards; ranges do not wrap around`,
      'N-M with N <= M',
      `split it into two ranges, e.g. "${a}-${def.starMax},${def.min}-${b}"`,
    );
    return false;
  }
  return true;
}
