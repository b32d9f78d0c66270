import type { Schedule } from '../calendar/types.js';
import type { JobConfig } from '../config/types.js';
import type { NewOccurrence, OccurrenceState } from '../store/types.js';
import { jitterFor } from './jitter.js';

/** A late start within this of its due time counts as on time, not as a catch-up. */
export const ON_TIME_TOLERANCE_MS = 60_000;
/** Above this many never-started times in one stretch, the ledger records one span row. */
export const MAX_INDIVIDUAL_ROWS = 1_000;

export interface PlanInput {
  readonly job: JobConfig;
  readonly schedule: Schedule;
  /** Every nominal time ≤ cursor is already decided. */
  readonly cursorMs: number;
  readonly nowMs: number;
  /** When set, every time that comes due is recorded `paused` with this reason. */
  readonly pausedReason: string | null;
  /**
   * For wall-clock jobs with `dst.gap: skip`: the same schedule with `gap: shift`. Its fires that
   * the real schedule lacks are the local times a DST gap swallowed; they are recorded
   * `skipped_dst_gap` so the ledger accounts for that day too.
   */
  readonly gapShadow?: Schedule | null;
}

export interface Plan {
  readonly newCursorMs: number;
  readonly occurrences: readonly NewOccurrence[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Decides what happens to every nominal time in (cursor, now]: pure, so every instance and
 * every restart makes the same decisions. Work is bounded by the catch-up cap and
 * MAX_INDIVIDUAL_ROWS, never by how long the scheduler was down.
 */
export function planOccurrences(input: PlanInput): Plan {
  const { job, schedule, cursorMs, nowMs } = input;
  if (nowMs <= cursorMs) return { newCursorMs: cursorMs, occurrences: [] };
  const due = (t: number): number => t + jitterFor(job.name, t, job.jitterMs);

  // Horizon: the latest nominal time such that it and everything before it is due now.
  // Only times within the jitter span before now can still be waiting for their jitter.
  let horizon = nowMs;
  if (job.jitterMs > 0) {
    for (let t = schedule.prevMs(nowMs + 1); t !== null && t > cursorMs && t > nowMs - job.jitterMs; t = schedule.prevMs(t)) {
      if (due(t) > nowMs) horizon = t - 1;
    }
  }
  if (horizon <= cursorMs) return { newCursorMs: cursorMs, occurrences: [] };
  const base = { job: job.name, kind: 'scheduled' as const, target: job.target };
  const gaps = input.gapShadow && input.pausedReason === null ? gapSkips(input.gapShadow, schedule, cursorMs, horizon, base) : [];
  const latest = schedule.prevMs(horizon + 1);
  if (latest === null || latest <= cursorMs) return { newCursorMs: horizon, occurrences: gaps };

  if (input.pausedReason !== null) {
    return { newCursorMs: horizon, occurrences: neverStarted(schedule, cursorMs, horizon, 'paused', input.pausedReason, base, due) };
  }

  // Times to run, newest first: the latest (mode latest/none) or up to `max` within the window (all).
  const { mode, windowMs, max } = job.catchUp;
  const lateness = (t: number): number => nowMs - due(t);
  const runs: number[] = [];
  if (lateness(latest) <= ON_TIME_TOLERANCE_MS || (mode !== 'none' && lateness(latest) <= windowMs)) runs.push(latest);
  if (mode === 'all' && runs.length > 0) {
    for (let t = schedule.prevMs(latest); t !== null && t > cursorMs && runs.length < max && lateness(t) <= windowMs; t = schedule.prevMs(t)) {
      runs.push(t);
    }
  }
  runs.reverse();

  const occurrences: NewOccurrence[] = [];
  const firstRun = runs[0];
  const restEnd = firstRun === undefined ? horizon : firstRun - 1;
  if (restEnd > cursorMs) {
    const coalesce = mode === 'latest' && firstRun !== undefined;
    const state: OccurrenceState = coalesce ? 'coalesced' : 'missed';
    const reason = coalesce
      ? `coalesced into the run for ${iso(firstRun)} (catch_up: latest)`
      : missedReason(job, cursorMs, nowMs);
    occurrences.push(...neverStarted(schedule, cursorMs, restEnd, state, reason, base, due));
  }
  occurrences.push(...gaps);
  for (const t of runs) {
    const late = lateness(t) > ON_TIME_TOLERANCE_MS;
    occurrences.push({
      ...base,
      nominalMs: t,
      trigger: late ? 'catch_up' : 'on_time',
      state: 'pending',
      // Catch-up runs keep their jitter, counted from now: after an outage, many jobs restart
      // spread over the jitter span instead of all at once (systemd#39739).
      dueMs: late && job.jitterMs > 0 ? nowMs + jitterFor(job.name, t, job.jitterMs) : due(t),
      reason: late ? `caught up ${Math.round(lateness(t) / 1000)}s late after downtime` : null,
    });
  }
  return { newCursorMs: horizon, occurrences };
}

function gapSkips(
  shadow: Schedule,
  schedule: Schedule,
  fromExcl: number,
  toIncl: number,
  base: { job: string; kind: 'scheduled'; target: string },
): NewOccurrence[] {
  const rows: NewOccurrence[] = [];
  for (let t = shadow.nextMs(fromExcl), n = 0; t !== null && t <= toIncl && n < MAX_INDIVIDUAL_ROWS; t = shadow.nextMs(t), n++) {
    if (schedule.prevMs(t + 1) === t) continue;
    rows.push({
      ...base,
      nominalMs: t,
      trigger: 'on_time',
      state: 'skipped_dst_gap',
      dueMs: t,
      reason: `this local time did not exist (DST gap in ${schedule.timezone}) and dst.gap is skip`,
    });
  }
  return rows;
}

/** Exact count of fire times in (fromExcl, toIncl] for a calendar, or null past a bound (kept cheap). */
function countFires(schedule: Schedule, fromExcl: number, toIncl: number, bound = 200_000): number | null {
  let n = 0;
  for (let t = schedule.nextMs(fromExcl); t !== null && t <= toIncl; t = schedule.nextMs(t)) if (++n > bound) return null;
  return n;
}

function missedReason(job: JobConfig, cursorMs: number, nowMs: number): string {
  const { mode, windowMs } = job.catchUp;
  const down = `the scheduler was not running from ${iso(cursorMs)} to ${iso(nowMs)}`;
  if (mode === 'none') return `${down} (catch_up: none)`;
  return `${down}, and this time is older than catch_up_window (${Math.round(windowMs / 1000)}s)`;
}

/** Rows for never-started times in (fromExcl, toIncl]: one each, or one span when there are too many. */
function neverStarted(
  schedule: Schedule,
  fromExcl: number,
  toIncl: number,
  state: OccurrenceState,
  reason: string,
  base: { job: string; kind: 'scheduled'; target: string },
  due: (t: number) => number,
): NewOccurrence[] {
  const rows: NewOccurrence[] = [];
  for (let t = schedule.nextMs(fromExcl); t !== null && t <= toIncl; t = schedule.nextMs(t)) {
    if (rows.length === MAX_INDIVIDUAL_ROWS) {
      const first = rows[0]!.nominalMs;
      const last = schedule.prevMs(toIncl + 1) ?? toIncl;
      const count = schedule.intervalMs ? Math.floor((last - first) / schedule.intervalMs) + 1 : countFires(schedule, fromExcl, toIncl);
      return [{ ...base, nominalMs: first, trigger: 'on_time', state, reason, dueMs: first, spanEndMs: last, spanCount: count }];
    }
    rows.push({ ...base, nominalMs: t, trigger: 'on_time', state, reason, dueMs: due(t) });
  }
  return rows;
}
