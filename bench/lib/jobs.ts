// The job sets every library runs: plain 6-field cron expressions (seconds first) in UTC, which
// shipclock, croner, node-cron and cron all accept, each firing once a day at a chosen second,
// so a job fires at most once per measurement and its scheduled time is known exactly.
import type { JobConfig } from '../../src/config/types.js';

export interface JobSpec {
  readonly name: string;
  readonly expr: string;
  /** The fire time this bench expects (first one after the set is built). */
  readonly atMs: number;
}

/** `s m h * * *`: daily at the UTC second of `atMs`. */
export function dailyAt(atMs: number): string {
  const d = new Date(atMs);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
}

/**
 * `count` jobs: `burst` of them due in the same second (`burstAt`), the rest spread one per
 * second-slot, `perSecond` apart, from `spreadFrom` on (wrapping within the day).
 */
export function jobSet(o: { count: number; burst: number; burstAt: number; spreadFrom: number; spreadMs: number }): JobSpec[] {
  const jobs: JobSpec[] = [];
  for (let i = 0; i < o.burst; i++) jobs.push({ name: `burst-${i}`, expr: dailyAt(o.burstAt), atMs: o.burstAt });
  const rest = o.count - o.burst;
  for (let i = 0; i < rest; i++) {
    // Whole seconds, spread evenly over spreadMs: every job fires on a second boundary.
    const at = o.spreadFrom + Math.floor((i * o.spreadMs) / rest / 1000) * 1000;
    jobs.push({ name: `job-${i}`, expr: dailyAt(at), atMs: at });
  }
  return jobs;
}

/** A resolved job with shipclock's defaults (what the config loader would produce). */
export function jobConfig(spec: JobSpec, overrides: Partial<JobConfig> = {}): JobConfig {
  return {
    name: spec.name,
    schedule: spec.expr,
    timezone: 'UTC',
    dst: { gap: 'shift', repeat: 'once' },
    offsetMs: 0,
    description: null,
    provider: { kind: 'noop', settings: {} },
    target: spec.name,
    retry: { maxRetries: 0, baseMs: 30_000, capMs: 600_000 },
    timeoutMs: 30 * 60_000,
    overlap: 'skip',
    queueCap: 10,
    catchUp: { mode: 'latest', windowMs: 3_600_000, max: 100 },
    jitterMs: 0,
    notifications: null,
    ...overrides,
  };
}
