import type { StoreConfig } from '../config/types.js';
import { ShipclockError } from '../errors/shipclock-error.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

/** Opens (and migrates) the store a config names. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === 'postgres') {
    throw new ShipclockError('E_STORE_UNAVAILABLE', 'the PostgreSQL store is not available in this build yet', { exitCode: 2 });
  }
  const store = new SqliteStore(config.location);
  await store.migrate();
  return store;
}
