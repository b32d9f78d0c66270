import { ShipclockError } from '../errors/shipclock-error.js';

/**
 * Codes a store raises:
 * - `E_STORE_UNAVAILABLE`: the database cannot be reached or answered as unreachable
 *   (refused, reset, shutting down, timed out). `transient` says whether waiting may help:
 *   the scheduler stops starting runs and reconnects with backoff.
 * - `E_STORE_BUSY`: a lock wait or deadlock timed out; retry the operation.
 * - `E_STORE_QUERY`: the database refused a statement (a bug or a schema drift; not transient).
 * - `E_STORE_UNKNOWN_JOB`: the named job has no row in the store.
 */
export type StoreErrorCode = 'E_STORE_UNAVAILABLE' | 'E_STORE_BUSY' | 'E_STORE_QUERY' | 'E_STORE_UNKNOWN_JOB';

export class StoreError extends ShipclockError {
  declare readonly code: StoreErrorCode;
  /** True when the same call may succeed later without anyone changing anything. */
  readonly transient: boolean;
  /** The database's SQLSTATE (PostgreSQL) or driver code, when there is one. */
  readonly sqlState: string | null;

  constructor(
    code: StoreErrorCode,
    message: string,
    options: { cause?: unknown; transient?: boolean; sqlState?: string | null; exitCode?: 1 | 2 } = {},
  ) {
    super(code, message, { cause: options.cause, exitCode: options.exitCode ?? 1 });
    this.transient = options.transient ?? false;
    this.sqlState = options.sqlState ?? null;
  }
}
