import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { T0, withFixture, type MakeStore } from './fixture.js';

export function eventAndLockTests(make: MakeStore): void {
  describe('events and named locks', () => {
    it('appendEvent keeps events; listEvents filters by job, type and [from, to), newest first', withFixture(make, async (_f, s) => {
      await s.appendEvent({ atMs: T0, job: 'web', type: 'occurrence:due', data: { n: 1, list: ['a'] } });
      await s.appendEvent({ atMs: T0 + 1, job: 'web', occurrenceId: 'o-1', type: 'run:started' });
      await s.appendEvent({ atMs: T0 + 2, job: 'api', type: 'run:started', data: null });
      await s.appendEvent({ atMs: T0 + 3, type: 'instance:start' });
      const all = await s.listEvents();
      assert.deepEqual(all.map((e) => e.atMs - T0), [3, 2, 1, 0]);
      assert.ok(all.every((e, i) => i === 0 || (all[i - 1]?.id ?? 0) > e.id), 'ids increase with insertion');
      const first = all[3];
      assert.deepEqual({ ...first, id: 0 }, { id: 0, atMs: T0, job: 'web', occurrenceId: null, type: 'occurrence:due', data: { n: 1, list: ['a'] } });
      assert.equal(all[2]?.occurrenceId, 'o-1');
      assert.equal(all[0]?.job, null);
      assert.deepEqual((await s.listEvents({ job: 'web' })).map((e) => e.atMs - T0), [1, 0]);
      assert.deepEqual((await s.listEvents({ type: 'run:started' })).map((e) => e.job), ['api', 'web']);
      assert.deepEqual((await s.listEvents({ fromMs: T0 + 1, toMs: T0 + 3 })).map((e) => e.atMs - T0), [2, 1]);
      assert.deepEqual((await s.listEvents({ limit: 1 })).map((e) => e.atMs - T0), [3]);
    }));

    it('a named lock is held by one owner until it expires; the owner renews and releases it', withFixture(make, async (_f, s) => {
      assert.equal(await s.lockHolder('scheduler'), null);
      assert.equal(await s.acquireLock('scheduler', 'a', T0 + 30_000, T0, { pid: 1 }), true);
      assert.deepEqual(await s.lockHolder('scheduler'), { owner: 'a', untilMs: T0 + 30_000, info: { pid: 1 } });
      assert.equal(await s.acquireLock('scheduler', 'b', T0 + 40_000, T0 + 10_000), false);
      assert.equal(await s.acquireLock('scheduler', 'b', T0 + 40_000, T0 + 30_000), false, 'held through its until instant');
      assert.equal(await s.acquireLock('scheduler', 'a', T0 + 60_000, T0 + 20_000), true, 'the holder renews');
      assert.deepEqual(await s.lockHolder('scheduler'), { owner: 'a', untilMs: T0 + 60_000, info: null });
      assert.equal(await s.acquireLock('scheduler', 'b', T0 + 90_000, T0 + 60_001, { pid: 2 }), true, 'expired: taken over');
      assert.equal((await s.lockHolder('scheduler'))?.owner, 'b');
      await s.releaseLock('scheduler', 'a');
      assert.equal((await s.lockHolder('scheduler'))?.owner, 'b', 'only the holder releases');
      await s.releaseLock('scheduler', 'b');
      assert.equal(await s.lockHolder('scheduler'), null);
      assert.equal(await s.acquireLock('scheduler', 'c', T0 + 1, T0), true);
      assert.equal(await s.acquireLock('other', 'd', T0 + 1, T0), true, 'locks are independent by name');
    }));
  });
}
