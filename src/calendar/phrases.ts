import { InputError } from '../errors/index.js';
import { parseDuration } from '../util/duration.js';
import { fail } from './problems.js';

/** What a word, phrase or interval form compiles to. */
export type Compiled = { readonly kind: 'cron'; readonly cron: string } | { readonly kind: 'interval'; readonly ms: number };

const WORDS: Readonly<Record<string, string>> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 0',
  monthly: '0 0 1 * *',
  yearly: '0 0 1 1 *',
  annually: '0 0 1 1 *',
};

const DAY_WORDS: Readonly<Record<string, string>> = {
  sunday: '0', monday: '1', tuesday: '2', wednesday: '3', thursday: '4', friday: '5', saturday: '6',
  sun: '0', mon: '1', tue: '2', wed: '3', thu: '4', fri: '5', sat: '6',
  weekday: '1-5', weekdays: '1-5', weekend: '0,6', weekends: '0,6', day: '*', days: '*',
};

const PHRASE_START = /^(every|daily|weekly|hourly|monthly|yearly|annually|weekdays|weekends|sundays|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays)\b/i;

const PHRASES_ALLOWED =
  '"hourly", "daily", "weekly", "monthly", "yearly", "every 15 minutes", "every 2 hours", "daily at 02:30", "weekdays at 9:00", "weekends at 10:00", "every monday at 10:00", "monthly on the 1st at 03:00", or intervals "every 6h", "*/30m", "3600"';

/**
 * Words, English phrases and interval shorthands. Returns null when `expr` is none of them
 * (then it is parsed as cron). Phrases compile to cron so `explain` can show the fields;
 * intervals (`*\/6h`, `every 90s`, `3600`) are real elapsed time.
 */
/** Longer intervals are refused: a typo (`99999999999999999999`) must not become "never". */
export const MAX_INTERVAL_MS = 10 * 366 * 86_400_000;

export function compilePhrase(expr: string): Compiled | null {
  const compiled = compilePhraseUnchecked(expr);
  if (compiled?.kind === 'interval' && !(compiled.ms <= MAX_INTERVAL_MS)) {
    const lead = expr.length - expr.trimStart().length + 1;
    fail('E_SCHEDULE_INTERVAL', lead, expr.trim(), 'this interval is longer than 10 years', 'an interval from 1s to 10 years, e.g. 3600, */6h, every 30d', 'for a yearly deploy use a calendar such as @yearly or "0 3 1 1 *"');
  }
  return compiled;
}

function compilePhraseUnchecked(expr: string): Compiled | null {
  const text = expr.trim();
  const lead = expr.length - expr.trimStart().length + 1;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    if (seconds <= 0) fail('E_SCHEDULE_INTERVAL', lead, text, 'an interval of 0 seconds never advances', 'a whole number of seconds greater than 0');
    return { kind: 'interval', ms: seconds * 1000 };
  }
  const star = /^\*\/(\d+(?:ms|s|m|h|d)\S*)$/.exec(text);
  if (star?.[1] !== undefined) return { kind: 'interval', ms: intervalMs(star[1], lead + 2) };
  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  const word = WORDS[lower];
  if (word !== undefined) return { kind: 'cron', cron: word };
  if (!PHRASE_START.test(lower)) return null;

  const compact = /^every (\d+(?:ms|s|m|h|d)\S*)$/.exec(lower);
  if (compact?.[1] !== undefined) return { kind: 'interval', ms: intervalMs(compact[1], lead + 6) };

  const every = /^every (?:(\d+) )?(second|minute|hour|day|week|month|year)s?$/.exec(lower);
  if (every?.[2] !== undefined) return everyUnit(every[1] === undefined ? 1 : Number(every[1]), every[2], text, lead);

  // "<days> [at <time>]": daily, every day, weekdays, weekends, every monday, mondays
  const days = /^(?:(daily)|every (\w+)|(weekdays|weekends|\w+days))(?: at (.+))?$/.exec(lower);
  if (days) {
    const dayWord = days[1] ? 'day' : (days[2] ?? days[3] ?? '').replace(/^(\w+day)s$/, '$1');
    const dow = DAY_WORDS[dayWord];
    if (dow !== undefined) {
      const [h, m, s] = days[4] === undefined ? [0, 0, undefined] : parseTime(days[4], text, lead + lower.indexOf(' at ') + 4);
      return { kind: 'cron', cron: `${s === undefined ? '' : `${s} `}${m} ${h} * * ${dow}` };
    }
  }

  const monthly = /^monthly on the (\d+)(?:st|nd|rd|th)?(?: day)?(?: at (.+))?$|^monthly on the last day(?: at (.+))?$/.exec(lower);
  if (monthly) {
    const dom = monthly[1] === undefined ? 'L' : monthly[1];
    if (monthly[1] !== undefined && (Number(dom) < 1 || Number(dom) > 31)) {
      fail('E_SCHEDULE_PHRASE', lead + lower.indexOf(monthly[1]), text, `day ${dom} of the month does not exist`, 'a day from 1st to 31st, or "last day"');
    }
    const timeText = monthly[2] ?? monthly[3];
    const [h, m, s] = timeText === undefined ? [0, 0, undefined] : parseTime(timeText, text, lead + lower.indexOf(' at ') + 4);
    return { kind: 'cron', cron: `${s === undefined ? '' : `${s} `}${m} ${h} ${dom} * *` };
  }
  return fail('E_SCHEDULE_PHRASE', lead, text, `"${text}" is not a schedule phrase shipclock understands`, PHRASES_ALLOWED);
}

function intervalMs(durationText: string, col: number): number {
  let ms: number;
  try {
    ms = parseDuration(durationText);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const zero = /^0+(?:ms|s|m|h|d)$/.test(durationText);
    return fail(
      zero ? 'E_SCHEDULE_INTERVAL' : 'E_SCHEDULE_SYNTAX',
      col,
      durationText,
      zero ? `an interval of ${durationText} never advances` : `"${durationText}" is not a duration`,
      'a duration greater than 0: a number with ms, s, m, h or d, e.g. 30s, 10m, 6h, 1h30m',
    );
  }
  if (ms < 1000) fail('E_SCHEDULE_INTERVAL', col, durationText, `an interval of ${durationText} is shorter than one second`, 'a duration of at least 1s');
  return ms;
}

const UNIT_CYCLE: Readonly<Record<string, number>> = { second: 60, minute: 60, hour: 24 };
const UNIT_MS: Readonly<Record<string, number>> = { second: 1000, minute: 60_000, hour: 3_600_000 };

/** `every N minutes` is cron when N divides the hour (so it lines up with the clock), else an interval. */
function everyUnit(n: number, unit: string, text: string, col: number): Compiled {
  if (n === 0) fail('E_SCHEDULE_INTERVAL', col, text, 'an interval of 0 never advances', 'a number greater than 0');
  const cycle = UNIT_CYCLE[unit];
  if (cycle !== undefined) {
    if (cycle % n !== 0) return { kind: 'interval', ms: n * (UNIT_MS[unit] as number) };
    const f = n === 1 ? '*' : `*/${n}`;
    if (unit === 'second') return { kind: 'cron', cron: `${f} * * * * *` };
    if (unit === 'minute') return { kind: 'cron', cron: `${f} * * * *` };
    return { kind: 'cron', cron: `0 ${f} * * *` };
  }
  if (n === 1) return { kind: 'cron', cron: WORDS[unit === 'day' ? 'daily' : `${unit}ly`] as string };
  return fail(
    'E_SCHEDULE_PHRASE',
    col,
    text,
    `"${text}" is ambiguous: calendar ${unit}s differ in length and cron steps restart each month`,
    PHRASES_ALLOWED,
    unit === 'day' ? `for real elapsed time write "every ${n * 24}h"` : 'use a cron expression for calendar dates',
  );
}

/** "9:00", "02:30", "14:05:30", "2pm", "2:30 pm", "noon", "midnight" → [hour, minute, second?]. */
function parseTime(t: string, text: string, col: number): [number, number, number | undefined] {
  if (t === 'noon') return [12, 0, undefined];
  if (t === 'midnight') return [0, 0, undefined];
  const m = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))? ?(am|pm)?$/.exec(t);
  if (m?.[1] !== undefined && (m[2] !== undefined || m[4] !== undefined)) {
    let h = Number(m[1]);
    const mi = m[2] === undefined ? 0 : Number(m[2]);
    const s = m[3] === undefined ? undefined : Number(m[3]);
    const ampm = m[4];
    const okHour = ampm ? h >= 1 && h <= 12 : h <= 23;
    if (okHour && mi <= 59 && (s === undefined || s <= 59)) {
      if (ampm === 'pm' && h !== 12) h += 12;
      if (ampm === 'am' && h === 12) h = 0;
      return [h, mi, s];
    }
  }
  return fail('E_SCHEDULE_PHRASE', col, t, `"${t}" is not a time of day`, 'HH:MM (24-hour, 00:00-23:59), HH:MM:SS, 9am, 2:30pm, noon or midnight', `e.g. "${text.slice(0, text.toLowerCase().lastIndexOf(' at '))} at 02:30"`);
}
