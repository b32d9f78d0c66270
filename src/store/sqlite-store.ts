import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { LiveSchema } from './live-schema.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';
import { toAttempt, toEvent, toJob, toOccurrence } from './rows.js';
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

type Row = Record<string, unknown>;

/**
 * The store in this thread whose group transaction is open. Two stores on one file in one
 * thread (a CLI command run in-process next to a scheduler) would otherwise deadlock: the
 * second's BEGIN IMMEDIATE waits synchronously for a commit the first can only make later.
 */
let openGroup: SqliteStore | null = null;

/**
 * The embedded ledger: one SQLite file in WAL mode. Every multi-step change runs in one
 * IMMEDIATE transaction, so a second process on the same file sees either all or none of it.
 */
export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  private readonly db: Database.Database;
  /** Prepared statements by SQL text: preparing is a large part of a small query's cost. */
  private readonly statements = new Map<string, Database.Statement>();

  private prep(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * Group commit. Writes issued while one is pending (the same run of the microtask queue:
   * the scheduler issues a tick's plans, claims and attempt starts together) share one
   * IMMEDIATE transaction, committed once the queue drains. A write of several changes runs
   * in its own savepoint inside it (`several`), so one that throws midway undoes only itself;
   * a single statement is atomic by itself and skips the two extra statements. A write's promise resolves
   * only after COMMIT: nobody acts on a decision before it is durable. At 500 starts in one
   * second, one commit instead of 1,500 is what keeps the last start on time (bench/README.md).
   */
  private group: { readonly waiters: Array<{ ok(): void; fail(error: unknown): void }> } | null = null;
  private readonly savepoint: (write: () => unknown) => unknown;

  private write<T>(fn: () => T, several = false): Promise<T> {
    let result: T;
    try {
      if (this.group !== null && !this.db.inTransaction) this.abandonGroup(new Error('the group transaction was rolled back'));
      if (this.group === null) {
        if (openGroup !== null && openGroup !== this) openGroup.commitGroup();
        this.prep('BEGIN IMMEDIATE').run();
        openGroup = this;
        this.group = { waiters: [] };
        queueMicrotask(() => this.commitGroup());
      }
      result = several ? (this.savepoint(fn) as T) : fn();
    } catch (error) {
      // Disk full, an I/O error: SQLite rolled the whole transaction back, and with it every
      // write of the group so far. They fail now, and the next write starts a new group
      // (never autocommit: a write that lands must be reported as landed).
      if (this.group !== null && !this.db.inTransaction) this.abandonGroup(error);
      return Promise.reject(error);
    }
    const group = this.group;
    return new Promise<T>((resolve, reject) => group.waiters.push({ ok: () => resolve(result), fail: reject }));
  }

  private commitGroup(): void {
    const group = this.group;
    if (group === null) return;
    if (!this.db.inTransaction) return this.abandonGroup(new Error('the group transaction was rolled back before COMMIT'));
    this.group = null;
    if (openGroup === this) openGroup = null;
    try {
      this.prep('COMMIT').run();
    } catch (error) {
      // Nothing of the group landed: every write in it fails, and its caller retries.
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // Already rolled back by SQLite; this runs in a microtask, where a throw would crash.
      }
      for (const w of group.waiters) w.fail(error);
      return;
    }
    for (const w of group.waiters) w.ok();
  }

  /** The group's transaction is gone (rolled back): its writes did not land. */
  private abandonGroup(error: unknown): void {
    const group = this.group;
    this.group = null;
    if (openGroup === this) openGroup = null;
    for (const w of group?.waiters ?? []) w.fail(error);
  }

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: each commit is on disk (the WAL fsynced) before a write resolves, so a claim
    // survives a power loss or an OS crash, not only a crash of this process; NORMAL could
    // lose the last commits and let a deploy that started run again after the reboot. Group
    // commit keeps the cost to one fsync per batch of writes (~0.3 ms here).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // Inside the group's transaction, better-sqlite3 runs a nested transaction as a SAVEPOINT.
    this.savepoint = this.db.transaction((write: () => unknown) => write());
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)');
    const apply = this.db.transaction(() => {
      const done = new Set(
        (this.prep('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)),
      );
      for (const m of SQLITE_MIGRATIONS) {
        if (done.has(m.version)) continue;
        this.db.exec(m.sql);
        this.prep('INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)').run(m.version, Date.now());
      }
    });
    apply.immediate();
  }

  /** Tables, columns and applied migrations of the current schema, for checkSchema(). */
  async describeSchema(): Promise<LiveSchema> {
    const names = this.prep(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as Row[];
    const tables: Record<string, string[]> = {};
    for (const { name } of names) {
      tables[String(name)] = (this.prep('SELECT name FROM pragma_table_info(?)').all(String(name)) as Row[]).map((c) =>
        String(c.name),
      );
    }
    const versions = tables.schema_migrations
      ? (this.prep('SELECT version FROM schema_migrations ORDER BY version').all() as Row[]).map((r) => Number(r.version))
      : [];
    return { tables, versions };
  }

  async close(): Promise<void> {
    this.commitGroup();
    if (this.db.open) this.db.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- jobs ---------------------------------------------------------------------------------

  async syncJob(name: string, timingHash: string, nowMs: number): Promise<JobRecord> {
    return this.write(() => {
      const row = this.prep('SELECT * FROM jobs WHERE name = ?').get(name) as Row | undefined;
      if (!row) {
        this.prep('INSERT INTO jobs (name, timing_hash, cursor_ms, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?)')
          .run(name, timingHash, nowMs, nowMs, nowMs);
      } else if (row.timing_hash !== timingHash) {
        // Timing changes apply from now: times before the change are not replayed.
        this.prep('UPDATE jobs SET timing_hash = ?, cursor_ms = MAX(cursor_ms, ?), updated_ms = ? WHERE name = ?')
          .run(timingHash, nowMs, nowMs, name);
      }
      return toJob(this.prep('SELECT * FROM jobs WHERE name = ?').get(name) as Row);
    });
  }

  async getJob(name: string): Promise<JobRecord | null> {
    const row = this.prep('SELECT * FROM jobs WHERE name = ?').get(name) as Row | undefined;
    return row ? toJob(row) : null;
  }

  async getJobs(names: readonly string[]): Promise<JobRecord[]> {
    if (names.length === 0) return [];
    return (this.prep('SELECT * FROM jobs WHERE name IN (SELECT value FROM json_each(?))').all(JSON.stringify(names)) as Row[]).map(toJob);
  }

  async listJobs(): Promise<JobRecord[]> {
    return (this.prep('SELECT * FROM jobs ORDER BY name').all() as Row[]).map(toJob);
  }

  async setPaused(
    name: string,
    p: { paused: boolean; note?: string | null; by?: string | null; untilMs?: number | null; nowMs: number },
  ): Promise<JobRecord> {
    return this.write(() => {
      const info = p.paused
        ? this.prep(
            'UPDATE jobs SET paused = 1, paused_note = ?, paused_by = ?, paused_at_ms = ?, paused_until_ms = ?, updated_ms = ? WHERE name = ?',
          ).run(p.note ?? null, p.by ?? null, p.nowMs, p.untilMs ?? null, p.nowMs, name)
        : this.prep(
            'UPDATE jobs SET paused = 0, paused_note = NULL, paused_by = NULL, paused_at_ms = NULL, paused_until_ms = NULL, updated_ms = ? WHERE name = ?',
          ).run(p.nowMs, name);
      if (info.changes === 0) throw new StoreError('E_STORE_UNKNOWN_JOB', `no job ${name} in the store`);
      return toJob(this.prep('SELECT * FROM jobs WHERE name = ?').get(name) as Row);
    });
  }

  async deleteJob(name: string): Promise<boolean> {
    return this.write(
      () =>
        this.prep(
          `DELETE FROM jobs WHERE name = ? AND NOT EXISTS (SELECT 1 FROM occurrences WHERE job = ? AND state IN ('pending', 'running'))`,
        ).run(name, name).changes > 0,
    );
  }

  async setCursor(name: string, cursorMs: number, nowMs: number): Promise<void> {
    await this.write(() => this.prep('UPDATE jobs SET cursor_ms = ?, updated_ms = ? WHERE name = ?').run(cursorMs, nowMs, name));
  }

  // ---- occurrences --------------------------------------------------------------------------

  private insertStmt() {
    return this.prep(
      `INSERT INTO occurrences (id, job, nominal_ms, kind, trigger, state, reason, target, due_ms, span_end_ms,
         span_count, created_ms, ended_ms, requested_by, force, detail)
       VALUES (@id, @job, @nominal_ms, @kind, @trigger, @state, @reason, @target, @due_ms, @span_end_ms,
         @span_count, @created_ms, @ended_ms, @requested_by, @force, @detail)
       ON CONFLICT (job, kind, nominal_ms) DO NOTHING
       RETURNING *`,
    );
  }

  private insertOne(o: NewOccurrence, nowMs: number): Occurrence | null {
    const id = randomUUID();
    const terminal = o.state !== 'pending' && o.state !== 'running';
    const row = this.insertStmt().get({
      id,
      job: o.job,
      nominal_ms: o.nominalMs,
      kind: o.kind,
      trigger: o.trigger,
      state: o.state,
      reason: o.reason ?? null,
      target: o.target,
      due_ms: o.dueMs,
      span_end_ms: o.spanEndMs ?? null,
      span_count: o.spanCount ?? null,
      created_ms: nowMs,
      ended_ms: terminal ? nowMs : null,
      requested_by: o.requestedBy ?? null,
      force: o.force ? 1 : 0,
      detail: o.detail ? JSON.stringify(o.detail) : null,
    });
    return row ? toOccurrence(row as Row) : null;
  }

  async advance(
    job: string,
    expectCursorMs: number,
    newCursorMs: number,
    occurrences: readonly NewOccurrence[],
    nowMs: number,
  ): Promise<{ applied: boolean; inserted: Occurrence[] }> {
    return this.write(() => {
      const moved = this.prep('UPDATE jobs SET cursor_ms = ?, updated_ms = ? WHERE name = ? AND cursor_ms = ?')
        .run(newCursorMs, nowMs, job, expectCursorMs);
      if (moved.changes === 0) return { applied: false, inserted: [] as Occurrence[] };
      const inserted: Occurrence[] = [];
      for (const o of occurrences) {
        const row = this.insertOne(o, nowMs);
        if (row) inserted.push(row);
      }
      return { applied: true, inserted };
    }, true);
  }

  async advanceMany(items: readonly AdvanceItem[], nowMs: number): Promise<readonly AdvanceResult[]> {
    refuseRepeatedJobs(items);
    // Issued together, the advances share one transaction (group commit), each in its savepoint.
    return Promise.all(items.map((i) => this.advance(i.job, i.expectCursorMs, i.newCursorMs, i.occurrences, nowMs)));
  }

  async insertOccurrence(o: NewOccurrence, nowMs: number): Promise<Occurrence | null> {
    return this.write(() => this.insertOne(o, nowMs));
  }

  async claim(req: ClaimRequest): Promise<ClaimResult> {
    return this.write((): ClaimResult => {
      const row = this.prep('SELECT * FROM occurrences WHERE id = ?').get(req.occurrenceId) as Row | undefined;
      if (!row || row.state !== 'pending') return { ok: false, reason: 'state', blocker: row ? toOccurrence(row) : null };
      const liveOther = (column: 'job' | 'target', value: unknown): Row | undefined =>
        this.prep(
            `SELECT * FROM occurrences WHERE ${column} = ? AND id <> ? AND state = 'running'
               AND (lease_until_ms IS NULL OR lease_until_ms >= ?) LIMIT 1`,
          )
          .get(value, req.occurrenceId, req.nowMs) as Row | undefined;
      if (req.jobExclusive) {
        const b = liveOther('job', row.job);
        if (b) return { ok: false, reason: 'job', blocker: toOccurrence(b) };
      }
      if (req.targetLock) {
        const b = liveOther('target', row.target);
        if (b) return { ok: false, reason: 'target', blocker: toOccurrence(b) };
      }
      const claimed = this.prep(
        `UPDATE occurrences SET state = 'running', fence = fence + 1, owner = ?, run_id = ?, lease_until_ms = ?,
           started_ms = COALESCE(started_ms, ?) WHERE id = ? RETURNING *`,
      ).get(req.owner, req.runId, req.nowMs + req.leaseMs, req.nowMs, req.occurrenceId) as Row;
      return { ok: true, occurrence: toOccurrence(claimed) };
    });
  }

  async heartbeat(occurrenceId: string, fence: number, leaseUntilMs: number): Promise<boolean> {
    return this.write(
      () =>
        this.prep(`UPDATE occurrences SET lease_until_ms = ? WHERE id = ? AND fence = ? AND state = 'running'`).run(leaseUntilMs, occurrenceId, fence)
          .changes > 0,
    );
  }

  async settle(occurrenceId: string, req: SettleRequest): Promise<boolean> {
    const from = req.from ?? ['pending'];
    const params: unknown[] = [
      req.state,
      req.reason ?? null,
      req.nowMs,
      req.errorClass ?? null,
      req.message ?? null,
      req.detail ? JSON.stringify(req.detail) : null,
      occurrenceId,
      ...from,
    ];
    let sql = `UPDATE occurrences SET state = ?, reason = COALESCE(?, reason), ended_ms = ?, lease_until_ms = NULL,
        error_class = COALESCE(?, error_class), message = COALESCE(?, message), detail = COALESCE(?, detail)
      WHERE id = ? AND state IN (${from.map(() => '?').join(', ')})`;
    if (req.fence !== undefined) {
      sql += ' AND fence = ?';
      params.push(req.fence);
    }
    return this.write(() => this.prep(sql).run(...params).changes > 0);
  }

  // ---- attempts -----------------------------------------------------------------------------

  async beginAttempt(
    occurrenceId: string,
    a: { number: number; fence: number; owner: string | null; startedMs: number; logPath: string | null },
  ): Promise<void> {
    return this.write(() => {
      this.prep(
        `INSERT INTO attempts (occurrence_id, number, fence, owner, started_ms, log_path) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (occurrence_id, number) DO NOTHING`,
      ).run(occurrenceId, a.number, a.fence, a.owner, a.startedMs, a.logPath);
      this.prep('UPDATE occurrences SET attempts = MAX(attempts, ?) WHERE id = ?').run(a.number, occurrenceId);
    }, true);
  }

  async recordHandle(occurrenceId: string, number: number, handle: { id: string; details?: Readonly<Record<string, unknown>> }): Promise<void> {
    await this.write(() =>
      this.prep('UPDATE attempts SET handle_id = ?, handle = ? WHERE occurrence_id = ? AND number = ?').run(
        handle.id,
        JSON.stringify(handle),
        occurrenceId,
        number,
      ),
    );
  }

  async endAttempt(
    occurrenceId: string,
    number: number,
    end: { endedMs: number; outcome: string; errorClass: string | null; message: string | null },
  ): Promise<void> {
    await this.write(() =>
      this.prep(
        `UPDATE attempts SET ended_ms = ?, outcome = ?, error_class = ?, message = ?
         WHERE occurrence_id = ? AND number = ? AND outcome IS NULL`,
      ).run(end.endedMs, end.outcome, end.errorClass, end.message, occurrenceId, number),
    );
  }

  // ---- queries ------------------------------------------------------------------------------

  async getOccurrence(id: string): Promise<Occurrence | null> {
    const row = this.prep('SELECT * FROM occurrences WHERE id = ?').get(id) as Row | undefined;
    return row ? toOccurrence(row) : null;
  }

  async findOccurrence(job: string, nominalMs: number, kind: OccurrenceKind = 'scheduled'): Promise<Occurrence | null> {
    const row = this.prep('SELECT * FROM occurrences WHERE job = ? AND kind = ? AND nominal_ms = ?')
      .get(job, kind, nominalMs) as Row | undefined;
    return row ? toOccurrence(row) : null;
  }

  async findCovering(job: string, atMs: number): Promise<Occurrence | null> {
    const exact = this.prep(`SELECT * FROM occurrences WHERE job = ? AND nominal_ms = ? ORDER BY kind = 'scheduled' DESC LIMIT 1`)
      .get(job, atMs) as Row | undefined;
    if (exact) return toOccurrence(exact);
    const span = this.prep(
        `SELECT * FROM occurrences WHERE job = ? AND span_end_ms IS NOT NULL AND nominal_ms <= ? AND span_end_ms >= ?
         ORDER BY nominal_ms DESC LIMIT 1`,
      )
      .get(job, atMs, atMs) as Row | undefined;
    return span ? toOccurrence(span) : null;
  }

  async listOccurrences(f: OccurrenceFilter = {}): Promise<Occurrence[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.job !== undefined) {
      where.push('job = ?');
      params.push(f.job);
    }
    if (f.states && f.states.length > 0) {
      where.push(`state IN (${f.states.map(() => '?').join(', ')})`);
      params.push(...f.states);
    }
    if (f.kinds && f.kinds.length > 0) {
      where.push(`kind IN (${f.kinds.map(() => '?').join(', ')})`);
      params.push(...f.kinds);
    }
    if (f.fromMs !== undefined) {
      where.push('nominal_ms >= ?');
      params.push(f.fromMs);
    }
    if (f.toMs !== undefined) {
      where.push('nominal_ms < ?');
      params.push(f.toMs);
    }
    const order = f.order === 'asc' ? 'ASC' : 'DESC';
    const sql = `SELECT * FROM occurrences ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY nominal_ms ${order}, created_ms ${order} LIMIT ?`;
    params.push(f.limit ?? 1000);
    return (this.prep(sql).all(...params) as Row[]).map(toOccurrence);
  }

  async listAttempts(occurrenceId: string): Promise<Attempt[]> {
    return (this.prep('SELECT * FROM attempts WHERE occurrence_id = ? ORDER BY number').all(occurrenceId) as Row[]).map(
      toAttempt,
    );
  }

  async duePending(nowMs: number, limit = 1000): Promise<Occurrence[]> {
    return (
      this.prep(`SELECT * FROM occurrences WHERE state = 'pending' AND due_ms <= ? ORDER BY due_ms, nominal_ms LIMIT ?`)
        .all(nowMs, limit) as Row[]
    ).map(toOccurrence);
  }

  async nextPendingDue(): Promise<number | null> {
    const row = this.prep(`SELECT MIN(due_ms) AS d FROM occurrences WHERE state = 'pending'`).get() as Row;
    return row.d === null || row.d === undefined ? null : Number(row.d);
  }

  async live(job?: string): Promise<Occurrence[]> {
    const rows =
      job === undefined
        ? this.prep(`SELECT * FROM occurrences WHERE state IN ('pending', 'running') ORDER BY due_ms`).all()
        : this.prep(`SELECT * FROM occurrences WHERE job = ? AND state IN ('pending', 'running') ORDER BY due_ms`).all(job);
    return (rows as Row[]).map(toOccurrence);
  }

  async liveOf(jobs: readonly string[]): Promise<Occurrence[]> {
    if (jobs.length === 0) return [];
    const sql = `SELECT * FROM occurrences WHERE job IN (SELECT value FROM json_each(?)) AND state IN ('pending', 'running') ORDER BY due_ms`;
    return (this.prep(sql).all(JSON.stringify(jobs)) as Row[]).map(toOccurrence);
  }

  async expiredRunning(nowMs: number): Promise<Occurrence[]> {
    return (
      this.prep(`SELECT * FROM occurrences WHERE state = 'running' AND (lease_until_ms IS NULL OR lease_until_ms < ?)`)
        .all(nowMs) as Row[]
    ).map(toOccurrence);
  }

  async latest(job: string, states?: readonly OccurrenceState[]): Promise<Occurrence | null> {
    const filter = states && states.length ? `AND state IN (${states.map(() => '?').join(', ')})` : '';
    const row = this.prep(`SELECT * FROM occurrences WHERE job = ? ${filter} ORDER BY nominal_ms DESC, created_ms DESC LIMIT 1`)
      .get(job, ...(states ?? [])) as Row | undefined;
    return row ? toOccurrence(row) : null;
  }

  // ---- events and locks ---------------------------------------------------------------------

  async appendEvent(e: {
    atMs: number;
    job?: string | null;
    occurrenceId?: string | null;
    type: string;
    data?: Readonly<Record<string, unknown>> | null;
  }): Promise<void> {
    await this.write(() =>
      this.prep('INSERT INTO events (at_ms, job, occurrence_id, type, data) VALUES (?, ?, ?, ?, ?)').run(
        e.atMs,
        e.job ?? null,
        e.occurrenceId ?? null,
        e.type,
        e.data ? JSON.stringify(e.data) : null,
      ),
    );
  }

  async listEvents(f: { job?: string; type?: string; fromMs?: number; toMs?: number; limit?: number } = {}): Promise<StoreEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.job !== undefined) (where.push('job = ?'), params.push(f.job));
    if (f.type !== undefined) (where.push('type = ?'), params.push(f.type));
    if (f.fromMs !== undefined) (where.push('at_ms >= ?'), params.push(f.fromMs));
    if (f.toMs !== undefined) (where.push('at_ms < ?'), params.push(f.toMs));
    params.push(f.limit ?? 1000);
    return (
      this.prep(`SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
        .all(...params) as Row[]
    ).map(toEvent);
  }

  async acquireLock(
    name: string,
    owner: string,
    untilMs: number,
    nowMs: number,
    info?: Readonly<Record<string, unknown>>,
  ): Promise<boolean> {
    return this.write(() => {
      const row = this.prep('SELECT * FROM locks WHERE name = ?').get(name) as Row | undefined;
      if (row && row.owner !== owner && Number(row.until_ms) >= nowMs) return false;
      this.prep(
          `INSERT INTO locks (name, owner, until_ms, info) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until_ms = excluded.until_ms, info = excluded.info`,
        )
        .run(name, owner, untilMs, info ? JSON.stringify(info) : null);
      return true;
    });
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.write(() => this.prep('DELETE FROM locks WHERE name = ? AND owner = ?').run(name, owner));
  }

  async lockHolder(name: string): Promise<{ owner: string; untilMs: number; info: Record<string, unknown> | null } | null> {
    const row = this.prep('SELECT * FROM locks WHERE name = ?').get(name) as Row | undefined;
    if (!row) return null;
    return { owner: String(row.owner), untilMs: Number(row.until_ms), info: row.info ? (JSON.parse(String(row.info)) as Record<string, unknown>) : null };
  }
}
