import type { CronCalendar } from './local-search.js';

/** What a cron expression compiled to, as `explain` shows it. */
export interface CronFields {
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly string[];
  readonly months: readonly number[];
  readonly daysOfWeek: readonly string[];
  /** How the two day fields combine (Vixie): `and` when either starts with `*` or is `?`. */
  readonly dayRule: 'and' | 'or';
  /** Normalised six-field form, seconds first. */
  readonly expression: string;
}

/**
 * The fields in the form `explain` shows: sorted value lists, day fields with their Quartz
 * items, the day rule and a normalised six-field expression. Built on demand from the shared
 * calendar (explain is rare; 100,000 loaded jobs should not each keep a copy).
 */
export function compiledFields(p: CronCalendar): CronFields {
  const d = p.days;
  const dom: string[] = [];
  for (let i = 1; i <= 31; i++) if (d.domBits & (1 << i)) dom.push(String(i));
  for (const n of d.lastMinus) dom.push(n === 0 ? 'L' : `L-${n}`);
  for (const n of d.nearestWeekday) dom.push(`${n}W`);
  if (d.lastWeekday) dom.push('LW');
  const dow: string[] = [];
  for (let i = 0; i < 7; i++) if (d.dowBits & (1 << i)) dow.push(String(i));
  for (let i = 0; i < 7; i++) if (d.lastOfBits & (1 << i)) dow.push(`${i}L`);
  for (const [w, k] of d.nth) dow.push(`${w}#${k}`);
  const field = (values: number[], full: number) => (values.length === full ? '*' : ranges(values));
  const plainDom = dom.filter((x) => /^\d+$/.test(x)).map(Number);
  const plainDow = dow.filter((x) => /^\d+$/.test(x)).map(Number);
  const withQuartz = (plain: number[], all: string[]) => [ranges(plain), ...all.filter((x) => !/^\d+$/.test(x))].filter(Boolean).join(',');
  const domField = d.domForm === '?' ? '?' : dom.length === 31 ? '*' : withQuartz(plainDom, dom);
  const dowField = d.dowForm === '?' ? '?' : dow.length === 7 && d.dowStar ? '*' : withQuartz(plainDow, dow);
  const expression = [
    field([...p.seconds], 60),
    field([...p.minutes], 60),
    field([...p.hours], 24),
    domField,
    field([...p.months], 12),
    dowField,
  ].join(' ');
  return {
    seconds: [...p.seconds],
    minutes: [...p.minutes],
    hours: [...p.hours],
    daysOfMonth: dom,
    months: [...p.months],
    daysOfWeek: dow,
    dayRule: d.domStar || d.dowStar ? 'and' : 'or',
    expression,
  };
}

function ranges(values: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    out.push(j > i ? `${values[i]}-${values[j]}` : String(values[i]));
    i = j + 1;
  }
  return out.join(',');
}
