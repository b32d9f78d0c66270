// Row <-> record mapping shared by both backends (column names are the same in both schemas).
import type { Attempt, JobRecord, Occurrence, StoreEvent } from './types.js';

type Row = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function json(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return v as Record<string, unknown>;
  return JSON.parse(String(v)) as Record<string, unknown>;
}

export function toJob(r: Row): JobRecord {
  return {
    name: String(r.name),
    timingHash: String(r.timing_hash),
    cursorMs: num(r.cursor_ms),
    paused: Boolean(r.paused),
    pausedNote: strOrNull(r.paused_note),
    pausedBy: strOrNull(r.paused_by),
    pausedAtMs: numOrNull(r.paused_at_ms),
    pausedUntilMs: numOrNull(r.paused_until_ms),
    createdMs: num(r.created_ms),
    updatedMs: num(r.updated_ms),
  };
}

export function toOccurrence(r: Row): Occurrence {
  return {
    id: String(r.id),
    job: String(r.job),
    nominalMs: num(r.nominal_ms),
    kind: r.kind as Occurrence['kind'],
    trigger: r.trigger as Occurrence['trigger'],
    state: r.state as Occurrence['state'],
    reason: strOrNull(r.reason),
    target: String(r.target),
    dueMs: num(r.due_ms),
    spanEndMs: numOrNull(r.span_end_ms),
    spanCount: numOrNull(r.span_count),
    createdMs: num(r.created_ms),
    startedMs: numOrNull(r.started_ms),
    endedMs: numOrNull(r.ended_ms),
    runId: strOrNull(r.run_id),
    fence: num(r.fence),
    owner: strOrNull(r.owner),
    leaseUntilMs: numOrNull(r.lease_until_ms),
    attempts: num(r.attempts),
    errorClass: strOrNull(r.error_class),
    message: strOrNull(r.message),
    requestedBy: strOrNull(r.requested_by),
    force: Boolean(r.force),
    detail: json(r.detail),
  };
}

export function toAttempt(r: Row): Attempt {
  return {
    occurrenceId: String(r.occurrence_id),
    number: num(r.number),
    fence: num(r.fence),
    owner: strOrNull(r.owner),
    startedMs: num(r.started_ms),
    endedMs: numOrNull(r.ended_ms),
    outcome: strOrNull(r.outcome),
    errorClass: strOrNull(r.error_class),
    message: strOrNull(r.message),
    handleId: strOrNull(r.handle_id),
    handle: json(r.handle),
    logPath: strOrNull(r.log_path),
  };
}

export function toEvent(r: Row): StoreEvent {
  return {
    id: num(r.id),
    atMs: num(r.at_ms),
    job: strOrNull(r.job),
    occurrenceId: strOrNull(r.occurrence_id),
    type: String(r.type),
    data: json(r.data),
  };
}
