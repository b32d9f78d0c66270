import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { claimReq } from './claims.js';
import { MIN, T0, occ, seedPending, withFixture, type MakeStore } from './fixture.js';

export function queryTests(make: MakeStore): void {
  describe('queries', () => {
    it('findCovering finds the exact row first (scheduled before manual), else a span row, else null', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      await s.advance('web', T0, T0 + 60 * MIN, [
        occ({ nominalMs: T0 + MIN }),
        occ({ nominalMs: T0 + 10 * MIN, state: 'missed', reason: 'down', spanEndMs: T0 + 20 * MIN, spanCount: 11 }),
        occ({ nominalMs: T0 + 30 * MIN, state: 'missed', reason: 'down', spanEndMs: T0 + 40 * MIN, spanCount: 11 }),
      ], T0);
      await s.insertOccurrence(occ({ nominalMs: T0 + MIN, kind: 'manual', trigger: 'manual' }), T0);
      await s.insertOccurrence(occ({ nominalMs: T0 + 2 * MIN, kind: 'manual', trigger: 'manual' }), T0);
      assert.equal((await s.findCovering('web', T0 + MIN))?.kind, 'scheduled');
      assert.equal((await s.findCovering('web', T0 + 2 * MIN))?.kind, 'manual');
      assert.equal((await s.findCovering('web', T0 + 10 * MIN))?.nominalMs, T0 + 10 * MIN);
      assert.equal((await s.findCovering('web', T0 + 15 * MIN))?.nominalMs, T0 + 10 * MIN);
      assert.equal((await s.findCovering('web', T0 + 20 * MIN))?.nominalMs, T0 + 10 * MIN, 'span end is inclusive');
      assert.equal((await s.findCovering('web', T0 + 35 * MIN))?.nominalMs, T0 + 30 * MIN);
      assert.equal(await s.findCovering('web', T0 + 25 * MIN), null);
      assert.equal(await s.findCovering('api', T0 + 15 * MIN), null);
    }));

    it('listOccurrences filters by job, states, kinds and [from, to), orders and limits', withFixture(make, async (_f, s) => {
      await seedPending(s, [T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN]);
      await seedPending(s, [T0 + 2 * MIN], { job: 'api', target: 'api' });
      await s.insertOccurrence(occ({ nominalMs: T0 + 2 * MIN, kind: 'backfill', trigger: 'backfill', state: 'missed' }), T0 + 1);
      const web3 = await s.findOccurrence('web', T0 + 3 * MIN);
      assert.ok(web3);
      await s.settle(web3.id, { state: 'skipped_overlap', nowMs: T0 });
      const key = (o: { job: string; nominalMs: number; kind: string }) => `${o.job}@${(o.nominalMs - T0) / MIN}${o.kind === 'scheduled' ? '' : `/${o.kind}`}`;
      assert.deepEqual((await s.listOccurrences()).map(key).slice(0, 2), ['web@4', 'web@3']);
      assert.equal((await s.listOccurrences()).length, 6);
      assert.deepEqual((await s.listOccurrences({ job: 'web', order: 'asc' })).map(key), ['web@1', 'web@2', 'web@2/backfill', 'web@3', 'web@4']);
      assert.deepEqual((await s.listOccurrences({ job: 'api' })).map(key), ['api@2']);
      assert.deepEqual((await s.listOccurrences({ states: ['skipped_overlap', 'missed'], order: 'asc' })).map(key), ['web@2/backfill', 'web@3']);
      assert.deepEqual((await s.listOccurrences({ kinds: ['backfill'] })).map(key), ['web@2/backfill']);
      assert.deepEqual(
        (await s.listOccurrences({ job: 'web', kinds: ['scheduled'], fromMs: T0 + 2 * MIN, toMs: T0 + 4 * MIN, order: 'asc' })).map(key),
        ['web@2', 'web@3'],
      );
      assert.deepEqual((await s.listOccurrences({ job: 'web', limit: 2 })).map(key), ['web@4', 'web@3']);
      assert.deepEqual((await s.listOccurrences({ states: [] })).length, 6, 'an empty list does not filter');
    }));

    it('duePending lists pending rows due by now, oldest due first; nextPendingDue the earliest', withFixture(make, async (_f, s) => {
      assert.equal(await s.nextPendingDue(), null);
      await s.syncJob('web', 'h1', T0);
      await s.advance('web', T0, T0 + 10 * MIN, [
        occ({ nominalMs: T0 + MIN, dueMs: T0 + 5 * MIN }),
        occ({ nominalMs: T0 + 2 * MIN, dueMs: T0 + 2 * MIN }),
        occ({ nominalMs: T0 + 3 * MIN, dueMs: T0 + 3 * MIN, state: 'missed' }),
        occ({ nominalMs: T0 + 4 * MIN, dueMs: T0 + 9 * MIN }),
      ], T0);
      const at = async (now: number, limit?: number) => (await s.duePending(now, limit)).map((o) => (o.nominalMs - T0) / MIN);
      assert.deepEqual(await at(T0 + MIN), []);
      assert.deepEqual(await at(T0 + 2 * MIN), [2]);
      assert.deepEqual(await at(T0 + 5 * MIN), [2, 1]);
      assert.deepEqual(await at(T0 + 60 * MIN), [2, 1, 4]);
      assert.deepEqual(await at(T0 + 60 * MIN, 1), [2]);
      assert.equal(await s.nextPendingDue(), T0 + 2 * MIN);
      const two = await s.findOccurrence('web', T0 + 2 * MIN);
      assert.ok(two);
      await s.claim(claimReq(two.id));
      assert.equal(await s.nextPendingDue(), T0 + 5 * MIN);
      assert.deepEqual(await at(T0 + 60 * MIN), [1, 4]);
    }));

    it('live lists pending and running rows, of one job or all; latest finds the newest', withFixture(make, async (_f, s) => {
      const [a, b, c] = await seedPending(s, [T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
      const [d] = await seedPending(s, [T0 + MIN], { job: 'api', target: 'api' });
      assert.ok(a && b && c && d);
      await s.claim(claimReq(a));
      await s.settle(b, { state: 'cancelled', nowMs: T0 });
      assert.deepEqual((await s.live('web')).map((o) => o.id).sort(), [a, c].sort());
      assert.deepEqual((await s.live()).map((o) => o.id).sort(), [a, c, d].sort());
      assert.deepEqual((await s.liveOf(['api', 'ghost'])).map((o) => o.id), [d]);
      assert.deepEqual((await s.liveOf(['web', 'api'])).map((o) => o.id).sort(), [a, c, d].sort());
      assert.deepEqual(await s.liveOf([]), []);
      assert.equal((await s.latest('web'))?.id, c);
      assert.equal((await s.latest('web', ['running', 'cancelled']))?.id, b);
      assert.equal((await s.latest('web', ['running']))?.id, a);
      assert.equal(await s.latest('web', ['succeeded']), null);
      assert.equal(await s.latest('ghost'), null);
    }));

    it('attempts: begin once per number, record the handle, end once; the occurrence counts them', withFixture(make, async (_f, s) => {
      const [id] = await seedPending(s, [T0 + MIN]);
      assert.ok(id);
      await s.claim(claimReq(id));
      await s.beginAttempt(id, { number: 1, fence: 1, owner: 'i1', startedMs: T0 + 1, logPath: '/tmp/l1' });
      await s.beginAttempt(id, { number: 1, fence: 9, owner: 'other', startedMs: T0 + 99, logPath: null });
      await s.recordHandle(id, 1, { id: 'dep-1', details: { revision: 'r7' } });
      await s.endAttempt(id, 1, { endedMs: T0 + 5, outcome: 'failed', errorClass: 'transient', message: 'throttled' });
      await s.endAttempt(id, 1, { endedMs: T0 + 6, outcome: 'succeeded', errorClass: null, message: null });
      await s.beginAttempt(id, { number: 2, fence: 1, owner: 'i1', startedMs: T0 + 10, logPath: null });
      assert.equal((await s.getOccurrence(id))?.attempts, 2);
      const [one, two] = await s.listAttempts(id);
      assert.deepEqual(one, {
        occurrenceId: id, number: 1, fence: 1, owner: 'i1', startedMs: T0 + 1, endedMs: T0 + 5, outcome: 'failed',
        errorClass: 'transient', message: 'throttled', handleId: 'dep-1', handle: { id: 'dep-1', details: { revision: 'r7' } },
        logPath: '/tmp/l1',
      });
      assert.equal(two?.number, 2);
      assert.equal(two?.outcome, null);
      assert.equal(two?.endedMs, null);
      assert.deepEqual(await s.listAttempts('nope'), []);
    }));
  });
}
