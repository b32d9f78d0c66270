import { PostgresStore } from './postgres-store.js';
import type { Store } from './types.js';

/**
 * How far the database's clock is ahead of ours, in ms (negative: behind). With several
 * instances the database clock decides what is due, so an instance far off should warn.
 * Pass a clock function rather than a reading to correct for the round trip (we compare the
 * database's time with the midpoint of our before/after readings).
 * SQLite has no clock of its own: null.
 */
export async function measureClockSkew(store: Store, localNow: number | (() => number)): Promise<number | null> {
  if (!(store instanceof PostgresStore)) return null;
  if (typeof localNow === 'number') return (await store.databaseNowMs()) - localNow;
  const before = localNow();
  const dbNow = await store.databaseNowMs();
  const after = localNow();
  return dbNow - (before + after) / 2;
}
