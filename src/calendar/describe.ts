import type { CronCalendar } from './local-search.js';
import { monthName } from './cron-parse.js';
import { ordinal, weekdayName } from './day-fields.js';

/**
 * One English sentence for a cron calendar, following the rules the engine applies: the Vixie
 * day rule (restricted day-of-month OR restricted day-of-week; AND when either starts with `*`)
 * and Sunday = 0 = 7. E.g. "at 02:00 on the 1st and 15th of the month, and on Fridays".
 */
export function describeCron(c: CronCalendar): string {
  const parts = [timePart(c)];
  const d = c.days;
  const onlyDom = d.dowForm !== 'other' && !d.quartz && d.domForm === 'other';
  const m = c.months;
  if (onlyDom && m.length <= 4 && bitCount(d.domBits) <= 4) {
    // "on the 1st of January", not "on the 1st of the month in January".
    const days: number[] = [];
    for (let i = 1; i <= 31; i++) if (d.domBits & (1 << i)) days.push(i);
    parts.push(`on the ${join(days.map(ordinal))} of ${join(m.map(monthName))}`);
    return parts.join(' ');
  }
  const days = dayPart(c);
  if (days) parts.push(days);
  const months = monthPart(c.months);
  if (months) parts.push(months);
  return parts.join(' ');
}

function bitCount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
}

const pad = (n: number) => String(n).padStart(2, '0');

function join(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** An arithmetic run from the field minimum to the end of the range, e.g. 0,15,30,45 → 15. */
function stepOf(values: readonly number[], min: number, max: number): number | undefined {
  if (values.length < 2 || values[0] !== min) return undefined;
  const step = (values[1] as number) - (values[0] as number);
  for (let i = 1; i < values.length; i++) if ((values[i] as number) - (values[i - 1] as number) !== step) return undefined;
  return (values[values.length - 1] as number) + step > max ? step : undefined;
}

/** 1,2,3,4,5,10 → "1-5 and 10" (runs of 3 or more become ranges). */
function compact(values: readonly number[], fmt: (n: number) => string = String): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    if (j - i >= 2) out.push(`${fmt(values[i] as number)}-${fmt(values[j] as number)}`);
    else for (let k = i; k <= j; k++) out.push(fmt(values[k] as number));
    i = j + 1;
  }
  return join(out);
}

function timePart(c: CronCalendar): string {
  const secs = c.seconds;
  const mins = c.minutes;
  const hrs = c.hours;
  const allS = secs.length === 60;
  const allM = mins.length === 60;
  const allH = hrs.length === 24;
  const sec = secs[0] as number;
  const plainSec = secs.length === 1 && sec === 0;
  const hm = (h: number, m: number) => `${pad(h)}:${pad(m)}${secs.length === 1 && sec !== 0 ? `:${pad(sec)}` : ''}`;

  if (allS && allM && allH) return 'every second';
  if (secs.length === 1 && mins.length === 1 && hrs.length <= 8) return `at ${join(hrs.map((h) => hm(h, mins[0] as number)))}`;

  // Seconds, then minutes, then hours, each phrase narrowing the previous one.
  const ss = stepOf(secs, 0, 59);
  const secText = plainSec ? '' : allS ? 'every second' : ss ? `every ${ss} seconds` : `at second ${compact(secs)}`;
  const ms = stepOf(mins, 0, 59);
  let text: string;
  if (allM) text = secText || 'every minute';
  else if (!secText && ms) text = `every ${ms} minutes`;
  else if (!secText && mins.length === 1 && allH) return `at minute ${mins[0]} of every hour`;
  else text = `${secText ? `${secText} of ` : 'at '}minute${mins.length === 1 ? '' : 's'} ${compact(mins)}`;
  if (allH) return allM || ms ? text : `${text} of every hour`;
  const hs = stepOf(hrs, 0, 23);
  if (hs) return `${text} of every ${ordinal(hs)} hour`;
  const contiguous = hrs.length > 1 && (hrs[hrs.length - 1] as number) - (hrs[0] as number) === hrs.length - 1;
  if (contiguous && mins.length === 1 && secs.length === 1) {
    const [h0, h1] = [hrs[0] as number, hrs[hrs.length - 1] as number];
    return `every hour at minute ${mins[0]}, from ${hm(h0, mins[0] as number)} to ${hm(h1, mins[0] as number)}`;
  }
  if (hrs.length <= 3) return `${text} from ${join(hrs.map((h) => `${pad(h)}:00 to ${pad(h)}:59`))}`;
  return `${text} during hours ${compact(hrs, (h) => `${pad(h)}:00`)}`;
}

function domText(c: CronCalendar): string | undefined {
  const d = c.days;
  if (d.domForm !== 'other') return undefined;
  const items: string[] = [];
  const plain: number[] = [];
  for (let i = 1; i <= 31; i++) if (d.domBits & (1 << i)) plain.push(i);
  const step = stepOf(plain, 1, 31);
  if (step && plain.length > 2) items.push(`every ${ordinal(step)} day starting on the 1st`);
  else if (plain.length > 0) items.push(`the ${plain.length > 4 ? compact(plain, ordinal) : join(plain.map(ordinal))}`);
  for (const n of d.lastMinus) items.push(n === 0 ? 'the last day' : `${n} day${n === 1 ? '' : 's'} before the last day`);
  for (const n of d.nearestWeekday) items.push(`the weekday nearest the ${ordinal(n)}`);
  if (d.lastWeekday) items.push('the last weekday');
  return `on ${join(items)} of the month`;
}

function dowText(c: CronCalendar): string | undefined {
  const d = c.days;
  if (d.dowForm !== 'other') return undefined;
  const items: string[] = [];
  const plain: number[] = [];
  for (let i = 0; i < 7; i++) if (d.dowBits & (1 << i)) plain.push(i);
  if (plain.join() === '1,2,3,4,5') items.push('weekdays (Monday to Friday)');
  else if (plain.join() === '0,6') items.push('weekends');
  else if (plain.length >= 3 && (plain[plain.length - 1] as number) - (plain[0] as number) === plain.length - 1) {
    items.push(`${weekdayName(plain[0] as number)} through ${weekdayName(plain[plain.length - 1] as number)}`);
  } else if (plain.length > 0) items.push(join(plain.map((w) => `${weekdayName(w)}s`)));
  const nth = [...d.nth].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([w, k]) => `the ${ordinal(k)} ${weekdayName(w)}`);
  const last: string[] = [];
  for (let w = 0; w < 7; w++) if (d.lastOfBits & (1 << w)) last.push(`the last ${weekdayName(w)}`);
  const special = [...nth, ...last];
  if (special.length > 0) items.push(`${join(special)} of the month`);
  return `on ${join(items)}`;
}

function dayPart(c: CronCalendar): string | undefined {
  const dom = domText(c);
  const dow = dowText(c);
  if (dom && dow) {
    const and = c.days.domStar || c.days.dowStar;
    // Vixie: restricted OR restricted; a `*`-led field (e.g. */2) restricts with AND.
    return and ? `${dom}, but only ${dow}` : `${dom}, and ${dow}`;
  }
  return dom ?? dow;
}

function monthPart(m: readonly number[]): string | undefined {
  if (m.length === 12) return undefined;
  return `in ${m.length > 4 ? compact(m, monthName) : join(m.map(monthName))}`;
}
