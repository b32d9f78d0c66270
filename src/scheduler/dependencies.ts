/**
 * `depends_on` (DESIGN.md §6): an occurrence of a job starts only once each job it depends on
 * has succeeded for the same nominal time (or, with a window, has a successful run whose
 * nominal time lies within that window before it). Judged from the ledger alone, so every
 * instance and every restart reaches the same answer.
 *
 * A dependency is `satisfied`, `pending` (it may still succeed: its run is pending or running,
 * or it has not reached that time yet) or `unsatisfied` (it failed, or never ran for that time).
 * `on_failure` says what an unsatisfied dependency does:
 * - `block`: the occurrence waits for a successful re-run of the dependency for the same time
 *   (e.g. `shipclock backfill build --from T --to T+1s --execute`) while within the job's
 *   catch-up window, then is recorded `blocked_dependency`, naming the failed run;
 * - `skip`: recorded `blocked_dependency` at once, the reason starting with "skipped:";
 * - `continue`: deploys anyway; the ledger event `dependency_ignored` names the failed run.
 */
import type { DependencyConfig, JobConfig } from '../config/types.js';
import { LIVE_STATES, type Occurrence, type Store } from '../store/types.js';

export type DependencyStatus =
  | { readonly status: 'satisfied'; readonly dependency: string; readonly run: Occurrence }
  | { readonly status: 'pending'; readonly dependency: string; readonly why: string }
  | { readonly status: 'unsatisfied'; readonly dependency: string; readonly why: string; readonly run: Occurrence | null };

const iso = (ms: number): string => new Date(ms).toISOString();

/** "run run-1 (scheduled, 2026-…) failed (unhealthy: …)" */
export function describeRun(o: Occurrence): string {
  const what = o.runId ? `run ${o.runId}` : `the ${o.kind} occurrence`;
  const why = o.errorClass || o.message ? ` (${[o.errorClass, o.message].filter(Boolean).join(': ')})` : o.reason ? ` (${o.reason})` : '';
  return `${what} for ${iso(o.nominalMs)} ${o.state === 'succeeded' ? 'succeeded' : `ended ${o.state}`}${why}`;
}

/**
 * How the job's occurrence `occ` stands with one dependency. `dependencyScheduled` tells
 * whether the dependency has a schedule (only then is there a run "for the same time").
 */
export async function dependencyStatus(store: Store, dep: DependencyConfig, occ: Occurrence, dependencyScheduled: boolean): Promise<DependencyStatus> {
  const T = occ.nominalMs;
  const sameTime = dep.windowMs === null && dependencyScheduled && occ.kind !== 'manual';
  // Same time: every row of the dependency at T (its scheduled time and any re-run of it by
  // backfill). Otherwise: its runs in [T - window, T] (any age without a window).
  const rows = sameTime
    ? await sameTimeRows(store, dep.job, T)
    : await store.listOccurrences({ job: dep.job, fromMs: dep.windowMs === null ? 0 : T - dep.windowMs, toMs: T + 1, order: 'desc', limit: 200 });
  const success = rows.find((o) => o.state === 'succeeded');
  if (success) return { status: 'satisfied', dependency: dep.job, run: success };
  const live = rows.find((o) => LIVE_STATES.includes(o.state));
  if (live) return { status: 'pending', dependency: dep.job, why: `waiting for ${dep.job}: its ${live.kind} occurrence for ${iso(live.nominalMs)} is ${live.state}` };
  const scope = sameTime ? `for ${iso(T)}` : dep.windowMs === null ? `at or before ${iso(T)}` : `within ${Math.round(dep.windowMs / 60_000)}m before ${iso(T)}`;
  const failed = rows.find((o) => o.startedMs !== null) ?? rows[0];
  if (failed) return { status: 'unsatisfied', dependency: dep.job, run: failed, why: `${dep.job} did not succeed ${scope}: ${describeRun(failed)}` };
  // Nothing recorded yet: the dependency may still reach T (its cursor is behind).
  // (A manual run is judged on what the dependency has done so far: it never waits on its cursor.)
  const rec = dependencyScheduled && occ.kind !== 'manual' ? await store.getJob(dep.job) : null;
  if (rec && rec.cursorMs < T) return { status: 'pending', dependency: dep.job, why: `waiting for ${dep.job} to reach ${iso(T)}` };
  const never = sameTime ? `${dep.job} has no occurrence ${scope} (its schedule does not fire then; give the dependency a window)` : `${dep.job} has no run ${scope}`;
  return { status: 'unsatisfied', dependency: dep.job, run: null, why: never };
}

async function sameTimeRows(store: Store, job: string, T: number): Promise<Occurrence[]> {
  const rows = await store.listOccurrences({ job, fromMs: T, toMs: T + 1, order: 'desc', limit: 20 });
  if (rows.length > 0) return rows;
  // A span row (e.g. a month of missed seconds) may stand for T.
  const covering = await store.findCovering(job, T);
  return covering ? [covering] : [];
}

export type DependencyVerdict =
  | { readonly action: 'open'; readonly ignored: readonly DependencyStatus[] }
  | { readonly action: 'wait'; readonly why: string }
  | { readonly action: 'block'; readonly reason: string; readonly detail: Readonly<Record<string, unknown>> };

/**
 * Applies `on_failure` to the job's dependencies. `mayWait` is false once the occurrence is
 * past its catch-up window: then a dependency still pending (or, under `block`, still failed)
 * settles it.
 */
export async function judgeDependencies(
  store: Store,
  job: JobConfig,
  occ: Occurrence,
  scheduled: (job: string) => boolean,
  mayWait: boolean,
  windowMs: number,
): Promise<DependencyVerdict> {
  const deps = job.dependsOn ?? [];
  if (deps.length === 0) return { action: 'open', ignored: [] };
  const policy = job.onFailure ?? 'block';
  const statuses = await Promise.all(deps.map((d) => dependencyStatus(store, d, occ, scheduled(d.job))));
  const unsatisfied = statuses.filter((s): s is Extract<DependencyStatus, { status: 'unsatisfied' }> => s.status === 'unsatisfied');
  const pending = statuses.filter((s): s is Extract<DependencyStatus, { status: 'pending' }> => s.status === 'pending');
  const detail = (s: (typeof unsatisfied)[number] | undefined) => ({
    on_failure: policy,
    dependency: s?.dependency ?? pending[0]?.dependency ?? null,
    dependency_run_id: s?.run?.runId ?? null,
    dependency_occurrence_id: s?.run?.id ?? null,
    dependency_state: s?.run?.state ?? null,
  });
  const first = unsatisfied[0];
  if (first && policy === 'skip') {
    return { action: 'block', reason: `skipped: ${first.why} (on_failure: skip)`, detail: detail(first) };
  }
  if (first && policy === 'block') {
    if (mayWait) return { action: 'wait', why: `${first.why}; on_failure: block waits for a successful re-run` };
    return { action: 'block', reason: `${first.why} (on_failure: block; no successful re-run within catch_up_window ${Math.round(windowMs / 60_000)}m)`, detail: detail(first) };
  }
  const waiting = pending[0];
  if (waiting) {
    if (mayWait) return { action: 'wait', why: waiting.why };
    return { action: 'block', reason: `${waiting.why}, past catch_up_window (${Math.round(windowMs / 60_000)}m)`, detail: detail(undefined) };
  }
  return { action: 'open', ignored: unsatisfied };
}
