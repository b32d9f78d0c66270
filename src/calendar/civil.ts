/**
 * Proleptic Gregorian calendar arithmetic on plain numbers (days since 1970-01-01), so the
 * calendar never touches local-time Date methods and never depends on the process timezone.
 * Algorithms after Howard Hinnant's "chrono-compatible low-level date algorithms".
 */

/** Days since 1970-01-01 of a civil date; month 1..12. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = ((153 * mp + 2) / 5 | 0) + d - 1;
  const doe = yoe * 365 + (yoe / 4 | 0) - (yoe / 100 | 0) + doy;
  return era * 146097 + doe - 719468;
}

/** Writes [year, month 1..12, day] of `days` since the epoch into `out` (avoids allocation). */
export function civilFromDays(days: number, out: Int32Array | number[]): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = ((doe - (doe / 1460 | 0) + (doe / 36524 | 0) - (doe / 146096 | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + (yoe / 4 | 0) - (yoe / 100 | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const d = doy - ((153 * mp + 2) / 5 | 0) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[m] as number);
}

/** Day of week, 0 = Sunday, of a day number (1970-01-01 was a Thursday). */
export function weekdayOfDays(days: number): number {
  const w = (days + 4) % 7;
  return w < 0 ? w + 7 : w;
}

/** A Gregorian cycle: 400 years, exactly 146097 days (a whole number of weeks). */
export const DAYS_PER_400_YEARS = 146097;
export const SECONDS_PER_DAY = 86400;
