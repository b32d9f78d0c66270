// SQL pieces for the occurrences table on PostgreSQL, kept apart so the store reads as behaviour.
import { randomUUID } from 'node:crypto';
import { jsonParam } from './pg-json.js';
import type { NewOccurrence, OccurrenceFilter } from './types.js';

const COLUMNS = [
  'id', 'job', 'nominal_ms', 'kind', 'trigger', 'state', 'reason', 'target', 'due_ms', 'span_end_ms',
  'span_count', 'created_ms', 'ended_ms', 'requested_by', 'force', 'detail',
] as const;

/** Rows per INSERT: keeps a statement well under PostgreSQL's 65 535 parameters. */
export const INSERT_CHUNK = 1000;

export function identityKey(kind: string, nominalMs: number): string {
  return `${kind}\u0000${nominalMs}`;
}

function values(o: NewOccurrence, nowMs: number): unknown[] {
  const terminal = o.state !== 'pending' && o.state !== 'running';
  return [
    randomUUID(), o.job, o.nominalMs, o.kind, o.trigger, o.state, o.reason ?? null, o.target, o.dueMs,
    o.spanEndMs ?? null, o.spanCount ?? null, nowMs, terminal ? nowMs : null, o.requestedBy ?? null,
    o.force === true, jsonParam(o.detail),
  ];
}

/** One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING *: existing (job, kind, nominal) rows stay. */
export function insertOccurrences(rows: readonly NewOccurrence[], nowMs: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((o) => {
    const v = values(o, nowMs);
    const base = params.length;
    params.push(...v);
    return `(${v.map((_, i) => `$${base + i + 1}${COLUMNS[i] === 'detail' ? '::jsonb' : ''}`).join(', ')})`;
  });
  const sql = `INSERT INTO occurrences (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
    ON CONFLICT (job, kind, nominal_ms) DO NOTHING RETURNING *`;
  return { sql, params };
}

/** WHERE … ORDER BY … LIMIT for listOccurrences, same meaning as the SQLite store. */
export function occurrenceFilter(f: OccurrenceFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  if (f.job !== undefined) where.push(`job = ${p(f.job)}`);
  if (f.states && f.states.length > 0) where.push(`state = ANY(${p([...f.states])}::text[])`);
  if (f.kinds && f.kinds.length > 0) where.push(`kind = ANY(${p([...f.kinds])}::text[])`);
  if (f.fromMs !== undefined) where.push(`nominal_ms >= ${p(f.fromMs)}`);
  if (f.toMs !== undefined) where.push(`nominal_ms < ${p(f.toMs)}`);
  const order = f.order === 'asc' ? 'ASC' : 'DESC';
  const sql = `SELECT * FROM occurrences ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY nominal_ms ${order}, created_ms ${order} LIMIT ${p(f.limit ?? 1000)}`;
  return { sql, params };
}
