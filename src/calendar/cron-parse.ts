import { FIELD_DEFS, parseField, type FieldContext } from './cron-field.js';
import { parseDayFields, weekdayName, type DaySpec } from './day-fields.js';
import { localSearch, type LocalSearch } from './local-search.js';
import { ProblemList } from './problems.js';

/** The parts of a cron expression the schedule and the explainer need. */
export interface ParsedCron {
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly days: DaySpec;
  /** Shared by every expression with the same fields (see localSearch). */
  readonly search: LocalSearch;
  /** cronie: neither the minute nor the hour field starts with `*`. */
  readonly wallClock: boolean;
  readonly sixFields: boolean;
}

export const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * Parses a 5-field (`min hour dom mon dow`) or 6-field (seconds first) cron expression.
 * Columns in problems are 1-based positions in `expr` as given (leading spaces included), so a
 * caller can put a caret under the bad field. Refuses calendars that can never fire.
 */
export function parseCron(expr: string, hashKey: string): ParsedCron {
  const problems = new ProblemList();
  const tokens: Array<{ text: string; col: number }> = [];
  for (const m of expr.matchAll(/\S+/g)) tokens.push({ text: m[0], col: (m.index ?? 0) + 1 });
  if (tokens.length !== 5 && tokens.length !== 6) {
    problems.add(
      'E_SCHEDULE_FIELD_COUNT',
      tokens[0]?.col ?? 1,
      expr,
      `a cron expression has 5 fields (or 6 with seconds first); this one has ${tokens.length}`,
      'minute hour day-of-month month day-of-week, e.g. "30 2 * * *"; or a nickname, a phrase or an interval',
      tokens.length === 7 ? 'the 7th (year) field of Quartz is not supported' : 'see `shipclock explain` for the accepted forms',
    );
    problems.throwIfAny();
  }
  const six = tokens.length === 6;
  const t = (i: number) => tokens[six ? i : i - 1] as { text: string; col: number };
  const ctx: FieldContext = { problems, hashKey };
  const seconds = six ? parseField(FIELD_DEFS.second, t(0).text, t(0).col, ctx) : { values: new Set([0]), star: false, text: '0' };
  const minutes = parseField(FIELD_DEFS.minute, t(1).text, t(1).col, ctx);
  const hours = parseField(FIELD_DEFS.hour, t(2).text, t(2).col, ctx);
  const months = parseField(FIELD_DEFS.month, t(4).text, t(4).col, ctx);
  const days = parseDayFields(t(3).text, t(3).col, t(5).text, t(5).col, ctx);
  problems.throwIfAny();

  const search = localSearch(seconds.values, minutes.values, hours.values, months.values, days);
  // A calendar repeats every 400 years; if nothing matches in one cycle, nothing ever will.
  if (Number.isNaN(search.next(0, 1970 + 400))) {
    problems.add('E_SCHEDULE_NEVER', t(3).col, `${t(3).text} ${t(4).text} ${t(5).text}`, neverReason(days, months.values), 'a calendar that matches at least one date', 'check the day-of-month against the month lengths, or use L for the last day');
    problems.throwIfAny();
  }
  return {
    seconds: seconds.values,
    minutes: minutes.values,
    hours: hours.values,
    months: months.values,
    days,
    search,
    wallClock: !t(1).text.startsWith('*') && !t(2).text.startsWith('*'),
    sixFields: six,
  };
}

const MONTH_NAMES = ['', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export function monthName(m: number): string {
  return MONTH_NAMES[m] ?? String(m);
}

function neverReason(days: DaySpec, months: ReadonlySet<number>): string {
  const monthList = [...months].sort((a, b) => a - b);
  // February counts 29 days here: a date that exists only in leap years is still possible.
  const longest = Math.max(...monthList.map((m) => (m === 2 ? 29 : [4, 6, 9, 11].includes(m) ? 30 : 31)));
  const plainDays: number[] = [];
  for (let d = 1; d <= 31; d++) if (days.domBits & (1 << d)) plainDays.push(d);
  const names = monthList.map(monthName).join(', ');
  if (!days.quartz && days.dowStar && plainDays.length > 0 && (plainDays[0] as number) > longest) {
    return `day ${plainDays.join(', ')} never occurs in ${names} (at most ${longest} days), so this schedule can never fire`;
  }
  if (days.nth.length > 0 || days.dowBits !== 0x7f) {
    const wd = [...new Set(days.nth.map(([w]) => weekdayName(w)))].join(', ');
    return `no date in a whole 400-year calendar cycle matches the day-of-month, month and day-of-week fields together${wd ? ` (${wd})` : ''}, so this schedule can never fire`;
  }
  return 'no date in a whole 400-year calendar cycle matches these fields, so this schedule can never fire';
}
