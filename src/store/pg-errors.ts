import pg from 'pg';
import { StoreError } from './store-error.js';

// SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) that mean "the
// server is not there for us right now", as opposed to "the server refused this statement".
const UNAVAILABLE_TRANSIENT_PREFIXES = ['08', '57P', '53'];
const UNAVAILABLE_PERMANENT_PREFIXES = ['28', '3D'];
const BUSY = new Set(['40001', '40P01', '55P03', '57014']);

/**
 * Turns whatever the driver threw into a StoreError with a code and a `transient` flag.
 * A `pg.DatabaseError` is the server answering; anything else the driver throws (socket errors,
 * "connection terminated", pool connect timeouts) is the connection failing, which is transient:
 * classified by type and code, never by message text.
 */
export function toStoreError(err: unknown, what: string): StoreError {
  if (err instanceof StoreError) return err;
  if (err instanceof pg.DatabaseError) {
    const state = err.code ?? '';
    if (UNAVAILABLE_TRANSIENT_PREFIXES.some((p) => state.startsWith(p))) {
      return new StoreError('E_STORE_UNAVAILABLE', `PostgreSQL is unavailable (${what}, SQLSTATE ${state})`, {
        cause: err,
        transient: true,
        sqlState: state,
      });
    }
    if (UNAVAILABLE_PERMANENT_PREFIXES.some((p) => state.startsWith(p))) {
      // The URL names a database, user or password the server does not accept: the operator's
      // input to fix (exit 2), which no retry will change.
      return new StoreError('E_STORE_UNAVAILABLE', `PostgreSQL refused the connection (${what}, SQLSTATE ${state}: ${err.message}): check the URL, user and database`, {
        cause: err,
        transient: false,
        sqlState: state,
        exitCode: 2,
      });
    }
    if (BUSY.has(state)) {
      return new StoreError('E_STORE_BUSY', `PostgreSQL gave up waiting for a lock (${what}, SQLSTATE ${state})`, {
        cause: err,
        transient: true,
        sqlState: state,
      });
    }
    return new StoreError('E_STORE_QUERY', `PostgreSQL refused a statement (${what}, SQLSTATE ${state})`, {
      cause: err,
      sqlState: state || null,
    });
  }
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : null;
  // Never connected, or connected and then cut off: the driver cannot always tell which.
  return new StoreError('E_STORE_UNAVAILABLE', `no connection to PostgreSQL (${what}${code ? `, ${code}` : ''})`, {
    cause: err,
    transient: true,
    sqlState: code,
  });
}
