import type { Config, JobConfig } from '../config/types.js';
import type { Clock } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Attempt, Occurrence, Store } from '../store/types.js';
import { occurrenceJson } from '../cli/views.js';
import { HttpProblem } from './http-problem.js';

/** What every route handler may use. `scheduler` is null under `shipclock serve`. */
export interface ApiContext {
  readonly config: Config;
  readonly store: Store;
  readonly scheduler: Scheduler | null;
  readonly clock: Clock;
}

export function findJob(ctx: ApiContext, name: string, field = 'job'): JobConfig {
  const job = ctx.config.jobs.find((j) => j.name === name);
  if (!job) {
    throw new HttpProblem(404, 'E_HTTP_NO_JOB', `no job named ${JSON.stringify(name)}`, {
      field,
      value: name,
      allowed: ctx.config.jobs.map((j) => j.name).join(', '),
    });
  }
  return job;
}

export async function findOccurrence(ctx: ApiContext, id: string): Promise<Occurrence> {
  const occ = await ctx.store.getOccurrence(id);
  if (!occ) throw new HttpProblem(404, 'E_HTTP_NO_OCCURRENCE', `no occurrence with id ${JSON.stringify(id)}`, { field: 'id', value: id });
  return occ;
}

/**
 * The API's occurrence: the `history --json` shape (views.ts) with links, without the server's
 * file paths (the log is reached through its URL).
 */
export function occurrenceView(o: Occurrence, attempts: readonly Attempt[] = []) {
  const base = occurrenceJson(o, attempts);
  return {
    ...base,
    attempt_count: o.attempts,
    url: `/runs/${encodeURIComponent(o.id)}`,
    attempts: base.attempts.map(({ log, ...a }) => ({
      ...a,
      log_url: log === null ? null : `/api/occurrences/${encodeURIComponent(o.id)}/log?attempt=${a.number}`,
    })),
  };
}
