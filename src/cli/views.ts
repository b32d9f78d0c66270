import type { Attempt, Occurrence } from '../store/types.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The `history --json` shape (a stable output contract; add fields, never rename). */
export function occurrenceJson(o: Occurrence, attempts: readonly Attempt[]) {
  return {
    job: o.job,
    nominal_time: iso(o.nominalMs),
    kind: o.kind,
    trigger: o.trigger,
    state: o.state,
    reason: o.reason,
    id: o.id,
    run_id: o.runId,
    target: o.target,
    due_time: iso(o.dueMs),
    started_at: iso(o.startedMs),
    ended_at: iso(o.endedMs),
    late_ms: o.startedMs === null ? null : Math.max(0, o.startedMs - o.dueMs),
    fence: o.fence,
    requested_by: o.requestedBy,
    span: o.spanEndMs === null ? null : { last_nominal_time: iso(o.spanEndMs), count: o.spanCount },
    error_class: o.errorClass,
    message: o.message,
    // Runs in waves: each region's outcome and attempt numbers (scheduler/waves.ts).
    regions: Array.isArray(o.detail?.['regions']) ? o.detail['regions'] : null,
    // What decided a never-started state (window, dependency run) or the run's handle.
    detail: o.detail,
    attempts: attempts.map((a) => ({
      number: a.number,
      started_at: iso(a.startedMs),
      ended_at: iso(a.endedMs),
      outcome: a.outcome,
      error_class: a.errorClass,
      message: a.message,
      handle: a.handleId,
      log: a.logPath,
    })),
  };
}
