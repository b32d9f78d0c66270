// The database clock (DESIGN.md §7) against a real embedded PostgreSQL: the local clock is a
// fake one set minutes off, the database's clock is the real one.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DbClock, SKEW_INTERVAL_MS, clockForStore, type SkewReading } from '../../src/app/db-clock.js';
import { measureClockSkew } from '../../src/store/clock-skew.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let server: TestPostgres;
before(async () => {
  server = await startTestPostgres();
});
after(async () => {
  await server?.stop();
});

async function pgStore(): Promise<Store> {
  return openStore({ kind: 'postgres', location: await server.createDatabase() });
}

describe('DbClock: the database decides what time it is', () => {
  it('a local clock 5 minutes slow reads the database time, and warns once', async () => {
    const store = await pgStore();
    const base = new FakeClock(Date.now() - 5 * 60_000);
    const warnings: SkewReading[] = [];
    const clock = new DbClock({ base, measure: () => measureClockSkew(store, () => base.now()), onSkew: (r) => warnings.push(r) });
    try {
      await clock.start();
      // The fake base stands still while the real database moves on: allow the test's own run time.
      const dbNow = await (store as unknown as { databaseNowMs(): Promise<number> }).databaseNowMs();
      assert.ok(Math.abs(clock.now() - dbNow) < 2_000, `now() ${clock.now()} is the database's ${dbNow}`);
      assert.ok(clock.skewMs > 4 * 60_000, `skew ${clock.skewMs} ms measured`);
      assert.equal(warnings.length, 1, 'one clock-skew warning');
      assert.ok(warnings[0]!.skewMs > 4 * 60_000);
      await clock.measure();
      assert.equal(warnings.length, 1, 'the same skew is not warned again');
    } finally {
      await clock.stop();
      await store.close();
    }
  });

  it('a small skew is applied without a warning; SQLite gets no database clock', async () => {
    const store = await pgStore();
    const base = new FakeClock(Date.now() + 3_000);
    const warnings: SkewReading[] = [];
    const clock = clockForStore(store, (localNow) => measureClockSkew(store, localNow), base, { onSkew: (r) => warnings.push(r) });
    assert.ok(clock, 'PostgreSQL gets a DbClock');
    try {
      await clock.start();
      assert.ok(clock.skewMs < -2_000 && clock.skewMs > -10_000, `skew ${clock.skewMs}`);
      assert.equal(warnings.length, 0);
    } finally {
      await clock.stop();
      await store.close();
    }
    const dir = await mkdtemp(join(tmpdir(), 'shipclock-dbclock-'));
    const sqlite = await openStore({ kind: 'sqlite', location: join(dir, 'ledger.db') });
    try {
      assert.equal(clockForStore(sqlite, (n) => measureClockSkew(sqlite, n), base), null);
    } finally {
      await sqlite.close();
    }
  });

  it('sleepUntil waits on the local clock translated by the offset; re-measures every 30 s', async () => {
    const base = new FakeClock(1_000_000);
    let skew = 60_000;
    let measured = 0;
    const clock = new DbClock({ base, measure: async () => (measured++, skew), warnMs: 10 * 60_000 });
    await clock.start();
    assert.equal(clock.now(), 1_060_000);
    let woke = false;
    const sleeping = clock.sleepUntil(1_065_000).then(() => (woke = true));
    await base.advance(4_999);
    assert.equal(woke, false, 'not before the database time is reached');
    await base.advance(1);
    await sleeping;
    assert.equal(woke, true);
    skew = 120_000;
    await base.advance(SKEW_INTERVAL_MS);
    await base.flush();
    assert.equal(measured, 2, 'measured again after the interval');
    assert.equal(clock.now(), base.now() + 120_000);
    await clock.stop();
  });

  it('a step of the local wall clock moves nothing until the next reading, which warns', async () => {
    const base = new FakeClock(1_000_000);
    let local = 0; // what the database would measure: minus the local step
    const warnings: SkewReading[] = [];
    const clock = new DbClock({ base, measure: async () => -local, onSkew: (r) => warnings.push(r) });
    await clock.measure(); // no periodic loop here: the test decides when readings happen
    await base.advance(1_000);
    assert.equal(clock.now(), 1_001_000);
    await base.jumpTo(base.now() + 5 * 60_000); // the machine's clock is set 5 minutes ahead
    local = 5 * 60_000;
    assert.equal(clock.now(), 1_001_000, 'the jump is not seen: time runs on the monotonic clock');
    await base.advance(500);
    assert.equal(clock.now(), 1_001_500);
    await clock.measure();
    assert.equal(clock.now(), 1_001_500, 'the new reading agrees with the database');
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0]!.skewMs <= -5 * 60_000);
    await clock.stop();
  });

  it('while the database is down the last offset stays; it is measured again when it is back', async () => {
    if (!server.restart) return; // DATABASE_URL: not our server to stop
    const store = await pgStore();
    const base = new FakeClock(Date.now() - 2 * 60_000);
    const errors: unknown[] = [];
    const clock = new DbClock({ base, measure: () => measureClockSkew(store, () => base.now()), onError: (e) => errors.push(e) });
    try {
      await clock.start();
      const before = clock.skewMs;
      await server.restart(async () => {
        assert.equal(await clock.measure(), null, 'no reading while the server is stopped');
      });
      assert.equal(errors.length, 1, 'the failure is reported');
      assert.equal(clock.skewMs, before, 'the last offset is kept');
      const again = await clock.measure();
      assert.ok(again !== null && again > 60_000, 'measured again after the restart');
    } finally {
      await clock.stop();
      await store.close();
    }
  });
});
