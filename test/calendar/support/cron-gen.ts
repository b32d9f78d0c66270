// Random cron expressions for property tests, generated together with the set of values each
// field allows, so the test's own matcher never has to parse the text (an independent oracle).
import fc from 'fast-check';

export interface GenField {
  readonly text: string;
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

export interface GenDays {
  readonly dom: GenField;
  readonly dow: GenField;
  /** Quartz forms, evaluated by the oracle from these flags. */
  readonly lastDay: boolean;
  readonly lastWeekdayOf: number | null;
  readonly nth: readonly [number, number] | null;
}

export interface GenCron {
  readonly text: string;
  readonly seconds: GenField | null;
  readonly minutes: GenField;
  readonly hours: GenField;
  readonly months: GenField;
  readonly days: GenDays;
  readonly wallClock: boolean;
}

const range = (lo: number, hi: number, step = 1) => {
  const s = new Set<number>();
  for (let v = lo; v <= hi; v += step) s.add(v);
  return s;
};

/** One field over [min, max]: *, N, N-M, *\/S, N-M/S or a list of values. */
export function field(min: number, max: number, opts: { dense?: boolean } = {}): fc.Arbitrary<GenField> {
  const value = fc.integer({ min, max });
  const span = max - min;
  const star = fc.constant<GenField>({ text: '*', values: range(min, max), star: true });
  const single = value.map((v) => ({ text: String(v), values: new Set([v]), star: false }));
  const rng = fc.tuple(value, value).map(([a, b]) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    return { text: `${lo}-${hi}`, values: range(lo, hi), star: false };
  });
  const step = fc.integer({ min: 1, max: Math.max(1, Math.min(span, 30)) }).map((s) => ({ text: `*/${s}`, values: range(min, max, s), star: true }));
  const rangeStep = fc.tuple(value, value, fc.integer({ min: 1, max: 12 })).filter(([a, b, s]) => Math.abs(a - b) >= s).map(([a, b, s]) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    return { text: `${lo}-${hi}/${s}`, values: range(lo, hi, s), star: false };
  });
  const list = fc.uniqueArray(value, { minLength: 2, maxLength: 5 }).map((vs) => ({ text: vs.join(','), values: new Set(vs), star: false }));
  return opts.dense
    ? fc.oneof({ arbitrary: star, weight: 4 }, { arbitrary: step, weight: 2 }, { arbitrary: rng, weight: 2 }, { arbitrary: single, weight: 1 }, { arbitrary: list, weight: 1 }, { arbitrary: rangeStep, weight: 1 })
    : fc.oneof(star, single, rng, step, rangeStep, list);
}

const daysArb = (quartz: boolean): fc.Arbitrary<GenDays> => {
  const plain = fc.record({
    dom: fc.oneof({ arbitrary: fc.constant<GenField>({ text: '*', values: range(1, 31), star: true }), weight: 4 }, { arbitrary: field(1, 31), weight: 1 }),
    dow: fc.oneof({ arbitrary: fc.constant<GenField>({ text: '*', values: range(0, 6), star: true }), weight: 4 }, { arbitrary: field(0, 6), weight: 1 }),
  }).map(({ dom, dow }) => ({ dom, dow, lastDay: false, lastWeekdayOf: null, nth: null }));
  if (!quartz) return plain;
  const star = (lo: number, hi: number): GenField => ({ text: '*', values: range(lo, hi), star: true });
  const none: GenField = { text: '', values: new Set(), star: false };
  const special = fc.oneof(
    fc.constant<GenDays>({ dom: { ...none, text: 'L' }, dow: star(0, 6), lastDay: true, lastWeekdayOf: null, nth: null }),
    fc.integer({ min: 0, max: 6 }).map((w) => ({ dom: star(1, 31), dow: { ...none, text: `${w}L` }, lastDay: false, lastWeekdayOf: w, nth: null })),
    fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 })).map(([w, k]) => ({
      dom: { ...star(1, 31), text: '?' },
      dow: { ...none, text: `${w}#${k}` },
      lastDay: false,
      lastWeekdayOf: null,
      nth: [w, k] as const,
    })),
  );
  return fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: special, weight: 1 });
};

/** Expressions likely to fire often (dense time fields), 5 fields unless `seconds`. */
export function cronArb(opts: { seconds?: boolean; quartz?: boolean; dense?: boolean } = {}): fc.Arbitrary<GenCron> {
  const dense = opts.dense ?? false;
  return fc
    .record({
      seconds: opts.seconds ? fc.option(field(0, 59, { dense }), { nil: null }) : fc.constant(null),
      minutes: field(0, 59, { dense }),
      hours: field(0, 23, { dense }),
      months: fc.oneof({ arbitrary: fc.constant<GenField>({ text: '*', values: range(1, 12), star: true }), weight: 3 }, { arbitrary: field(1, 12), weight: 1 }),
      days: daysArb(opts.quartz ?? false),
    })
    .map((r) => ({
      ...r,
      wallClock: !r.minutes.text.startsWith('*') && !r.hours.text.startsWith('*'),
      text: [r.seconds?.text, r.minutes.text, r.hours.text, r.days.dom.text, r.months.text, r.days.dow.text].filter((x) => x !== undefined).join(' '),
    }));
}

export interface LocalFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
  readonly daysInMonth: number;
}

/** The oracle's day rule: Vixie AND/OR, plus the few Quartz forms the generator emits. */
export function matchesLocal(c: GenCron, f: LocalFields): boolean {
  if (c.seconds ? !c.seconds.values.has(f.second) : f.second !== 0) return false;
  if (!c.minutes.values.has(f.minute) || !c.hours.values.has(f.hour) || !c.months.values.has(f.month)) return false;
  const d = c.days;
  let dom = d.dom.values.has(f.day);
  let dow = d.dow.values.has(f.weekday);
  if (d.lastDay) dom = f.day === f.daysInMonth;
  if (d.lastWeekdayOf !== null) dow = f.weekday === d.lastWeekdayOf && f.day + 7 > f.daysInMonth;
  if (d.nth) dow = f.weekday === d.nth[0] && Math.ceil(f.day / 7) === d.nth[1];
  const and = d.dom.text.startsWith('*') || d.dom.text === '?' || d.dow.text.startsWith('*') || d.dow.text === '?';
  return and ? dom && dow : dom || dow;
}
