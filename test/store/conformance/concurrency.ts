import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Store } from '../../../src/store/types.js';
import { claimReq } from './claims.js';
import { MIN, T0, occ, seedPending, withFixture, type MakeStore, type StoreFixture } from './fixture.js';

const INSTANCES = 6;
const ROUNDS = 8;

async function instances(f: StoreFixture): Promise<Store[]> {
  return [f.store, ...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => f.openAnother())))];
}

export function concurrencyTests(make: MakeStore): void {
  describe('several instances on one database', () => {
    it(`${INSTANCES} instances claiming one occurrence at once: exactly one wins, fence 1`, withFixture(make, async (f, s) => {
      const all = await instances(f);
      const ids = await seedPending(s, Array.from({ length: ROUNDS }, (_, i) => T0 + i * MIN), { job: 'web' });
      for (const id of ids) {
        const results = await Promise.all(
          all.map((st, i) => st.claim(claimReq(id, { owner: `i${i}`, runId: `r${i}`, jobExclusive: false, targetLock: false }))),
        );
        const winners = results.filter((r) => r.ok);
        assert.equal(winners.length, 1, `one winner for ${id}`);
        assert.ok(results.every((r) => r.ok || r.reason === 'state'), 'losers are refused on state');
        const row = await s.getOccurrence(id);
        assert.equal(row?.fence, 1);
        assert.equal(row?.owner, winners[0]?.ok ? winners[0].occurrence.owner : 'none');
      }
    }));

    it('instances claiming different runs of one target at once: one holds the target lock', withFixture(make, async (f, s) => {
      const all = await instances(f);
      for (let round = 0; round < ROUNDS; round++) {
        const target = `prod-${round}`;
        const ids: string[] = [];
        for (let i = 0; i < all.length; i++) {
          const [id] = await seedPending(s, [T0 + round * MIN], { job: `job-${round}-${i}`, target });
          assert.ok(id);
          ids.push(id);
        }
        const results = await Promise.all(all.map((st, i) => st.claim(claimReq(ids[i]!, { owner: `i${i}`, nowMs: T0 }))));
        assert.equal(results.filter((r) => r.ok).length, 1, `round ${round}: one run on ${target}`);
        assert.ok(results.every((r) => r.ok || r.reason === 'target'), 'losers are refused on the target');
      }
    }));

    it('instances claiming different occurrences of one exclusive job at once: one runs', withFixture(make, async (f, s) => {
      const all = await instances(f);
      for (let round = 0; round < ROUNDS; round++) {
        const job = `job-${round}`;
        const ids = await seedPending(s, all.map((_, i) => T0 + i * MIN), { job, target: `t-${round}` });
        const results = await Promise.all(
          all.map((st, i) => st.claim(claimReq(ids[i]!, { owner: `i${i}`, nowMs: T0, targetLock: false }))),
        );
        assert.equal(results.filter((r) => r.ok).length, 1, `round ${round}: one run of ${job}`);
        assert.ok(results.every((r) => r.ok || r.reason === 'job'), 'losers are refused on the job');
      }
    }));

    it('instances advancing the same cursor at once: exactly one applies, its rows alone are recorded', withFixture(make, async (f, s) => {
      const all = await instances(f);
      await s.syncJob('web', 'h1', T0);
      let cursor = T0;
      for (let round = 0; round < ROUNDS; round++) {
        const next = cursor + MIN;
        const results = await Promise.all(
          all.map((st, i) => st.advance('web', cursor, next, [occ({ nominalMs: next, reason: `by i${i}` })], T0 + round)),
        );
        const applied = results.map((r, i) => (r.applied ? i : -1)).filter((i) => i >= 0);
        assert.equal(applied.length, 1, `round ${round}: one advance applied`);
        assert.ok(results.every((r) => r.applied || r.inserted.length === 0), 'refused advances insert nothing');
        const rows = await s.listOccurrences({ job: 'web', fromMs: next, toMs: next + 1 });
        assert.deepEqual(rows.map((o) => o.reason), [`by i${applied[0]}`]);
        assert.equal((await s.getJob('web'))?.cursorMs, next);
        cursor = next;
      }
    }));

    it('instances advancing many jobs at once (advanceMany): each time recorded once, by whoever moved that job', withFixture(make, async (f, s) => {
      const all = await instances(f);
      const jobs = Array.from({ length: 40 }, (_, i) => `job-${String(i).padStart(2, '0')}`);
      for (const j of jobs) await s.syncJob(j, 'h1', T0);
      let cursor = T0;
      for (let round = 0; round < 3; round++) {
        const next = cursor + MIN;
        // Each instance lists the jobs in its own order, as the scheduler's instances do.
        const results = await Promise.all(
          all.map((st, i) => {
            const mine = [...jobs.slice(i * 7 % jobs.length), ...jobs.slice(0, i * 7 % jobs.length)];
            const items = mine.map((job) => ({ job, expectCursorMs: cursor, newCursorMs: next, occurrences: [occ({ job, nominalMs: next, reason: `by i${i}` })] }));
            return st.advanceMany(items, T0 + round).then((r) => r.map((x, n) => ({ ...x, job: mine[n]!, by: `by i${i}` })));
          }),
        );
        const flat = results.flat();
        for (const j of jobs) {
          const rows = await s.listOccurrences({ job: j, fromMs: next, toMs: next + 1 });
          assert.equal(rows.length, 1, `round ${round}: ${j} recorded once`);
          const movers = flat.filter((r) => r.job === j && r.applied);
          assert.ok(movers.length <= 1, `round ${round}: ${j} moved by at most one instance`);
          // Every instance expected the same cursor, so whoever locked the row first moved it.
          assert.equal(movers.length, 1, `round ${round}: ${j} moved by one instance`);
          assert.equal(rows[0]?.reason, movers[0]?.by);
          assert.deepEqual(movers[0]?.inserted.map((o) => o.id), [rows[0]?.id]);
          assert.equal((await s.getJob(j))?.cursorMs, next);
        }
        assert.ok(flat.every((r) => r.applied || r.inserted.length === 0), 'refused items insert nothing');
        cursor = next;
      }
    }));

    it('instances taking over one expired run at once: one returns it, one claims it with fence 2', withFixture(make, async (f, s) => {
      const all = await instances(f);
      const ids = await seedPending(s, Array.from({ length: ROUNDS }, (_, i) => T0 + i * MIN));
      for (const id of ids) {
        assert.ok((await s.claim(claimReq(id, { owner: 'dead', nowMs: T0, jobExclusive: false, targetLock: false }))).ok, 'first claim');
        const later = T0 + 31_000;
        const reset = await Promise.all(
          all.map((st) => st.settle(id, { state: 'pending', from: ['running'], fence: 1, nowMs: later, reason: 'lease expired' })),
        );
        assert.equal(reset.filter(Boolean).length, 1);
        const claims = await Promise.all(
          all.map((st, i) => st.claim(claimReq(id, { owner: `i${i}`, nowMs: later, jobExclusive: false, targetLock: false }))),
        );
        assert.equal(claims.filter((r) => r.ok).length, 1);
        assert.equal((await s.getOccurrence(id))?.fence, 2);
      }
    }));

    it('instances registering one new job at once: one row, one cursor, no error', withFixture(make, async (f, s) => {
      const all = await instances(f);
      for (let round = 0; round < ROUNDS; round++) {
        const jobs = await Promise.all(all.map((st, i) => st.syncJob(`job-${round}`, 'h1', T0 + i)));
        assert.equal(new Set(jobs.map((j) => j.cursorMs)).size, 1, `round ${round}: every instance sees the same cursor`);
      }
      assert.equal((await s.listJobs()).length, ROUNDS);
    }));

    it('instances recording one manual run at once: exactly one row, the others get null', withFixture(make, async (f, s) => {
      const all = await instances(f);
      for (let round = 0; round < ROUNDS; round++) {
        const rows = await Promise.all(
          all.map((st, i) =>
            st.insertOccurrence(occ({ nominalMs: T0 + round, kind: 'manual', trigger: 'manual', requestedBy: `i${i}` }), T0),
          ),
        );
        assert.equal(rows.filter((r) => r !== null).length, 1, `round ${round}`);
      }
      assert.equal((await s.listOccurrences({ kinds: ['manual'] })).length, ROUNDS);
    }));

    it('instances acquiring one named lock at once: one holds it', withFixture(make, async (f) => {
      const all = await instances(f);
      for (let round = 0; round < ROUNDS; round++) {
        const got = await Promise.all(all.map((st, i) => st.acquireLock(`lock-${round}`, `i${i}`, T0 + 30_000, T0)));
        assert.equal(got.filter(Boolean).length, 1, `round ${round}`);
      }
    }));
  });
}
