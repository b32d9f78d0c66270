import { POSTGRES_MIGRATIONS } from './migrations/postgres/index.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';
import { describesSchema, type LiveSchema } from './live-schema.js';
import { SqliteStore } from './sqlite-store.js';
import { StoreError } from './store-error.js';
import type { Store } from './types.js';

export interface SchemaReport {
  /** True when every expected table, column and migration is there and nothing is newer. */
  readonly ok: boolean;
  readonly backend: Store['backend'];
  readonly expectedVersions: readonly number[];
  readonly appliedVersions: readonly number[];
  /** Known to this build, not applied: run `migrate` (instances do it at start). */
  readonly pendingVersions: readonly number[];
  /** Applied by a newer build than this one: this build may misread the ledger. */
  readonly unknownVersions: readonly number[];
  readonly missingTables: readonly string[];
  readonly missingColumns: readonly { readonly table: string; readonly column: string }[];
  /** Columns nobody's migration made: hand edits. Reported, not fatal. */
  readonly extraColumns: readonly { readonly table: string; readonly column: string }[];
  /** One line per finding, for people. */
  readonly problems: readonly string[];
}

let expectedTables: Promise<LiveSchema['tables']> | null = null;

/**
 * The expected tables and columns are what the migrations produce, read back from a fresh
 * in-memory SQLite: one source of truth, and both backends share column names by rule.
 */
function expected(): Promise<LiveSchema['tables']> {
  expectedTables ??= (async () => {
    const fresh = new SqliteStore(':memory:');
    try {
      await fresh.migrate();
      return (await fresh.describeSchema()).tables;
    } finally {
      await fresh.close();
    }
  })();
  return expectedTables;
}

/** Compares the live schema of `store` with the one this build expects and reports drift. */
export async function checkSchema(store: Store): Promise<SchemaReport> {
  if (!describesSchema(store)) {
    throw new StoreError('E_STORE_QUERY', `this ${store.backend} store cannot describe its schema`);
  }
  const live = await store.describeSchema();
  const want = await expected();
  const expectedVersions = (store.backend === 'postgres' ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS).map((m) => m.version);
  const applied = [...live.versions];
  const pendingVersions = expectedVersions.filter((v) => !applied.includes(v));
  const unknownVersions = applied.filter((v) => !expectedVersions.includes(v));
  const missingTables: string[] = [];
  const missingColumns: { table: string; column: string }[] = [];
  const extraColumns: { table: string; column: string }[] = [];
  for (const [table, columns] of Object.entries(want)) {
    const have = live.tables[table];
    if (!have) {
      missingTables.push(table);
      continue;
    }
    for (const column of columns) if (!have.includes(column)) missingColumns.push({ table, column });
    for (const column of have) if (!columns.includes(column)) extraColumns.push({ table, column });
  }
  const problems = [
    ...pendingVersions.map((v) => `migration ${v} is not applied (instances apply it at start)`),
    ...unknownVersions.map((v) => `migration ${v} was applied by a newer shipclock than this one`),
    ...missingTables.map((t) => `table ${t} is missing`),
    ...missingColumns.map((c) => `column ${c.table}.${c.column} is missing`),
    ...extraColumns.map((c) => `column ${c.table}.${c.column} is not created by any migration`),
  ];
  const ok = pendingVersions.length + unknownVersions.length + missingTables.length + missingColumns.length === 0;
  return { ok, backend: store.backend, expectedVersions, appliedVersions: applied, pendingVersions, unknownVersions, missingTables, missingColumns, extraColumns, problems };
}
