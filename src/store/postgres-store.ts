import type { LiveSchema } from './live-schema.js';
import { claimInTransaction } from './pg-claim.js';
import { acquireLock, appendEvent, listEvents, lockHolder, releaseLock } from './pg-events-locks.js';
import { jsonParam } from './pg-json.js';
import { migratePostgres } from './pg-migrate.js';
import { INSERT_CHUNK, identityKey, insertOccurrences, occurrenceFilter } from './pg-occurrence-sql.js';
import { PgSession, type PgSessionOptions, type Query, type Row } from './pg-session.js';
import { redactedUrl } from './pg-url.js';
import { toAttempt, toJob, toOccurrence } from './rows.js';
import { StoreError } from './store-error.js';
import { refuseRepeatedJobs } from './advance-items.js';
import type {
  AdvanceItem,
  AdvanceResult,
  Attempt,
  ClaimRequest,
  ClaimResult,
  JobRecord,
  NewOccurrence,
  Occurrence,
  OccurrenceFilter,
  OccurrenceKind,
  OccurrenceState,
  SettleRequest,
  Store,
  StoreEvent,
} from './types.js';

/**
 * The shared ledger for several instances (DESIGN.md §7). Correctness never rests on a leader:
 * - advance() moves the job cursor with a compare-and-set (the UPDATE's row lock makes a second
 *   instance re-check the cursor after the first commits) and inserts in the same transaction;
 * - claim() locks the occurrence row (FOR UPDATE SKIP LOCKED), then takes transaction-scoped
 *   advisory locks on the job and the target, so two instances cannot both see "no other live run";
 * - every claim bumps the fence; heartbeat and settle with an old fence change nothing.
 * Errors leave as StoreError (`E_STORE_UNAVAILABLE` with `transient`, …). After a transient
 * error on a write, the write may or may not have landed: re-read before deciding.
 */
export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  // A #private field: neither JSON.stringify nor util.inspect shows it (the pool knows the password).
  readonly #s: PgSession;
  private closed = false;

  /** The connection URL without its password: safe to log and show. */
  readonly location: string;

  constructor(url: string, options: PgSessionOptions = {}) {
    this.location = redactedUrl(url);
    this.#s = new PgSession(url, options);
  }

  async migrate(): Promise<void> {
    await migratePostgres(this.#s.pool);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.#s.end();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The database's clock (epoch ms): the reference for "is it due" and for skew checks. */
  async databaseNowMs(): Promise<number> {
    const { rows } = await this.#s.query('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms');
    return Number(rows[0]?.now_ms);
  }

  /** Tables, columns and applied migrations of the current schema, for checkSchema(). */
  async describeSchema(): Promise<LiveSchema> {
    const cols = await this.#s.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    const tables: Record<string, string[]> = {};
    for (const r of cols.rows) (tables[String(r.table_name)] ??= []).push(String(r.column_name));
    const versions = tables.schema_migrations
      ? (await this.#s.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => Number(r.version))
      : [];
    return { tables, versions };
  }

  // ---- jobs ---------------------------------------------------------------------------------

  async syncJob(name: string, timingHash: string, nowMs: number): Promise<JobRecord> {
    // One statement: a new job starts its cursor now; a timing change applies from now.
    const { rows } = await this.#s.query(
      `INSERT INTO jobs AS j (name, timing_hash, cursor_ms, created_ms, updated_ms) VALUES ($1, $2, $3, $3, $3)
       ON CONFLICT (name) DO UPDATE SET timing_hash = excluded.timing_hash,
         cursor_ms = GREATEST(j.cursor_ms, excluded.cursor_ms), updated_ms = excluded.updated_ms
       WHERE j.timing_hash <> excluded.timing_hash
       RETURNING *`,
      [name, timingHash, nowMs],
    );
    if (rows[0]) return toJob(rows[0]);
    const job = await this.getJob(name);
    if (!job) throw new StoreError('E_STORE_UNKNOWN_JOB', `job ${name} vanished while it was being registered`);
    return job;
  }

  async getJob(name: string): Promise<JobRecord | null> {
    const { rows } = await this.#s.query('SELECT * FROM jobs WHERE name = $1', [name]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async getJobs(names: readonly string[]): Promise<JobRecord[]> {
    if (names.length === 0) return [];
    return (await this.#s.query('SELECT * FROM jobs WHERE name = ANY($1::text[])', [names])).rows.map(toJob);
  }

  async listJobs(): Promise<JobRecord[]> {
    return (await this.#s.query('SELECT * FROM jobs ORDER BY name')).rows.map(toJob);
  }

  async setPaused(
    name: string,
    p: { paused: boolean; note?: string | null; by?: string | null; untilMs?: number | null; nowMs: number },
  ): Promise<JobRecord> {
    const { rows } = p.paused
      ? await this.#s.query(
          `UPDATE jobs SET paused = true, paused_note = $1, paused_by = $2, paused_at_ms = $3, paused_until_ms = $4,
             updated_ms = $3 WHERE name = $5 RETURNING *`,
          [p.note ?? null, p.by ?? null, p.nowMs, p.untilMs ?? null, name],
        )
      : await this.#s.query(
          `UPDATE jobs SET paused = false, paused_note = NULL, paused_by = NULL, paused_at_ms = NULL,
             paused_until_ms = NULL, updated_ms = $1 WHERE name = $2 RETURNING *`,
          [p.nowMs, name],
        );
    if (!rows[0]) throw new StoreError('E_STORE_UNKNOWN_JOB', `no job ${name} in the store`);
    return toJob(rows[0]);
  }

  async deleteJob(name: string): Promise<boolean> {
    const r = await this.#s.query(
      `DELETE FROM jobs WHERE name = $1 AND NOT EXISTS (SELECT 1 FROM occurrences WHERE job = $1 AND state IN ('pending', 'running'))`,
      [name],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async setCursor(name: string, cursorMs: number, nowMs: number): Promise<void> {
    await this.#s.query('UPDATE jobs SET cursor_ms = $1, updated_ms = $2 WHERE name = $3', [cursorMs, nowMs, name]);
  }

  // ---- occurrences --------------------------------------------------------------------------

  private async insertMany(q: Query, occurrences: readonly NewOccurrence[], nowMs: number): Promise<Occurrence[]> {
    const inserted: Row[] = [];
    for (let i = 0; i < occurrences.length; i += INSERT_CHUNK) {
      const { sql, params } = insertOccurrences(occurrences.slice(i, i + INSERT_CHUNK), nowMs);
      inserted.push(...(await q(sql, params)).rows);
    }
    // RETURNING order is unspecified: hand rows back in the caller's order, as SQLite does.
    const position = new Map<string, number>();
    occurrences.forEach((o, i) => {
      const k = identityKey(o.kind, o.nominalMs);
      if (!position.has(k)) position.set(k, i);
    });
    const at = (r: Row) => position.get(identityKey(String(r.kind), Number(r.nominal_ms))) ?? 0;
    return inserted.sort((a, b) => at(a) - at(b)).map(toOccurrence);
  }

  async advance(
    job: string,
    expectCursorMs: number,
    newCursorMs: number,
    occurrences: readonly NewOccurrence[],
    nowMs: number,
  ): Promise<{ applied: boolean; inserted: Occurrence[] }> {
    return this.#s.tx('advance', async (q) => {
      // The row lock taken here makes a concurrent advance wait, then re-check cursor_ms.
      const moved = await q('UPDATE jobs SET cursor_ms = $1, updated_ms = $2 WHERE name = $3 AND cursor_ms = $4', [
        newCursorMs,
        nowMs,
        job,
        expectCursorMs,
      ]);
      if (moved.rowCount === 0) return { applied: false, inserted: [] };
      return { applied: true, inserted: await this.insertMany(q, occurrences, nowMs) };
    });
  }

  async advanceMany(items: readonly AdvanceItem[], nowMs: number): Promise<readonly AdvanceResult[]> {
    if (items.length === 0) return [];
    refuseRepeatedJobs(items);
    return this.#s.tx('advanceMany', async (q) => {
      // Lock the job rows in one order, so two instances never deadlock. A row another instance
      // holds is waited for, not skipped: its transaction is short, and a loser that skipped
      // would find its cursor unknown and re-plan at once, in a loop, until the winner committed.
      const names = items.map((i) => i.job);
      const locked = new Map(
        (await q('SELECT name, cursor_ms FROM jobs WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE', [names])).rows.map(
          (r) => [String(r.name), Number(r.cursor_ms)],
        ),
      );
      const applies = items.map((i) => locked.get(i.job) === i.expectCursorMs);
      const moving = items.filter((_, n) => applies[n]);
      if (moving.length === 0) return items.map(() => ({ applied: false, inserted: [] }));
      await q('UPDATE jobs SET cursor_ms = v.c, updated_ms = $3 FROM unnest($1::text[], $2::bigint[]) AS v(name, c) WHERE jobs.name = v.name', [
        moving.map((i) => i.job),
        moving.map((i) => i.newCursorMs),
        nowMs,
      ]);
      const rows = await this.insertMany(q, moving.flatMap((i) => i.occurrences), nowMs);
      // Each job's inserted rows in the order its item listed them, as advance() returns them.
      const order = new Map<string, number>();
      for (const i of moving) i.occurrences.forEach((o, k) => order.set(`${i.job}\u0000${identityKey(o.kind, o.nominalMs)}`, k));
      const rank = (o: Occurrence): number => order.get(`${o.job}\u0000${identityKey(o.kind, o.nominalMs)}`) ?? 0;
      const byJob = new Map<string, Occurrence[]>();
      for (const o of rows) {
        const list = byJob.get(o.job);
        if (list) list.push(o);
        else byJob.set(o.job, [o]);
      }
      for (const list of byJob.values()) list.sort((a, b) => rank(a) - rank(b));
      return items.map((i, n) => (applies[n] ? { applied: true, inserted: byJob.get(i.job) ?? [] } : { applied: false, inserted: [] }));
    });
  }

  async insertOccurrence(o: NewOccurrence, nowMs: number): Promise<Occurrence | null> {
    const [row] = await this.insertMany(this.#s.query, [o], nowMs);
    return row ?? null;
  }

  async claim(req: ClaimRequest): Promise<ClaimResult> {
    return this.#s.tx('claim', (q) => claimInTransaction(q, req));
  }

  async heartbeat(occurrenceId: string, fence: number, leaseUntilMs: number): Promise<boolean> {
    const r = await this.#s.query(
      `UPDATE occurrences SET lease_until_ms = $1 WHERE id = $2 AND fence = $3 AND state = 'running'`,
      [leaseUntilMs, occurrenceId, fence],
    );
    return r.rowCount > 0;
  }

  async settle(occurrenceId: string, req: SettleRequest): Promise<boolean> {
    const params: unknown[] = [
      req.state,
      req.reason ?? null,
      req.nowMs,
      req.errorClass ?? null,
      req.message ?? null,
      jsonParam(req.detail),
      occurrenceId,
      [...(req.from ?? ['pending'])],
    ];
    let sql = `UPDATE occurrences SET state = $1, reason = COALESCE($2, reason), ended_ms = $3, lease_until_ms = NULL,
        error_class = COALESCE($4, error_class), message = COALESCE($5, message), detail = COALESCE($6::jsonb, detail)
      WHERE id = $7 AND state = ANY($8::text[])`;
    if (req.fence !== undefined) {
      params.push(req.fence);
      sql += ' AND fence = $9';
    }
    return (await this.#s.query(sql, params)).rowCount > 0;
  }

  // ---- attempts -----------------------------------------------------------------------------

  async beginAttempt(
    occurrenceId: string,
    a: { number: number; fence: number; owner: string | null; startedMs: number; logPath: string | null },
  ): Promise<void> {
    await this.#s.tx('beginAttempt', async (q) => {
      await q(
        `INSERT INTO attempts (occurrence_id, number, fence, owner, started_ms, log_path) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (occurrence_id, number) DO NOTHING`,
        [occurrenceId, a.number, a.fence, a.owner, a.startedMs, a.logPath],
      );
      await q('UPDATE occurrences SET attempts = GREATEST(attempts, $1) WHERE id = $2', [a.number, occurrenceId]);
    });
  }

  async recordHandle(occurrenceId: string, number: number, handle: { id: string; details?: Readonly<Record<string, unknown>> }): Promise<void> {
    await this.#s.query('UPDATE attempts SET handle_id = $1, handle = $2::jsonb WHERE occurrence_id = $3 AND number = $4', [
      handle.id,
      jsonParam(handle),
      occurrenceId,
      number,
    ]);
  }

  async endAttempt(
    occurrenceId: string,
    number: number,
    end: { endedMs: number; outcome: string; errorClass: string | null; message: string | null },
  ): Promise<void> {
    await this.#s.query(
      `UPDATE attempts SET ended_ms = $1, outcome = $2, error_class = $3, message = $4
       WHERE occurrence_id = $5 AND number = $6 AND outcome IS NULL`,
      [end.endedMs, end.outcome, end.errorClass, end.message, occurrenceId, number],
    );
  }

  // ---- queries ------------------------------------------------------------------------------

  private async one(sql: string, params: readonly unknown[]): Promise<Occurrence | null> {
    const row = (await this.#s.query(sql, params)).rows[0];
    return row ? toOccurrence(row) : null;
  }

  private async many(sql: string, params: readonly unknown[] = []): Promise<Occurrence[]> {
    return (await this.#s.query(sql, params)).rows.map(toOccurrence);
  }

  getOccurrence(id: string): Promise<Occurrence | null> {
    return this.one('SELECT * FROM occurrences WHERE id = $1', [id]);
  }

  findOccurrence(job: string, nominalMs: number, kind: OccurrenceKind = 'scheduled'): Promise<Occurrence | null> {
    return this.one('SELECT * FROM occurrences WHERE job = $1 AND kind = $2 AND nominal_ms = $3', [job, kind, nominalMs]);
  }

  async findCovering(job: string, atMs: number): Promise<Occurrence | null> {
    const exact = await this.one(
      `SELECT * FROM occurrences WHERE job = $1 AND nominal_ms = $2 ORDER BY (kind = 'scheduled') DESC LIMIT 1`,
      [job, atMs],
    );
    if (exact) return exact;
    return this.one(
      `SELECT * FROM occurrences WHERE job = $1 AND span_end_ms IS NOT NULL AND nominal_ms <= $2 AND span_end_ms >= $2
       ORDER BY nominal_ms DESC LIMIT 1`,
      [job, atMs],
    );
  }

  listOccurrences(f: OccurrenceFilter = {}): Promise<Occurrence[]> {
    const { sql, params } = occurrenceFilter(f);
    return this.many(sql, params);
  }

  async listAttempts(occurrenceId: string): Promise<Attempt[]> {
    return (await this.#s.query('SELECT * FROM attempts WHERE occurrence_id = $1 ORDER BY number', [occurrenceId])).rows.map(toAttempt);
  }

  duePending(nowMs: number, limit = 1000): Promise<Occurrence[]> {
    return this.many(`SELECT * FROM occurrences WHERE state = 'pending' AND due_ms <= $1 ORDER BY due_ms, nominal_ms LIMIT $2`, [
      nowMs,
      limit,
    ]);
  }

  async nextPendingDue(): Promise<number | null> {
    const row = (await this.#s.query(`SELECT MIN(due_ms) AS d FROM occurrences WHERE state = 'pending'`)).rows[0];
    return row?.d === null || row?.d === undefined ? null : Number(row.d);
  }

  live(job?: string): Promise<Occurrence[]> {
    return job === undefined
      ? this.many(`SELECT * FROM occurrences WHERE state IN ('pending', 'running') ORDER BY due_ms`)
      : this.many(`SELECT * FROM occurrences WHERE job = $1 AND state IN ('pending', 'running') ORDER BY due_ms`, [job]);
  }

  async liveOf(jobs: readonly string[]): Promise<Occurrence[]> {
    if (jobs.length === 0) return [];
    return this.many(`SELECT * FROM occurrences WHERE job = ANY($1::text[]) AND state IN ('pending', 'running') ORDER BY due_ms`, [jobs]);
  }

  expiredRunning(nowMs: number): Promise<Occurrence[]> {
    return this.many(`SELECT * FROM occurrences WHERE state = 'running' AND (lease_until_ms IS NULL OR lease_until_ms < $1)`, [nowMs]);
  }

  latest(job: string, states?: readonly OccurrenceState[]): Promise<Occurrence | null> {
    return states && states.length
      ? this.one(
          `SELECT * FROM occurrences WHERE job = $1 AND state = ANY($2::text[]) ORDER BY nominal_ms DESC, created_ms DESC LIMIT 1`,
          [job, [...states]],
        )
      : this.one(`SELECT * FROM occurrences WHERE job = $1 ORDER BY nominal_ms DESC, created_ms DESC LIMIT 1`, [job]);
  }

  // ---- events and locks ---------------------------------------------------------------------

  appendEvent(e: Parameters<Store['appendEvent']>[0]): Promise<void> {
    return appendEvent(this.#s.query, e);
  }

  listEvents(f: Parameters<Store['listEvents']>[0] = {}): Promise<StoreEvent[]> {
    return listEvents(this.#s.query, f);
  }

  acquireLock(name: string, owner: string, untilMs: number, nowMs: number, info?: Readonly<Record<string, unknown>>): Promise<boolean> {
    return acquireLock(this.#s.query, name, owner, untilMs, nowMs, info);
  }

  releaseLock(name: string, owner: string): Promise<void> {
    return releaseLock(this.#s.query, name, owner);
  }

  lockHolder(name: string): ReturnType<Store['lockHolder']> {
    return lockHolder(this.#s.query, name);
  }
}
