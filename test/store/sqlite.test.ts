// Store conformance against the real SQLite store: one database file per test in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { describeStoreConformance } from './conformance.js';

describeStoreConformance('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shipclock-store-'));
  const path = join(dir, 'ledger.db');
  const opened: Store[] = [];
  const open = async (file: string, migrate: boolean) => {
    const s = new SqliteStore(file);
    opened.push(s);
    if (migrate) await s.migrate();
    return s;
  };
  const store = await open(path, true);
  let fresh = 0;
  return {
    store,
    openAnother: () => open(path, true),
    async freshDatabase() {
      const file = join(dir, `fresh-${fresh++}.db`);
      return () => open(file, false);
    },
    async exec(sql: string) {
      const db = new Database(path);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    async dispose() {
      for (const s of opened) await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
