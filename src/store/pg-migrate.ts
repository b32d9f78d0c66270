import type pg from 'pg';
import { POSTGRES_MIGRATIONS } from './migrations/postgres/index.js';
import { MIGRATION_LOCK } from './pg-advisory.js';
import { toStoreError } from './pg-errors.js';

/**
 * Applies the numbered migrations not yet recorded in schema_migrations, each in its own
 * transaction, while holding a session-level advisory lock: instances starting together wait
 * for each other and every migration runs exactly once.
 */
export async function migratePostgres(pool: pg.Pool, waitMs = 60_000): Promise<void> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw toStoreError(err, 'migrate: connect');
  }
  let broken = false;
  try {
    // Another instance may be migrating: wait longer than an ordinary lock wait.
    await client.query(`SET lock_timeout = ${Math.max(0, Math.floor(waitMs))}`);
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)');
      const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
      for (const m of POSTGRES_MIGRATIONS) {
        if (done.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)`,
            [m.version],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }
    } finally {
      try {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
        await client.query('RESET lock_timeout');
      } catch {
        broken = true;
      }
    }
  } catch (err) {
    broken = true;
    throw toStoreError(err, 'migrate');
  } finally {
    // After a failure the session may still hold the lock or a setting: never reuse it.
    client.release(broken ? true : undefined);
  }
}
