// Store conformance against a real PostgreSQL: one embedded server for this file (or the one
// DATABASE_URL names), one new database per test.
import { after, before } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres-store.js';
import type { Store } from '../../src/store/types.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { describeStoreConformance } from './conformance.js';

let server: TestPostgres;
before(async () => {
  server = await startTestPostgres();
});
after(async () => {
  await server?.stop();
});

describeStoreConformance('postgres', async () => {
  const url = await server.createDatabase();
  const opened: Store[] = [];
  const open = async (u: string, migrate: boolean) => {
    const s = new PostgresStore(u, { poolSize: 4 });
    opened.push(s);
    if (migrate) await s.migrate();
    return s;
  };
  const store = await open(url, true);
  return {
    store,
    openAnother: () => open(url, true),
    async freshDatabase() {
      const fresh = await server.createDatabase();
      return () => open(fresh, false);
    },
    async exec(sql: string) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    },
    async dispose() {
      for (const s of opened) await s.close();
      await server.dropDatabases();
    },
  };
});
