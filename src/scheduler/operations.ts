import type { Schedule } from '../calendar/types.js';
import type { JobConfig } from '../config/types.js';
import { ShipclockError } from '../errors/shipclock-error.js';
import type { JobRecord, Occurrence, Store } from '../store/types.js';
import { timingHash } from './timing-hash.js';

/**
 * Operator actions, written against the store so they work the same on a running scheduler
 * (it sees the change on its next poll) and on a stopped one. The CLI and the HTTP API both
 * call these; neither has its own copy.
 */

async function jobRecord(store: Store, job: JobConfig, nowMs: number): Promise<JobRecord> {
  return (await store.getJob(job.name)) ?? store.syncJob(job.name, timingHash(job), nowMs);
}

/** A manual run request: an occurrence of kind `manual` at `nowMs`, obeying overlap unless forced. */
export async function requestRun(
  store: Store,
  job: JobConfig,
  opts: { nowMs: number; by: string; force?: boolean; note?: string },
): Promise<Occurrence> {
  await jobRecord(store, job, opts.nowMs);
  // Two requests in the same millisecond are still two runs: move to the next free millisecond.
  for (let t = opts.nowMs; t < opts.nowMs + 1000; t++) {
    const occ = await store.insertOccurrence(
      {
        job: job.name,
        nominalMs: t,
        kind: 'manual',
        trigger: 'manual',
        state: 'pending',
        target: job.target,
        dueMs: opts.nowMs,
        requestedBy: opts.by,
        force: opts.force ?? false,
        reason: opts.note ?? null,
      },
      opts.nowMs,
    );
    if (occ) return occ;
  }
  throw new ShipclockError('E_TRIGGER_CONFLICT', `could not record a manual run of ${job.name}`);
}

export async function pauseJob(
  store: Store,
  job: JobConfig,
  opts: { nowMs: number; by: string; note?: string | null; untilMs?: number | null },
): Promise<JobRecord> {
  await jobRecord(store, job, opts.nowMs);
  const rec = await store.setPaused(job.name, { paused: true, note: opts.note ?? null, by: opts.by, untilMs: opts.untilMs ?? null, nowMs: opts.nowMs });
  await store.appendEvent({ atMs: opts.nowMs, job: job.name, type: 'paused', data: { by: opts.by, note: opts.note ?? null, untilMs: opts.untilMs ?? null } });
  return rec;
}

/**
 * Resume a job. The paused span is not caught up (DESIGN.md §6) unless `catchUp`: then the
 * latest time recorded `paused` runs once, standing for the whole span (coalesced).
 */
export async function resumeJob(
  store: Store,
  job: JobConfig,
  opts: { nowMs: number; by: string; catchUp?: boolean },
): Promise<{ job: JobRecord; caughtUp: Occurrence | null }> {
  const before = await jobRecord(store, job, opts.nowMs);
  const rec = await store.setPaused(job.name, { paused: false, nowMs: opts.nowMs });
  let caughtUp: Occurrence | null = null;
  if (opts.catchUp && before.paused) {
    const last = await store.latest(job.name, ['paused']);
    if (last && before.pausedAtMs !== null && last.nominalMs >= before.pausedAtMs) {
      const nominal = last.spanEndMs ?? last.nominalMs;
      caughtUp = await store.insertOccurrence(
        {
          job: job.name,
          nominalMs: nominal,
          kind: 'backfill',
          trigger: 'resume',
          state: 'pending',
          target: job.target,
          dueMs: opts.nowMs,
          requestedBy: opts.by,
          reason: `resume --catch-up: one run for the paused span since ${new Date(before.pausedAtMs).toISOString()}`,
        },
        opts.nowMs,
      );
    }
  }
  await store.appendEvent({ atMs: opts.nowMs, job: job.name, type: 'resumed', data: { by: opts.by, catchUp: opts.catchUp ?? false } });
  return { job: rec, caughtUp };
}

/** The nominal times of a backfill over [from, to), capped; `truncated` when there were more. */
export function backfillTimes(schedule: Schedule, fromMs: number, toMs: number, cap: number): { times: number[]; truncated: boolean } {
  const times: number[] = [];
  for (let t = schedule.nextMs(fromMs - 1); t !== null && t < toMs; t = schedule.nextMs(t)) {
    if (times.length === cap) return { times, truncated: true };
    times.push(t);
  }
  return { times, truncated: false };
}

/** Records backfill occurrences (kind `backfill`); existing ones for the same times are kept. */
export async function enqueueBackfill(
  store: Store,
  job: JobConfig,
  times: readonly number[],
  opts: { nowMs: number; by: string },
): Promise<Occurrence[]> {
  await jobRecord(store, job, opts.nowMs);
  const out: Occurrence[] = [];
  for (const t of times) {
    const occ = await store.insertOccurrence(
      {
        job: job.name,
        nominalMs: t,
        kind: 'backfill',
        trigger: 'backfill',
        state: 'pending',
        target: job.target,
        dueMs: opts.nowMs,
        requestedBy: opts.by,
      },
      opts.nowMs,
    );
    if (occ) out.push(occ);
  }
  return out;
}
