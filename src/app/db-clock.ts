import type { Clock } from '../scheduler/clock.js';
import { systemClock } from '../scheduler/system-clock.js';

/** How often the offset is measured again (DESIGN.md §7: each instance measures its skew). */
export const SKEW_INTERVAL_MS = 30_000;
/** A skew this large is worth a warning: the instance's own clock is badly set. */
export const SKEW_WARN_MS = 60_000;
/** One wait is at most this long, so a new offset (or a jump) is seen within a minute. */
const MAX_WAIT_MS = 60_000;

export interface SkewReading {
  /** Database clock minus the local clock, ms (positive: the database is ahead). */
  readonly skewMs: number;
  /** When the reading was taken, on the corrected clock. */
  readonly atMs: number;
}

export interface DbClockOptions {
  /**
   * One measurement of database-minus-local time, e.g. `() => measureClockSkew(store, clock.now)`
   * (round-trip midpoint). Null when the store has no clock of its own (SQLite).
   */
  readonly measure: () => Promise<number | null>;
  /** The local clock the offset is added to (the system clock; a fake one in tests). */
  readonly base?: Clock;
  readonly intervalMs?: number;
  readonly warnMs?: number;
  /** Called when |skew| ≥ warnMs: on the first such reading and again when it changes by a second or more. */
  readonly onSkew?: (reading: SkewReading) => void;
  /** A measurement failed (database down): the last offset stays in use. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The database's clock, as seen from this process. With several instances "is it due" must mean
 * the same instant everywhere, so they agree on one clock, the database's: every 30 s the offset
 * to `SELECT now()` is measured (round-trip midpoint), and between measurements time advances
 * with the monotonic clock from the last reading. A step of this machine's wall clock (NTP, an
 * operator, a VM restore) therefore moves nothing here: an instance whose own clock is minutes
 * off neither fires early nor late, it only warns. While the database is unreachable the last
 * reading stays in use (nothing is started without the database anyway). Before the first
 * successful reading it is the local clock.
 */
export class DbClock implements Clock, AsyncDisposable {
  private offsetMs = 0;
  /** Database time at the last reading, and the monotonic time of that reading. */
  private anchor: { dbMs: number; mono: number } | null = null;
  private lastWarnedMs: number | null = null;
  private readonly base: Clock;
  private readonly stopper = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: DbClockOptions) {
    this.base = options.base ?? systemClock;
  }

  /** The last measured skew (database minus local), ms. */
  get skewMs(): number {
    return this.offsetMs;
  }

  readonly now = (): number => {
    const mono = this.base.monotonic?.();
    if (this.anchor === null || mono === undefined) return this.base.now() + this.offsetMs;
    return this.anchor.dbMs + Math.round(mono - this.anchor.mono);
  };

  readonly monotonic = (): number => this.base.monotonic?.() ?? this.base.now();

  sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void> {
    // A wait is a duration: translate it onto the local clock now, capped so that a new reading
    // (or a jump of the local clock during the wait) is taken into account within a minute.
    const waitMs = Math.min(Math.max(0, untilMs - this.now()), MAX_WAIT_MS);
    return this.base.sleepUntil(this.base.now() + waitMs, signal);
  }

  /** Measures once; returns the skew, or null when there is nothing to measure or it failed. */
  async measure(): Promise<number | null> {
    let skew: number | null;
    try {
      skew = await this.options.measure();
    } catch (error) {
      this.options.onError?.(error);
      return null;
    }
    if (skew === null) return null;
    this.offsetMs = Math.round(skew);
    // The database's time now is our time now plus the skew (both clocks advance alike).
    const mono = this.base.monotonic?.();
    this.anchor = mono === undefined ? null : { dbMs: this.base.now() + this.offsetMs, mono };
    const warnMs = this.options.warnMs ?? SKEW_WARN_MS;
    if (Math.abs(skew) >= warnMs) {
      if (this.lastWarnedMs === null || Math.abs(this.lastWarnedMs - skew) >= 1_000) {
        this.lastWarnedMs = skew;
        this.options.onSkew?.({ skewMs: skew, atMs: this.now() });
      }
    } else {
      this.lastWarnedMs = null;
    }
    return skew;
  }

  /** Measures now, then every interval until disposed. Resolves after the first measurement. */
  async start(): Promise<void> {
    await this.measure();
    if (this.loop) return;
    const interval = this.options.intervalMs ?? SKEW_INTERVAL_MS;
    const signal = this.stopper.signal;
    this.loop = (async () => {
      while (!signal.aborted) {
        await this.base.sleepUntil(this.base.now() + interval, signal);
        if (!signal.aborted) await this.measure();
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * The clock a scheduler on `store` should use: the database's clock for PostgreSQL (measured
 * against `base`, round-trip midpoint), `base` itself for SQLite (one node, no shared clock).
 */
export function clockForStore(
  store: { readonly backend: 'sqlite' | 'postgres' },
  measure: (localNow: () => number) => Promise<number | null>,
  base: Clock,
  handlers: Pick<DbClockOptions, 'onSkew' | 'onError'> = {},
): DbClock | null {
  if (store.backend !== 'postgres') return null;
  return new DbClock({ base, measure: () => measure(() => base.now()), ...handlers });
}
