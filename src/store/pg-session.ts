import pg from 'pg';
import { toStoreError } from './pg-errors.js';
import { StoreError } from './store-error.js';

export type Row = Record<string, unknown>;
export interface QueryResult {
  readonly rows: Row[];
  readonly rowCount: number;
}
/** Runs one statement on the connection at hand (the pool, or a transaction's client). */
export type Query = (sql: string, params?: readonly unknown[]) => Promise<QueryResult>;

export interface PgSessionOptions {
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
  /** Give up connecting after this long (default 5 s): an outage must surface, not hang. */
  readonly connectTimeoutMs?: number;
  /** Client-side limit on one statement (default 15 s, well under a 30 s lease). */
  readonly queryTimeoutMs?: number;
  /** Server-side limit on waiting for a row or advisory lock (default 5 s). */
  readonly lockTimeoutMs?: number;
  /**
   * The server aborts a transaction left idle this long (default 10 s), so an instance frozen
   * (SIGSTOP, a long GC pause) inside a claim cannot hold row locks for everyone else.
   */
  readonly idleInTransactionMs?: number;
  readonly applicationName?: string;
}

const INT8_OID = 20;

/** PostgreSQL text cannot hold U+0000 (see postgres-store.ts): replace it in string parameters. */
function params(values: readonly unknown[]): unknown[] {
  return values.map((v) => (typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v));
}

/** BIGINT columns hold epoch milliseconds and counters, far below 2^53: read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A pool plus the two ways the store talks to PostgreSQL: one statement, or one transaction on
 * one connection. Every driver error leaves here as a StoreError with a code and `transient`.
 */
export class PgSession {
  readonly pool: pg.Pool;
  /** The last error an idle connection reported (server restart, network loss), for doctor/logs. */
  lastIdleError: unknown = null;

  constructor(url: string, o: PgSessionOptions = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: o.poolSize ?? 10,
      connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000,
      query_timeout: o.queryTimeoutMs ?? 15_000,
      keepAlive: true,
      application_name: o.applicationName ?? 'shipclock',
      options: `-c lock_timeout=${o.lockTimeoutMs ?? 5_000} -c idle_in_transaction_session_timeout=${o.idleInTransactionMs ?? 10_000}`,
      types,
    });
    // Without a listener an idle connection dropped by the server would crash the process.
    this.pool.on('error', (err) => {
      this.lastIdleError = err;
    });
  }

  readonly query: Query = async (sql, values = []) => {
    try {
      const r = await this.pool.query(sql, params(values));
      return { rows: r.rows as Row[], rowCount: r.rowCount ?? 0 };
    } catch (err) {
      throw toStoreError(err, firstWords(sql));
    }
  };

  /** Runs `fn` in one READ COMMITTED transaction; rolls back on any error. */
  async tx<T>(what: string, fn: (q: Query) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw toStoreError(err, `${what}: connect`);
    }
    const q: Query = async (sql, values = []) => {
      try {
        const r = await client.query(sql, params(values));
        return { rows: r.rows as Row[], rowCount: r.rowCount ?? 0 };
      } catch (err) {
        throw toStoreError(err, `${what}: ${firstWords(sql)}`);
      }
    };
    let broken: unknown = undefined;
    try {
      await q('BEGIN');
      const out = await fn(q);
      await q('COMMIT');
      return out;
    } catch (err) {
      if (err instanceof StoreError && err.code === 'E_STORE_UNAVAILABLE') {
        // The connection failed or timed out: a ROLLBACK would queue behind the statement the
        // server has not answered and wait out another timeout. Dropping the connection makes
        // the server abort the transaction by itself.
        broken = err;
      } else {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr;
        }
      }
      throw err;
    } finally {
      client.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
    }
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}

function firstWords(sql: string): string {
  return sql.trim().split(/\s+/).slice(0, 3).join(' ');
}
