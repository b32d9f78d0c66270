import type { Schedule } from './types.js';

/**
 * The Date-based half of the Schedule interface, written once on top of the millisecond
 * methods each schedule kind implements (cron, interval, once).
 */
export abstract class DateMethods implements Pick<Schedule, 'next' | 'prev' | 'nextN' | 'nextMs' | 'prevMs'> {
  abstract nextMs(afterMs: number): number | null;
  abstract prevMs(beforeMs: number): number | null;

  next(after: Date): Date | null {
    const ms = this.nextMs(after.getTime());
    return ms === null ? null : new Date(ms);
  }

  prev(before: Date): Date | null {
    const ms = this.prevMs(before.getTime());
    return ms === null ? null : new Date(ms);
  }

  nextN(after: Date, count: number): Date[] {
    const out: Date[] = [];
    let t = after.getTime();
    for (let i = 0; i < count; i++) {
      const n = this.nextMs(t);
      if (n === null) break;
      out.push(new Date(n));
      t = n;
    }
    return out;
  }
}
