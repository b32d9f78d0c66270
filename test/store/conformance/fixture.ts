// Shared pieces of the store conformance suite: the fixture each backend provides, and builders.
import type { NewOccurrence, Store } from '../../../src/store/types.js';

/** One fresh, migrated, empty database per test. */
export interface StoreFixture {
  readonly store: Store;
  /** Another Store instance (its own connections) on the same database, migrated. */
  openAnother(): Promise<Store>;
  /**
   * Creates another, empty database (no tables at all) and returns an opener of unmigrated Store
   * instances on it, to race migrations. The fixture closes them and drops the database.
   */
  freshDatabase(): Promise<() => Promise<Store>>;
  /** Runs raw SQL on the database, to simulate drift that only a person or a bug would cause. */
  exec(sql: string): Promise<void>;
  /** Closes everything the fixture opened, including openAnother() stores. */
  dispose(): Promise<void>;
}

export type MakeStore = () => Promise<StoreFixture>;

/** Runs a test body against a fresh fixture and always disposes it. */
export function withFixture(make: MakeStore, body: (f: StoreFixture, s: Store) => Promise<void>): () => Promise<void> {
  return async () => {
    const f = await make();
    try {
      await body(f, f.store);
    } finally {
      await f.dispose();
    }
  };
}

export const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
export const MIN = 60_000;

export function occ(p: Partial<NewOccurrence> & { nominalMs: number }): NewOccurrence {
  return {
    job: 'web',
    kind: 'scheduled',
    trigger: 'on_time',
    state: 'pending',
    target: 'target-web',
    dueMs: p.nominalMs,
    ...p,
  };
}

/** Registers `job` at T0 and records one pending occurrence per nominal time; returns their ids. */
export async function seedPending(
  s: Store,
  nominals: readonly number[],
  extra: Partial<NewOccurrence> = {},
): Promise<string[]> {
  const job = extra.job ?? 'web';
  const rec = (await s.getJob(job)) ?? (await s.syncJob(job, 'h1', T0));
  const last = Math.max(rec.cursorMs, ...nominals);
  const r = await s.advance(job, rec.cursorMs, last, nominals.map((n) => occ({ ...extra, job, nominalMs: n })), T0);
  if (!r.applied) throw new Error('seedPending: advance was not applied');
  return r.inserted.map((o) => o.id);
}
