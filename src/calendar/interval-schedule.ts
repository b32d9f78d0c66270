import type { Schedule } from './types.js';
import { DateMethods } from './date-methods.js';

/**
 * Real elapsed time: fires at offsetMs + k·intervalMs for every integer k. Aligned to the Unix
 * epoch (not to process start), so every process and every restart computes the same nominal
 * times. The timezone only affects how times are displayed.
 */
export class IntervalSchedule extends DateMethods implements Schedule {
  readonly kind = 'interval' as const;
  readonly wallClock = false;

  constructor(
    readonly source: string,
    readonly timezone: string,
    readonly intervalMs: number,
    readonly offsetMs: number,
  ) {
    super();
  }

  nextMs(afterMs: number): number | null {
    if (!Number.isFinite(afterMs)) return null;
    const k = Math.floor((afterMs - this.offsetMs) / this.intervalMs) + 1;
    const t = this.offsetMs + k * this.intervalMs;
    return Math.abs(t) <= 8.64e15 ? t : null;
  }

  prevMs(beforeMs: number): number | null {
    if (!Number.isFinite(beforeMs)) return null;
    const k = Math.ceil((beforeMs - this.offsetMs) / this.intervalMs) - 1;
    const t = this.offsetMs + k * this.intervalMs;
    return Math.abs(t) <= 8.64e15 ? t : null;
  }

  describe(): string {
    const offset = this.offsetMs === 0 ? '' : ` plus ${durationWords(this.offsetMs)}`;
    return `every ${durationWords(this.intervalMs, true)} (aligned to the Unix epoch${offset})`;
  }
}

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
  [1, 'millisecond'],
];

/** 5400000 → "1 hour 30 minutes"; with `every`, a lone 1 is dropped ("every hour"). */
export function durationWords(ms: number, every = false): string {
  const parts: string[] = [];
  let rest = Math.abs(ms);
  for (const [size, name] of UNITS) {
    const n = Math.floor(rest / size);
    if (n === 0) continue;
    rest -= n * size;
    parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  if (parts.length === 0) return '0 seconds';
  const text = parts.join(' ');
  return every && parts.length === 1 && text.startsWith('1 ') ? text.slice(2) : text;
}
