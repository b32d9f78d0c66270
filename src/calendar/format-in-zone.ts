import { civilFromDays } from './civil.js';
import { checkTimezone } from './timezone.js';
import { zoneRules } from './zone-rules.js';

const UTC_NAMES = /^(?:UTC|Etc\/UTC|Etc\/UCT|UCT|Etc\/Universal|Universal|Etc\/Zulu|Zulu)$/i;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "+05:30", "-04:00", "+00:00"; seconds only when the zone's offset has them (old LMT). */
export function formatOffset(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const a = Math.abs(offsetSec);
  const s = a % 60;
  return `${sign}${pad(Math.floor(a / 3600))}:${pad(Math.floor((a % 3600) / 60))}${s ? `:${pad(s)}` : ''}`;
}

/** Local civil seconds → "2025-03-09T03:00:00" (milliseconds appended by the caller if any). */
export function formatLocal(localSec: number): string {
  const days = Math.floor(localSec / 86400);
  const tod = localSec - days * 86400;
  const ymd = [0, 0, 0];
  civilFromDays(days, ymd);
  const y = ymd[0] as number;
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? '-' : '+') + pad(Math.abs(y), 6);
  return `${year}-${pad(ymd[1] as number)}-${pad(ymd[2] as number)}T${pad(Math.floor(tod / 3600))}:${pad(Math.floor((tod % 3600) / 60))}:${pad(tod % 60)}`;
}

/**
 * ISO-8601 with the zone's own offset at that instant, e.g. `2025-03-09T03:00:00-04:00`;
 * `Z` for UTC. Milliseconds appear only when non-zero. Never uses the process timezone.
 * Throws InputError `E_TIMEZONE` for an unknown zone.
 */
export function formatInZone(date: Date | number, timezone: string): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  const sec = Math.floor(ms / 1000);
  const frac = ms - sec * 1000;
  const fracText = frac ? `.${pad(frac, 3)}` : '';
  if (UTC_NAMES.test(timezone)) return `${formatLocal(sec)}${fracText}Z`;
  checkTimezone(timezone);
  const offset = zoneRules(timezone).offsetAt(sec);
  return `${formatLocal(sec + offset)}${fracText}${formatOffset(offset)}`;
}
