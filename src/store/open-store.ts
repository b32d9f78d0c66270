import type { StoreConfig } from '../config/types.js';
import { ShipclockError } from '../errors/shipclock-error.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

/**
 * Opens (and migrates) the store a config names. A PostgreSQL that cannot be reached fails
 * here with StoreError `E_STORE_UNAVAILABLE` (`transient` says whether a retry may help).
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const store: Store = config.kind === 'postgres' ? new PostgresStore(config.location) : openSqlite(config.location);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    if (config.kind === 'sqlite' && !(err instanceof ShipclockError)) throw sqliteOpenError(config.location, err);
    throw err;
  }
  return store;
}

function openSqlite(path: string): SqliteStore {
  try {
    return new SqliteStore(path);
  } catch (err) {
    throw sqliteOpenError(path, err);
  }
}

/** A ledger file that cannot be created, opened or written is the user's path to fix: exit 2. */
function sqliteOpenError(path: string, cause: unknown): ShipclockError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new ShipclockError(
    'E_STORE_OPEN',
    `cannot open the SQLite ledger ${path}: ${why}\n  the state directory must be a writable folder; choose another with --state DIR (or SHIPCLOCK_STATE), or the file with --store PATH`,
    { cause, exitCode: 2 },
  );
}
