import type { StoreConfig } from '../config/types.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

/**
 * Opens (and migrates) the store a config names. A PostgreSQL that cannot be reached fails
 * here with StoreError `E_STORE_UNAVAILABLE` (`transient` says whether a retry may help).
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const store: Store = config.kind === 'postgres' ? new PostgresStore(config.location) : new SqliteStore(config.location);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
