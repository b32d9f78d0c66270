import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../scheduler/clock.js';

/**
 * The Prometheus instruments, on a registry of our own (never prom-client's global one, so
 * several servers in one process, or tests, do not share counts).
 */
export function createInstruments(opts: { clock: Clock; withTickAge: boolean }) {
  const registry = new Registry();
  const registers = [registry];
  const ticks = { lastMs: null as number | null };
  return {
    ticks,
    registry,
    runs: new Counter({
      name: 'shipclock_runs_total',
      help: 'Occurrences that reached a final state, by job and state (ran: succeeded, failed, …; never started: skipped_overlap, missed, …).',
      labelNames: ['job', 'state'] as const,
      registers,
    }),
    attempts: new Counter({
      name: 'shipclock_attempts_total',
      help: 'Deploy attempts by job and outcome.',
      labelNames: ['job', 'outcome'] as const,
      registers,
    }),
    lateness: new Histogram({
      name: 'shipclock_lateness_seconds',
      help: 'Delay between when a run was due (nominal time plus jitter) and when it started.',
      labelNames: ['job'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14_400],
      registers,
    }),
    duration: new Histogram({
      name: 'shipclock_run_duration_seconds',
      help: 'Run duration from start to final outcome, all attempts and backoff included.',
      labelNames: ['job'] as const,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
      registers,
    }),
    skipped: new Counter({
      name: 'shipclock_skipped_total',
      help: 'Scheduled times skipped because a run of the same job was still going (overlap skip).',
      labelNames: ['job'] as const,
      registers,
    }),
    missed: new Counter({
      name: 'shipclock_missed_total',
      help: 'Scheduled times missed (scheduler down past the catch-up window).',
      labelNames: ['job'] as const,
      registers,
    }),
    timedOut: new Counter({
      name: 'shipclock_timed_out_total',
      help: 'Runs stopped by their timeout.',
      labelNames: ['job'] as const,
      registers,
    }),
    notificationFailures: new Counter({
      name: 'shipclock_notification_failures_total',
      help: 'Notifications that could not be delivered after every retry, by job and channel.',
      labelNames: ['job', 'channel'] as const,
      registers,
    }),
    up: new Gauge({
      name: 'shipclock_scheduler_up',
      help: '1 while a scheduler runs (in this process, or holding the state dir lock under `serve`), else 0.',
      registers,
    }),
    lastTickAge: new Gauge({
      name: 'shipclock_last_tick_age_seconds',
      help: "Seconds since the in-process scheduler's last loop pass (absent under `serve`).",
      registers: opts.withTickAge ? registers : [],
      // Computed at scrape time, so a stuck loop shows as a growing age.
      collect() {
        if (ticks.lastMs !== null) this.set(Math.max(0, opts.clock.now() - ticks.lastMs) / 1000);
      },
    }),
  };
}

export type Instruments = ReturnType<typeof createInstruments>;
