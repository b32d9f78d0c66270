import type { Schedule } from '../calendar/types.js';
import type { JobConfig } from '../config/types.js';
import type { Occurrence, Store } from '../store/types.js';
import type { Clock } from './clock.js';
import type { SchedulerEmitter } from './events.js';
import { ON_TIME_TOLERANCE_MS } from './plan-occurrences.js';

export interface RecoverDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: SchedulerEmitter;
  readonly jobs: ReadonlyMap<string, { readonly job: JobConfig; readonly schedule: Schedule | null }>;
}

/**
 * Settles runs whose runner is gone: at start (with the single-node lock held every running row
 * is such a run) and on every tick (a running row whose lease expired lost its instance).
 * The open attempt is recorded `abandoned`. A job marked `idempotent: true` is taken over: the
 * occurrence goes back to pending and the next claim runs it as a new attempt with a higher
 * fence. Any other job is recorded `interrupted` and not re-run: a deploy is not assumed safe
 * to repeat.
 */
export async function sweepOrphans(deps: RecoverDeps, orphans: readonly Occurrence[]): Promise<void> {
  const { store, clock, events } = deps;
  const now = clock.now();
  for (const occ of orphans) {
    for (const a of await store.listAttempts(occ.id)) {
      if (a.outcome === null) {
        await store.endAttempt(occ.id, a.number, {
          endedMs: now,
          outcome: 'abandoned',
          errorClass: null,
          message: `the runner (${occ.owner ?? 'unknown'}) stopped before recording an outcome`,
        });
      }
    }
    const idempotent = deps.jobs.get(occ.job)?.job.extra?.idempotent === true;
    const detectMs = occ.leaseUntilMs === null ? 0 : Math.max(0, now - occ.leaseUntilMs);
    const ok = await store.settle(occ.id, {
      state: idempotent ? 'pending' : 'interrupted',
      from: ['running'],
      fence: occ.fence,
      nowMs: now,
      reason: idempotent
        ? `taken over: the runner ${occ.owner ?? 'unknown'} (fence ${occ.fence}) stopped; running again as a new attempt (idempotent: true)`
        : `the scheduler (${occ.owner ?? 'unknown'}) stopped during this run without recording its outcome; not re-run automatically (the job is not marked idempotent)`,
    });
    if (!ok) continue; // another instance settled it first
    await store.appendEvent({ atMs: now, job: occ.job, occurrenceId: occ.id, type: 'takeover', data: { owner: occ.owner, fence: occ.fence, idempotent, detectMs } });
    const settled = await store.getOccurrence(occ.id);
    if (settled && !idempotent) events.emit('occurrence:settled', { occurrence: settled });
    events.emit('warning', {
      code: idempotent ? 'W_TAKEOVER' : 'W_ABANDONED',
      message: `${occ.job} run ${occ.runId ?? occ.id} lost its runner ${occ.owner ?? ''}; ${idempotent ? 'taking it over' : 'recorded interrupted'}`,
      job: occ.job,
    });
  }
}

/** At start: the orphans, then scheduled times left pending past their catch-up window. */
export async function recoverOrphans(deps: RecoverDeps & { readonly exclusive: boolean }): Promise<void> {
  const { store, clock, events } = deps;
  const now = clock.now();
  const orphans = deps.exclusive ? (await store.live()).filter((o) => o.state === 'running') : await store.expiredRunning(now);
  await sweepOrphans(deps, orphans);

  for (const occ of await store.live()) {
    if (occ.state !== 'pending' || occ.kind !== 'scheduled') continue;
    const entry = deps.jobs.get(occ.job);
    if (!entry) continue;
    const late = now - occ.dueMs;
    const window = entry.job.catchUp.mode === 'none' ? ON_TIME_TOLERANCE_MS : entry.job.catchUp.windowMs;
    if (late <= window) continue;
    const ok = await store.settle(occ.id, {
      state: 'missed',
      nowMs: now,
      reason: `still waiting when the scheduler stopped; ${Math.round(late / 1000)}s late at restart, beyond catch_up_window`,
    });
    if (ok) {
      const settled = await store.getOccurrence(occ.id);
      if (settled) events.emit('occurrence:settled', { occurrence: settled });
    }
  }
}
