// The PostgreSQL store when the database is not there for it: refused, restarted, locked, wrong.
// A real embedded server (or DATABASE_URL); outages are real (a stopped server, a closed port).
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import pg from 'pg';
import { measureClockSkew } from '../../src/store/clock-skew.js';
import { openStore } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { freePort, startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { claimReq } from './conformance/claims.js';
import { T0, seedPending } from './conformance/fixture.js';

let server: TestPostgres;
before(async () => {
  server = await startTestPostgres();
});
after(async () => {
  await server?.stop();
});

function isStoreError(code: string, transient: boolean) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof StoreError, `a StoreError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.transient, transient);
    return true;
  };
}

function withDb(url: string, database: string, password?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (password !== undefined) u.password = password;
  return u.toString();
}

describe('PostgreSQL store: connection failures and outages', () => {
  it('openStore opens and migrates a PostgreSQL store for kind postgres', async () => {
    const url = await server.createDatabase();
    const store = await openStore({ kind: 'postgres', location: url });
    try {
      assert.equal(store.backend, 'postgres');
      assert.ok(store instanceof PostgresStore);
      assert.equal((await store.syncJob('web', 'h', T0)).cursorMs, T0);
    } finally {
      await store.close();
    }
  });

  it('nobody listening: E_STORE_UNAVAILABLE, transient (wait and reconnect), exit 1, says there is no connection', async () => {
    const port = await freePort();
    const e = await openStore({ kind: 'postgres', location: `postgres://postgres:x@127.0.0.1:${port}/shipclock` }).catch((x: unknown) => x);
    assert.ok(isStoreError('E_STORE_UNAVAILABLE', true)(e));
    assert.equal((e as StoreError).exitCode, 1);
    assert.match((e as StoreError).message, /^no connection to PostgreSQL \(.*ECONNREFUSED\)/);
  });

  it('a malformed URL is refused at once, not retried; the password never shows', async () => {
    for (const location of ['not a url', 'mysql://u:p@h/db']) {
      await assert.rejects(openStore({ kind: 'postgres', location }), isStoreError('E_STORE_UNAVAILABLE', false));
    }
    const store = new PostgresStore('postgres://ana:s3cret@127.0.0.1:1/db');
    try {
      assert.equal(store.location, 'postgres://ana:***@127.0.0.1:1/db');
      assert.ok(!JSON.stringify(store).includes('s3cret'), 'a logged store shows no password');
      assert.ok(!inspect(store, { depth: 10 }).includes('s3cret'), 'an inspected store shows no password');
    } finally {
      await store.close();
    }
  });

  it('a database that does not exist, or a wrong password: E_STORE_UNAVAILABLE, not transient, exit 2 (the URL is the input to fix), saying what the server said', async () => {
    const noDb = await openStore({ kind: 'postgres', location: withDb(server.adminUrl, 'no_such_database_here') }).catch((e: unknown) => e);
    assert.ok(isStoreError('E_STORE_UNAVAILABLE', false)(noDb));
    assert.equal((noDb as StoreError).exitCode, 2);
    assert.match((noDb as StoreError).message, /database "no_such_database_here" does not exist/);
    const url = await server.createDatabase();
    const dbName = new URL(url).pathname.slice(1);
    const badPassword = await openStore({ kind: 'postgres', location: withDb(server.adminUrl, dbName, 'wrong-password') }).catch((e: unknown) => e);
    assert.ok(isStoreError('E_STORE_UNAVAILABLE', false)(badPassword));
    assert.equal((badPassword as StoreError).exitCode, 2);
    assert.doesNotMatch((badPassword as StoreError).message, /wrong-password/, 'the password never appears');
  });

  it('a frozen instance holding an occurrence row: claim refuses at once (state), never waits', async () => {
    const url = await server.createDatabase();
    const store = new PostgresStore(url, { lockTimeoutMs: 60_000 });
    const frozen = new pg.Client({ connectionString: url });
    try {
      await store.migrate();
      const [id] = await seedPending(store, [T0]);
      assert.ok(id);
      await frozen.connect();
      await frozen.query('BEGIN');
      await frozen.query('SELECT * FROM occurrences WHERE id = $1 FOR UPDATE', [id]);
      // With a 60 s lock timeout, a waiting claim would outlive the test's own timeout.
      const refused = await store.claim(claimReq(id));
      assert.ok(!refused.ok);
      assert.equal(refused.reason, 'state');
      assert.equal(refused.blocker?.id, id);
      await frozen.query('ROLLBACK');
      assert.ok((await store.claim(claimReq(id))).ok, 'claimable once the holder let go');
    } finally {
      await frozen.end();
      await store.close();
    }
  });

  it('a frozen instance holding the job row: advance gives up after the lock timeout with E_STORE_BUSY', async () => {
    const url = await server.createDatabase();
    const store = new PostgresStore(url, { lockTimeoutMs: 150 });
    const frozen = new pg.Client({ connectionString: url });
    try {
      await store.migrate();
      await store.syncJob('web', 'h', T0);
      await frozen.connect();
      await frozen.query('BEGIN');
      await frozen.query(`SELECT * FROM jobs WHERE name = 'web' FOR UPDATE`);
      await assert.rejects(store.advance('web', T0, T0 + 1, [], T0), isStoreError('E_STORE_BUSY', true));
      await frozen.query('ROLLBACK');
      assert.equal((await store.advance('web', T0, T0 + 1, [], T0)).applied, true);
    } finally {
      await frozen.end();
      await store.close();
    }
  });

  it('a server restart: calls fail transiently while it is down, the same store carries on after', async (t) => {
    if (!server.restart) return t.skip('DATABASE_URL given: the server is not ours to restart');
    const url = await server.createDatabase();
    const store = new PostgresStore(url, { connectTimeoutMs: 1000 });
    try {
      await store.migrate();
      const [id] = await seedPending(store, [T0]);
      assert.ok(id);
      const claimed = await store.claim(claimReq(id));
      assert.ok(claimed.ok);
      await server.restart(async () => {
        await assert.rejects(store.heartbeat(id, 1, T0 + 60_000), isStoreError('E_STORE_UNAVAILABLE', true));
        await assert.rejects(store.listJobs(), isStoreError('E_STORE_UNAVAILABLE', true));
      });
      // The pool dropped its dead connections; the run, its fence and lease survived the restart.
      assert.equal(await store.heartbeat(id, 1, T0 + 60_000), true);
      const row = await store.getOccurrence(id);
      assert.equal(row?.state, 'running');
      assert.equal(row?.fence, 1);
      assert.equal(row?.leaseUntilMs, T0 + 60_000);
    } finally {
      await store.close();
    }
  });

  it('a frozen database (its backends stopped): calls time out as transient, nothing hangs, work resumes', { timeout: 30_000 }, async (t) => {
    if (!server.restart || process.platform !== 'linux') return t.skip('needs our own local server to freeze');
    const url = await server.createDatabase();
    const dbName = new URL(url).pathname.slice(1);
    const store = new PostgresStore(url, { queryTimeoutMs: 300, connectTimeoutMs: 1000, poolSize: 2 });
    const admin = new pg.Client({ connectionString: server.adminUrl });
    let frozen: number[] = [];
    try {
      await store.migrate();
      const [id] = await seedPending(store, [T0]);
      assert.ok(id);
      await admin.connect();
      const { rows } = await admin.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`,
        [dbName],
      );
      frozen = rows.map((r: { pid: number }) => r.pid);
      assert.ok(frozen.length >= 1, 'the store holds idle connections');
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
      await assert.rejects(store.claim(claimReq(id)), isStoreError('E_STORE_UNAVAILABLE', true));
      for (const pid of frozen.splice(0)) process.kill(pid, 'SIGCONT');
      // The timed-out transaction never committed; the dropped connection was not reused.
      const again = await store.claim(claimReq(id));
      assert.ok(again.ok);
      assert.equal(again.occurrence.fence, 1);
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
      await admin.end();
      await store.close();
    }
  });

  it('clock skew: PostgreSQL on this host is within a second of our clock; SQLite has no clock (null)', async () => {
    const url = await server.createDatabase();
    const store = new PostgresStore(url);
    const sqlite = new SqliteStore(':memory:');
    try {
      const skew = await measureClockSkew(store, () => Date.now());
      assert.equal(typeof skew, 'number');
      assert.ok(Math.abs(skew ?? Infinity) < 1000, `skew ${skew} ms`);
      // A clock an hour behind (an instance with a wrong clock) shows as the database an hour ahead.
      const behind = await measureClockSkew(store, Date.now() - 3_600_000);
      assert.ok(behind !== null && Math.abs(behind - 3_600_000) < 1000, `skew ${behind} ms`);
      assert.equal(await measureClockSkew(sqlite, Date.now()), null);
    } finally {
      await store.close();
      await sqlite.close();
    }
  });
});
