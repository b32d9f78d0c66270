/**
 * The checks a due occurrence passes before overlap and the target lock: its deploy windows,
 * then its dependencies. Either may hold it (it stays pending) while it is within the job's
 * catch-up window, measured from its due time, or settle it with a reason: `blocked_window`
 * naming the window that decided, `blocked_dependency` naming the dependency's run.
 * `--force` skips both (decideStart never calls in for forced runs).
 */
import type { JobConfig } from '../config/types.js';
import type { Occurrence, OccurrenceState, Store } from '../store/types.js';
import type { Clock } from './clock.js';
import { judgeDependencies } from './dependencies.js';
import type { SchedulerEmitter } from './events.js';
import { windowsOf } from './windows.js';

export interface GateDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: SchedulerEmitter;
  /** Whether a job has a schedule (a same-time dependency needs one); default: yes. */
  readonly isScheduled?: (job: string) => boolean;
}

export type GateDecision =
  | { readonly action: 'open' }
  /** Hold it; look again at `untilMs` at the latest (sooner when something finishes). */
  | { readonly action: 'wait'; readonly untilMs: number }
  | { readonly action: 'settled' };

const iso = (ms: number): string => new Date(ms).toISOString();
const minutes = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`);

export async function checkGates(deps: GateDeps, job: JobConfig, occ: Occurrence): Promise<GateDecision> {
  const now = deps.clock.now();
  const windowMs = job.catchUp.windowMs;
  const deadline = occ.dueMs + windowMs;

  const windows = windowsOf(job);
  if (windows && !windows.allowed(now)) {
    const ex = windows.explain(now);
    if (ex.nextAllowedMs !== null && ex.nextAllowedMs <= deadline) return { action: 'wait', untilMs: ex.nextAllowedMs };
    const next = ex.nextAllowedMs === null ? 'no allowed moment within 400 days' : `the next allowed moment, ${iso(ex.nextAllowedMs)}, is`;
    const reason = `deploy window: ${ex.reason}; ${next} past catch_up_window (${minutes(windowMs)}) from its due time ${iso(occ.dueMs)}`;
    await settle(deps, occ, 'blocked_window', reason, {
      window: ex.decidedBy?.label ?? null,
      window_kind: ex.decidedBy?.window.kind ?? null,
      next_allowed: ex.nextAllowedMs === null ? null : iso(ex.nextAllowedMs),
    });
    return { action: 'settled' };
  }
  if (windows && occ.kind === 'scheduled' && !windows.allowed(occ.dueMs)) {
    // Held by a window that has now opened: if a newer time of the job is due as well, that one
    // runs and this one gives way (one deploy when the window opens, as catch_up: latest).
    const newer = (await deps.store.live(job.name)).find((o) => o.state === 'pending' && o.kind === 'scheduled' && o.nominalMs > occ.nominalMs && o.dueMs <= now);
    if (newer) {
      const reason = `deploy window: held until ${iso(now)} (${windows.explain(occ.dueMs).reason}); superseded by the occurrence for ${iso(newer.nominalMs)}, due as the window opened`;
      await settle(deps, occ, 'superseded', reason, { window: windows.explain(occ.dueMs).decidedBy?.label ?? null });
      return { action: 'settled' };
    }
  }

  const verdict = await judgeDependencies(deps.store, job, occ, deps.isScheduled ?? (() => true), now <= deadline, windowMs);
  switch (verdict.action) {
    case 'wait':
      return { action: 'wait', untilMs: deadline + 1 };
    case 'block':
      await settle(deps, occ, 'blocked_dependency', verdict.reason, verdict.detail);
      return { action: 'settled' };
    case 'open':
      for (const s of verdict.ignored) {
        if (s.status !== 'unsatisfied') continue;
        await deps.store.appendEvent({
          atMs: now,
          job: job.name,
          occurrenceId: occ.id,
          type: 'dependency_ignored',
          data: { dependency: s.dependency, why: s.why, dependency_run_id: s.run?.runId ?? null, on_failure: 'continue' },
        });
      }
      return { action: 'open' };
  }
}

async function settle(deps: GateDeps, occ: Occurrence, state: OccurrenceState, reason: string, detail: Readonly<Record<string, unknown>>): Promise<void> {
  const ok = await deps.store.settle(occ.id, { state, reason, detail, nowMs: deps.clock.now() });
  if (!ok) return;
  const settled = await deps.store.getOccurrence(occ.id);
  if (settled) deps.events.emit('occurrence:settled', { occurrence: settled });
}
