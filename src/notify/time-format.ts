/** Human-facing formats for instants and durations in notification messages. */

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      f = null; // unknown zone: callers fall back to UTC rather than fail a notification
    }
    formatters.set(timeZone, f);
  }
  return f;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/**
 * ISO 8601 with the zone's offset at that instant (`2026-03-29T03:00:00+02:00`), or `…Z`
 * for UTC and for zones the runtime does not know.
 */
export function formatInstant(date: Date, timeZone: string | null | undefined): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return 'invalid date';
  const utc = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return utc;
  const f = formatterFor(timeZone);
  if (!f) return utc;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const localAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetMin = Math.round((localAsUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${offset}`;
}

/** `850ms`, `42s`, `3m 05s`, `2h 10m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${pad(m % 60)}m`;
}
