import { InputError } from '../errors/index.js';

const valid = new Map<string, boolean>();

/** True when the platform's tz data knows `name` (IANA names and their aliases, e.g. `US/Pacific`). */
export function isValidTimezone(name: string): boolean {
  if (typeof name !== 'string' || name === '' || /^[+-]/.test(name)) return false;
  let ok = valid.get(name);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
    valid.set(name, ok);
  }
  return ok;
}

/** Throws `E_TIMEZONE` unless `name` is a known zone; the hint suggests the closest real name. */
export function checkTimezone(name: string): void {
  if (isValidTimezone(name)) return;
  const guess = suggestTimezone(name);
  throw new InputError([
    {
      code: 'E_TIMEZONE',
      value: name,
      message: `unknown timezone "${name}"`,
      allowed: 'an IANA timezone name such as "UTC", "Europe/Berlin" or "America/New_York"',
      hint: guess ? `did you mean "${guess}"?` : 'see the list in `Intl.supportedValuesOf("timeZone")` or https://en.wikipedia.org/wiki/List_of_tz_database_time_zones',
    },
  ]);
}

/** The closest IANA name by edit distance (whole name or its city part), or undefined. */
export function suggestTimezone(name: string): string | undefined {
  const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  const want = name.toLowerCase().replace(/[\s-]+/g, '_');
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const z of zones) {
    const lz = z.toLowerCase();
    const city = lz.slice(lz.lastIndexOf('/') + 1);
    const score = Math.min(distance(want, lz), distance(want, city) + 0.5);
    if (score < bestScore) {
      bestScore = score;
      best = z;
    }
  }
  const limit = Math.max(2, Math.floor(want.length / 4));
  return bestScore <= limit ? best : undefined;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 4) return 99;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] as number;
      row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] as number;
}
