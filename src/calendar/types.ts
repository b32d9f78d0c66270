/**
 * The one value every schedule form compiles to. Pure: no method reads the clock; every
 * answer depends only on the arguments and the schedule itself.
 */
export interface Schedule {
  /** The expression as the user wrote it. */
  readonly source: string;
  /** IANA zone the calendar is evaluated in (intervals ignore it for timing). */
  readonly timezone: string;
  /** What the expression compiled to (`once`: a single instant, `at 2026-05-01T10:00:00Z`). */
  readonly kind: 'cron' | 'interval' | 'once';
  /**
   * Cron only: true when neither the minute nor the hour field starts with `*` (cronie's rule).
   * Wall-clock jobs fire once at a repeated local time and right after a DST gap.
   */
  readonly wallClock: boolean;
  /** Interval only: the period in milliseconds. */
  readonly intervalMs?: number;
  /** First fire time strictly after `after`, or null if none within the search horizon. */
  next(after: Date): Date | null;
  /** Last fire time strictly before `before`, or null. */
  prev(before: Date): Date | null;
  /** Up to `count` fire times strictly after `after`, increasing. */
  nextN(after: Date, count: number): Date[];
  /** Millisecond versions of next/prev, for hot loops (NaN-free: null when none). */
  nextMs(afterMs: number): number | null;
  prevMs(beforeMs: number): number | null;
  /** One English sentence, e.g. "at 02:00 on the 1st and 15th of the month, and on Fridays". */
  describe(): string;
}

/** How a wall-clock cron job treats DST transitions (DESIGN.md §3; defaults are cronie's). */
export interface DstPolicy {
  /** Local time skipped by a gap: `shift` fires once right after the jump; `skip` does not fire. */
  readonly gap: 'shift' | 'skip';
  /** Local time repeated at fall-back: `once` fires at the first pass; `both` fires at each. */
  readonly repeat: 'once' | 'both';
}

export interface ScheduleOptions {
  /** IANA zone name; default `UTC`. */
  readonly timezone?: string;
  /** DST handling for wall-clock cron jobs; default `{ gap: 'shift', repeat: 'once' }`. */
  readonly dst?: Partial<DstPolicy>;
  /** Interval only: shift from the Unix epoch alignment, in ms; default 0. */
  readonly offsetMs?: number;
  /** Seed for Jenkins-style `H` fields (usually the job name). */
  readonly hashKey?: string;
}
