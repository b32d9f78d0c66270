// The event log and named locks on PostgreSQL (same meaning as in sqlite-store.ts).
import { jsonParam } from './pg-json.js';
import type { Query } from './pg-session.js';
import { toEvent } from './rows.js';
import type { Store, StoreEvent } from './types.js';

export async function appendEvent(query: Query, e: Parameters<Store['appendEvent']>[0]): Promise<void> {
  await query('INSERT INTO events (at_ms, job, occurrence_id, type, data) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    e.atMs,
    e.job ?? null,
    e.occurrenceId ?? null,
    e.type,
    jsonParam(e.data),
  ]);
}

export async function listEvents(query: Query, f: NonNullable<Parameters<Store['listEvents']>[0]>): Promise<StoreEvent[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  if (f.job !== undefined) where.push(`job = ${p(f.job)}`);
  if (f.type !== undefined) where.push(`type = ${p(f.type)}`);
  if (f.fromMs !== undefined) where.push(`at_ms >= ${p(f.fromMs)}`);
  if (f.toMs !== undefined) where.push(`at_ms < ${p(f.toMs)}`);
  const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${p(f.limit ?? 1000)}`;
  return (await query(sql, params)).rows.map(toEvent);
}

export async function acquireLock(
  query: Query,
  name: string,
  owner: string,
  untilMs: number,
  nowMs: number,
  info?: Readonly<Record<string, unknown>>,
): Promise<boolean> {
  // One statement: the upsert locks the row and re-checks holder and expiry on its latest version,
  // so two instances racing for a free or expired lock cannot both get it.
  const r = await query(
    `INSERT INTO locks AS l (name, owner, until_ms, info) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until_ms = excluded.until_ms, info = excluded.info
     WHERE l.owner = excluded.owner OR l.until_ms < $5`,
    [name, owner, untilMs, jsonParam(info), nowMs],
  );
  return r.rowCount > 0;
}

export async function releaseLock(query: Query, name: string, owner: string): Promise<void> {
  await query('DELETE FROM locks WHERE name = $1 AND owner = $2', [name, owner]);
}

export async function lockHolder(query: Query, name: string): ReturnType<Store['lockHolder']> {
  const row = (await query('SELECT * FROM locks WHERE name = $1', [name])).rows[0];
  if (!row) return null;
  return { owner: String(row.owner), untilMs: Number(row.until_ms), info: (row.info as Record<string, unknown> | null) ?? null };
}
