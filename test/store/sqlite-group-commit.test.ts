// Group commit in the SQLite store: writes issued together share one transaction, each still
// stands or falls on its own, and none is reported done before it is on disk.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const T0 = Date.UTC(2026, 0, 1);

async function withLedger(fn: (path: string, store: SqliteStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'shipclock-group-'));
  const path = join(dir, 'ledger.db');
  const store = new SqliteStore(path);
  try {
    await store.migrate();
    await fn(path, store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('SQLite store: group commit', () => {
  it('writes issued together land together; a write that fails is the only one undone', () =>
    withLedger(async (_path, store) => {
      const results = await Promise.allSettled([
        store.syncJob('a', 'h', T0),
        store.setPaused('ghost', { paused: true, nowMs: T0 }), // no such job: throws inside the group
        store.syncJob('b', 'h', T0),
        store.advance('a', T0, T0 + 60_000, [
          { job: 'a', nominalMs: T0 + 60_000, kind: 'scheduled', trigger: 'on_time', state: 'pending', target: 'a', dueMs: T0 + 60_000 },
        ], T0),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      assert.deepEqual((await store.listJobs()).map((j) => j.name), ['a', 'b']);
      assert.equal((await store.getJob('a'))?.cursorMs, T0 + 60_000);
      assert.equal((await store.live('a')).length, 1);
    }));

  it('a write resolves only once it is committed: another connection sees it at that moment', () =>
    withLedger(async (path, store) => {
      const other = new Database(path, { readonly: true });
      try {
        const count = () => (other.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;
        const pending = Promise.all([store.syncJob('a', 'h', T0), store.syncJob('b', 'h', T0)]);
        // Issued, executed inside the open transaction, not yet committed: invisible outside.
        assert.equal(count(), 0);
        await pending;
        assert.equal(count(), 2);
      } finally {
        other.close();
      }
    }));

  it('two stores on one file in one thread hand the transaction over instead of deadlocking (no SQLITE_BUSY)', () =>
    withLedger(async (path, store) => {
      const second = new SqliteStore(path);
      try {
        // Without the hand-over, the second store's BEGIN would wait synchronously for a commit
        // the first can only make later, and fail with SQLITE_BUSY after the busy timeout.
        await Promise.all([store.syncJob('a', 'h', T0), second.syncJob('b', 'h', T0), store.syncJob('c', 'h', T0)]);
        assert.deepEqual((await second.listJobs()).map((j) => j.name), ['a', 'b', 'c']);
      } finally {
        await second.close();
      }
    }));

  it('an error that rolls the whole transaction back (RAISE(ROLLBACK), as disk full or an I/O error do) fails the writes it undid; later ones land in a new group and are reported landed', () =>
    withLedger(async (path, store) => {
      const setup = new Database(path);
      setup.exec(`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.type = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'simulated abort'); END`);
      setup.close();
      await store.syncJob('x', 'h', T0);
      await store.advance('x', T0, T0 + 60_000, [
        { job: 'x', nominalMs: T0 + 60_000, kind: 'scheduled', trigger: 'on_time', state: 'pending', target: 'x', dueMs: T0 + 60_000 },
      ], T0);
      const [occ] = await store.live('x');
      assert.ok(occ);
      const results = await Promise.allSettled([
        store.syncJob('a', 'h', T0),
        store.appendEvent({ atMs: T0, type: 'boom' }),
        store.claim({ occurrenceId: occ.id, owner: 'me', runId: 'run-1', nowMs: T0, leaseMs: 30_000, targetLock: true, jobExclusive: true }),
        store.syncJob('b', 'h', T0),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'fulfilled', 'fulfilled']);
      // What was reported is what is on disk, seen from another connection.
      const other = new Database(path, { readonly: true });
      try {
        assert.deepEqual((other.prepare('SELECT name FROM jobs ORDER BY name').all() as { name: string }[]).map((r) => r.name), ['b', 'x']);
        assert.deepEqual(other.prepare('SELECT state, owner FROM occurrences WHERE id = ?').get(occ.id), { state: 'running', owner: 'me' });
      } finally {
        other.close();
      }
    }));

  it('close() commits writes still waiting for their group', () =>
    withLedger(async (path, store) => {
      const write = store.syncJob('a', 'h', T0);
      await store.close();
      await write;
      const reopened = new SqliteStore(path);
      try {
        assert.equal((await reopened.getJob('a'))?.name, 'a');
      } finally {
        await reopened.close();
      }
    }));
});
