import { formatInZone } from './format-in-zone.js';
import type { Schedule } from './types.js';
import { DateMethods } from './date-methods.js';

/**
 * One fire at a fixed instant (`at 2026-05-01T10:00:00Z`): a deploy planned for a moment.
 * `next` answers it until it has passed, then null; the ledger's cursor makes sure it runs at
 * most once, across restarts, disable/enable and re-applied configs.
 */
export class OnceSchedule extends DateMethods implements Schedule {
  readonly kind = 'once' as const;
  readonly wallClock = false;

  constructor(
    readonly source: string,
    readonly timezone: string,
    readonly atMs: number,
  ) {
    super();
  }

  nextMs(afterMs: number): number | null {
    return afterMs < this.atMs ? this.atMs : null;
  }

  prevMs(beforeMs: number): number | null {
    return beforeMs > this.atMs ? this.atMs : null;
  }

  describe(): string {
    return `once, at ${formatInZone(this.atMs, this.timezone)}`;
  }
}
