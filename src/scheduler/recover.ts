import type { Schedule } from '../calendar/types.js';
import type { JobConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import type { Clock } from './clock.js';
import type { SchedulerEmitter } from './events.js';
import { ON_TIME_TOLERANCE_MS } from './plan-occurrences.js';

export interface RecoverDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: SchedulerEmitter;
  readonly jobs: ReadonlyMap<string, { readonly job: JobConfig; readonly schedule: Schedule | null }>;
  /** True when this process holds the single-node lock: every running row is then an orphan. */
  readonly exclusive: boolean;
}

/**
 * At start: settle what a dead process left behind. A run whose runner died is recorded
 * `interrupted` (its open attempt `abandoned`) and is not started again: deploys are not
 * assumed idempotent. Scheduled occurrences still pending from before the stop are caught up
 * only while within their catch-up window, like any other late time.
 */
export async function recoverOrphans(deps: RecoverDeps): Promise<void> {
  const { store, clock, events } = deps;
  const now = clock.now();
  const orphans = deps.exclusive
    ? (await store.live()).filter((o) => o.state === 'running')
    : await store.expiredRunning(now);
  for (const occ of orphans) {
    for (const a of await store.listAttempts(occ.id)) {
      if (a.outcome === null) {
        await store.endAttempt(occ.id, a.number, {
          endedMs: now,
          outcome: 'abandoned',
          errorClass: null,
          message: 'the runner stopped before recording an outcome',
        });
      }
    }
    const ok = await store.settle(occ.id, {
      state: 'interrupted',
      from: ['running'],
      fence: occ.fence,
      nowMs: now,
      reason: `the scheduler (${occ.owner ?? 'unknown'}) stopped during this run without recording its outcome; not re-run automatically`,
    });
    if (ok) {
      const settled = await store.getOccurrence(occ.id);
      if (settled) events.emit('occurrence:settled', { occurrence: settled });
    }
  }

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
