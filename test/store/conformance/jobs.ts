import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MIN, T0, withFixture, type MakeStore } from './fixture.js';

export function jobTests(make: MakeStore): void {
  describe('jobs', () => {
    it('syncJob registers a new job with its cursor at now; getJob and listJobs return it', withFixture(make, async (_f, s) => {
      const j = await s.syncJob('web', 'h1', T0);
      assert.deepEqual(j, {
        name: 'web', timingHash: 'h1', cursorMs: T0, paused: false, pausedNote: null, pausedBy: null,
        pausedAtMs: null, pausedUntilMs: null, createdMs: T0, updatedMs: T0,
      });
      await s.syncJob('api', 'h2', T0 + 1);
      assert.deepEqual(await s.getJob('web'), j);
      assert.deepEqual((await s.listJobs()).map((x) => x.name), ['api', 'web']);
      assert.equal(await s.getJob('nope'), null);
    }));

    it('getJobs returns the records of the named jobs that exist, in one read', withFixture(make, async (_f, s) => {
      for (const name of ['a', 'b', 'c', "o'brien"]) await s.syncJob(name, 'h', T0);
      const got = await s.getJobs(['c', 'nope', "o'brien", 'a']);
      assert.deepEqual(got.map((j) => j.name).sort(), ['a', 'c', "o'brien"]);
      assert.deepEqual(got.find((j) => j.name === 'a'), await s.getJob('a'));
      assert.deepEqual(await s.getJobs([]), []);
      const many = Array.from({ length: 2_000 }, (_, i) => `job-${i}`);
      assert.equal((await s.getJobs(many)).length, 0);
    }));

    it('syncJob with the same timing hash leaves the cursor; a new hash moves it to now, never back', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      await s.setCursor('web', T0 + 10 * MIN, T0);
      const same = await s.syncJob('web', 'h1', T0 + 20 * MIN);
      assert.equal(same.cursorMs, T0 + 10 * MIN);
      assert.equal(same.timingHash, 'h1');
      const changed = await s.syncJob('web', 'h2', T0 + 30 * MIN);
      assert.equal(changed.cursorMs, T0 + 30 * MIN);
      assert.equal(changed.timingHash, 'h2');
      assert.equal(changed.updatedMs, T0 + 30 * MIN);
      assert.equal(changed.createdMs, T0);
      // A change seen with a clock behind the cursor keeps the cursor (times are never replayed).
      await s.setCursor('web', T0 + 60 * MIN, T0);
      const behind = await s.syncJob('web', 'h3', T0 + 40 * MIN);
      assert.equal(behind.cursorMs, T0 + 60 * MIN);
      assert.equal(behind.timingHash, 'h3');
    }));

    it('deleteJob forgets a job without live occurrences, keeps its history, and refuses while one is live', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      const occ = await s.insertOccurrence({ job: 'web', nominalMs: T0, kind: 'scheduled', trigger: 'on_time', state: 'pending', target: 'web', dueMs: T0 }, T0);
      assert.equal(await s.deleteJob('web'), false, 'refused while an occurrence is pending');
      await s.settle(occ!.id, { state: 'missed', nowMs: T0 + MIN });
      assert.equal(await s.deleteJob('web'), true);
      assert.equal(await s.getJob('web'), null);
      assert.equal((await s.listOccurrences({ job: 'web' })).length, 1, 'the ledger keeps its history');
      assert.equal(await s.deleteJob('web'), false, 'nothing left to delete');
    }));

    it('setPaused records who, why and until when; unpausing clears them', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      const p = await s.setPaused('web', { paused: true, note: 'freeze', by: 'ana', untilMs: T0 + 60 * MIN, nowMs: T0 + MIN });
      assert.equal(p.paused, true);
      assert.equal(p.pausedNote, 'freeze');
      assert.equal(p.pausedBy, 'ana');
      assert.equal(p.pausedAtMs, T0 + MIN);
      assert.equal(p.pausedUntilMs, T0 + 60 * MIN);
      assert.equal(p.updatedMs, T0 + MIN);
      const u = await s.setPaused('web', { paused: false, nowMs: T0 + 2 * MIN });
      assert.equal(u.paused, false);
      assert.equal(u.pausedNote, null);
      assert.equal(u.pausedBy, null);
      assert.equal(u.pausedAtMs, null);
      assert.equal(u.pausedUntilMs, null);
      assert.deepEqual(await s.getJob('web'), u);
    }));

    it('setPaused on an unknown job fails with E_STORE_UNKNOWN_JOB', withFixture(make, async (_f, s) => {
      await assert.rejects(s.setPaused('ghost', { paused: true, nowMs: T0 }), (e: unknown) => {
        assert.equal((e as { code?: unknown }).code, 'E_STORE_UNKNOWN_JOB');
        return true;
      });
    }));

    it('setCursor moves the cursor either way without recording occurrences', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      await s.setCursor('web', T0 + 5 * MIN, T0 + MIN);
      assert.equal((await s.getJob('web'))?.cursorMs, T0 + 5 * MIN);
      await s.setCursor('web', T0 + 2 * MIN, T0 + MIN);
      assert.equal((await s.getJob('web'))?.cursorMs, T0 + 2 * MIN);
      assert.deepEqual(await s.listOccurrences(), []);
    }));
  });
}
