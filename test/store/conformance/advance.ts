import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MIN, T0, occ, withFixture, type MakeStore } from './fixture.js';

export function advanceTests(make: MakeStore): void {
  describe('advance and insertOccurrence', () => {
    it('advanceMany: each item applies only where its cursor is as expected; results in the items\' order', withFixture(make, async (_f, s) => {
      for (const j of ['a', 'b', 'c']) await s.syncJob(j, 'h1', T0);
      await s.setCursor('b', T0 + 5 * MIN, T0);
      const r = await s.advanceMany(
        [
          { job: 'c', expectCursorMs: T0, newCursorMs: T0 + 2 * MIN, occurrences: [occ({ job: 'c', nominalMs: T0 + 2 * MIN }), occ({ job: 'c', nominalMs: T0 + MIN, state: 'missed' })] },
          { job: 'b', expectCursorMs: T0, newCursorMs: T0 + 2 * MIN, occurrences: [occ({ job: 'b', nominalMs: T0 + 2 * MIN })] },
          { job: 'a', expectCursorMs: T0, newCursorMs: T0 + MIN, occurrences: [occ({ job: 'a', nominalMs: T0 + MIN })] },
          { job: 'ghost', expectCursorMs: T0, newCursorMs: T0 + MIN, occurrences: [occ({ job: 'ghost', nominalMs: T0 + MIN })] },
        ],
        T0 + 3 * MIN,
      );
      assert.deepEqual(r.map((x) => x.applied), [true, false, true, false]);
      assert.deepEqual(r[0]?.inserted.map((o) => [o.job, o.nominalMs, o.state]), [['c', T0 + 2 * MIN, 'pending'], ['c', T0 + MIN, 'missed']]);
      assert.deepEqual(r[1]?.inserted, []);
      assert.deepEqual(r[2]?.inserted.map((o) => o.job), ['a']);
      assert.equal((await s.getJob('b'))?.cursorMs, T0 + 5 * MIN, 'an unexpected cursor is left alone');
      assert.equal((await s.getJob('c'))?.cursorMs, T0 + 2 * MIN);
      assert.equal((await s.listOccurrences({ job: 'b' })).length, 0);
      assert.deepEqual(await s.advanceMany([], T0), []);
    }));

    it('advanceMany refuses a job named twice in one call, recording nothing', withFixture(make, async (_f, s) => {
      await s.syncJob('a', 'h1', T0);
      await s.syncJob('b', 'h1', T0);
      await assert.rejects(
        s.advanceMany(
          [
            { job: 'b', expectCursorMs: T0, newCursorMs: T0 + MIN, occurrences: [occ({ job: 'b', nominalMs: T0 + MIN })] },
            { job: 'a', expectCursorMs: T0, newCursorMs: T0 + MIN, occurrences: [occ({ job: 'a', nominalMs: T0 + MIN })] },
            { job: 'a', expectCursorMs: T0 + MIN, newCursorMs: T0 + 2 * MIN, occurrences: [occ({ job: 'a', nominalMs: T0 + 2 * MIN })] },
          ],
          T0 + 3 * MIN,
        ),
        /job "a" appears more than once/,
      );
      assert.equal((await s.getJob('a'))?.cursorMs, T0);
      assert.equal((await s.getJob('b'))?.cursorMs, T0);
      assert.equal((await s.listOccurrences({})).length, 0);
    }));

    it('records the occurrences and moves the cursor when the cursor is as expected', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      const rows = [
        occ({ nominalMs: T0 + MIN, dueMs: T0 + MIN + 500, detail: { jitterMs: 500, nested: { a: [1, 2] } } }),
        occ({ nominalMs: T0 + 2 * MIN, state: 'missed', reason: 'downtime', trigger: 'catch_up' }),
        occ({ nominalMs: T0 + 3 * MIN, state: 'missed', reason: 'span', spanEndMs: T0 + 9 * MIN, spanCount: 7 }),
      ];
      const r = await s.advance('web', T0, T0 + 9 * MIN, rows, T0 + 10 * MIN);
      assert.equal(r.applied, true);
      assert.deepEqual(r.inserted.map((o) => o.nominalMs), [T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
      const [a, b, c] = r.inserted;
      assert.ok(a && b && c);
      assert.equal(typeof a.id, 'string');
      assert.notEqual(a.id, b.id);
      assert.deepEqual(
        { ...a, id: 'x' },
        {
          id: 'x', job: 'web', nominalMs: T0 + MIN, kind: 'scheduled', trigger: 'on_time', state: 'pending', reason: null,
          target: 'target-web', dueMs: T0 + MIN + 500, spanEndMs: null, spanCount: null, createdMs: T0 + 10 * MIN,
          startedMs: null, endedMs: null, runId: null, fence: 0, owner: null, leaseUntilMs: null, attempts: 0,
          errorClass: null, message: null, requestedBy: null, force: false, detail: { jitterMs: 500, nested: { a: [1, 2] } },
        },
      );
      // A row born terminal is ended when it is recorded.
      assert.equal(b.state, 'missed');
      assert.equal(b.reason, 'downtime');
      assert.equal(b.trigger, 'catch_up');
      assert.equal(b.endedMs, T0 + 10 * MIN);
      assert.equal(c.spanEndMs, T0 + 9 * MIN);
      assert.equal(c.spanCount, 7);
      assert.equal((await s.getJob('web'))?.cursorMs, T0 + 9 * MIN);
      assert.equal((await s.getJob('web'))?.updatedMs, T0 + 10 * MIN);
      assert.deepEqual(await s.getOccurrence(a.id), a);
    }));

    it('refuses a stale cursor: nothing inserted, cursor unchanged', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      assert.equal((await s.advance('web', T0, T0 + MIN, [occ({ nominalMs: T0 + MIN })], T0)).applied, true);
      const stale = await s.advance('web', T0, T0 + 2 * MIN, [occ({ nominalMs: T0 + 2 * MIN })], T0);
      assert.deepEqual(stale, { applied: false, inserted: [] });
      assert.equal((await s.getJob('web'))?.cursorMs, T0 + MIN);
      assert.equal(await s.findOccurrence('web', T0 + 2 * MIN), null);
      assert.equal((await s.listOccurrences()).length, 1);
    }));

    it('refuses to advance a job that is not registered', withFixture(make, async (_f, s) => {
      const r = await s.advance('ghost', T0, T0 + MIN, [occ({ job: 'ghost', nominalMs: T0 + MIN })], T0);
      assert.deepEqual(r, { applied: false, inserted: [] });
      assert.deepEqual(await s.listOccurrences(), []);
    }));

    it('leaves an existing (job, kind, nominal) row alone and reports only new rows', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      const first = await s.advance('web', T0, T0 + MIN, [occ({ nominalMs: T0 + MIN, reason: 'first' })], T0);
      const original = first.inserted[0];
      assert.ok(original);
      const again = await s.advance(
        'web',
        T0 + MIN,
        T0 + 2 * MIN,
        [occ({ nominalMs: T0 + MIN, state: 'missed', reason: 'second' }), occ({ nominalMs: T0 + 2 * MIN })],
        T0 + 5,
      );
      assert.equal(again.applied, true);
      assert.deepEqual(again.inserted.map((o) => o.nominalMs), [T0 + 2 * MIN]);
      assert.deepEqual(await s.findOccurrence('web', T0 + MIN), original);
      // The same batch naming one key twice keeps the first.
      const twice = await s.advance('web', T0 + 2 * MIN, T0 + 3 * MIN, [
        occ({ nominalMs: T0 + 3 * MIN, reason: 'a' }),
        occ({ nominalMs: T0 + 3 * MIN, reason: 'b' }),
      ], T0);
      assert.deepEqual(twice.inserted.map((o) => o.reason), ['a']);
    }));

    it('treats kind as part of the identity: a manual run may share a scheduled nominal time', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      await s.advance('web', T0, T0 + MIN, [occ({ nominalMs: T0 + MIN })], T0);
      const manual = await s.insertOccurrence(
        occ({ nominalMs: T0 + MIN, kind: 'manual', trigger: 'manual', requestedBy: 'ana', force: true }),
        T0 + 2 * MIN,
      );
      assert.ok(manual);
      assert.equal(manual.kind, 'manual');
      assert.equal(manual.requestedBy, 'ana');
      assert.equal(manual.force, true);
      assert.equal(manual.createdMs, T0 + 2 * MIN);
      assert.equal(await s.insertOccurrence(occ({ nominalMs: T0 + MIN, kind: 'manual', trigger: 'manual' }), T0), null);
      assert.equal((await s.findOccurrence('web', T0 + MIN, 'manual'))?.id, manual.id);
      assert.equal((await s.findOccurrence('web', T0 + MIN))?.kind, 'scheduled');
      assert.equal(await s.findOccurrence('web', T0 + MIN, 'backfill'), null);
    }));

    it('records a large catch-up batch in one call, in the order given', withFixture(make, async (_f, s) => {
      await s.syncJob('web', 'h1', T0);
      const batch = Array.from({ length: 2500 }, (_, i) => occ({ nominalMs: T0 + (2500 - i) * 1000, state: 'missed', reason: 'r' }));
      const r = await s.advance('web', T0, T0 + 2500 * 1000, batch, T0);
      assert.equal(r.inserted.length, 2500);
      assert.deepEqual(r.inserted.map((o) => o.nominalMs), batch.map((o) => o.nominalMs));
    }));
  });
}
