import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ClaimRequest } from '../../../src/store/types.js';
import { MIN, T0, seedPending, withFixture, type MakeStore } from './fixture.js';

const LEASE = 30_000;

export function claimReq(occurrenceId: string, over: Partial<ClaimRequest> = {}): ClaimRequest {
  return { occurrenceId, owner: 'i1', runId: `run-${occurrenceId.slice(0, 8)}`, nowMs: T0, leaseMs: LEASE, targetLock: true, jobExclusive: true, ...over };
}

export function claimTests(make: MakeStore): void {
  describe('claim, heartbeat, settle', () => {
    it('claim moves pending to running with fence 1, owner, run id, lease and start time', withFixture(make, async (_f, s) => {
      const [id] = await seedPending(s, [T0 + MIN]);
      assert.ok(id);
      const r = await s.claim(claimReq(id, { nowMs: T0 + MIN, runId: 'run-1' }));
      assert.ok(r.ok);
      assert.equal(r.occurrence.state, 'running');
      assert.equal(r.occurrence.fence, 1);
      assert.equal(r.occurrence.owner, 'i1');
      assert.equal(r.occurrence.runId, 'run-1');
      assert.equal(r.occurrence.leaseUntilMs, T0 + MIN + LEASE);
      assert.equal(r.occurrence.startedMs, T0 + MIN);
      assert.deepEqual(await s.getOccurrence(id), r.occurrence);
    }));

    it('refuses a second claim of the same occurrence (state) and names the holder', withFixture(make, async (_f, s) => {
      const [id] = await seedPending(s, [T0 + MIN]);
      assert.ok(id);
      assert.ok((await s.claim(claimReq(id))).ok);
      const second = await s.claim(claimReq(id, { owner: 'i2', runId: 'run-2' }));
      assert.equal(second.ok, false);
      assert.ok(!second.ok);
      assert.equal(second.reason, 'state');
      assert.equal(second.blocker?.owner, 'i1');
      assert.equal((await s.getOccurrence(id))?.fence, 1);
      const none = await s.claim(claimReq('00000000-0000-0000-0000-000000000000'));
      assert.deepEqual(none, { ok: false, reason: 'state', blocker: null });
    }));

    it('refuses a claim while another run of the job is live, allows it once that lease expired', withFixture(make, async (_f, s) => {
      const [a, b] = await seedPending(s, [T0 + MIN, T0 + 2 * MIN], { target: 'shared' });
      assert.ok(a && b);
      assert.ok((await s.claim(claimReq(a, { nowMs: T0 }))).ok);
      const refused = await s.claim(claimReq(b, { nowMs: T0 + LEASE, targetLock: false }));
      assert.ok(!refused.ok);
      assert.equal(refused.reason, 'job');
      assert.equal(refused.blocker?.id, a);
      assert.equal((await s.getOccurrence(b))?.state, 'pending');
      // Overlap `allow`: no job exclusivity asked for.
      const allowed = await s.claim(claimReq(b, { nowMs: T0 + 1, targetLock: false, jobExclusive: false }));
      assert.ok(allowed.ok);
    }));

    it('lets a claim through once the other run of the job has an expired lease', withFixture(make, async (_f, s) => {
      const [a, b] = await seedPending(s, [T0 + MIN, T0 + 2 * MIN]);
      assert.ok(a && b);
      assert.ok((await s.claim(claimReq(a, { nowMs: T0 }))).ok);
      const r = await s.claim(claimReq(b, { nowMs: T0 + LEASE + 1 }));
      assert.ok(r.ok);
    }));

    it('enforces the target lock across jobs, unless asked not to or the holder lease expired', withFixture(make, async (_f, s) => {
      const [w] = await seedPending(s, [T0 + MIN], { job: 'web', target: 'prod' });
      const [x] = await seedPending(s, [T0 + MIN], { job: 'worker', target: 'prod' });
      const [y] = await seedPending(s, [T0 + MIN], { job: 'cron', target: 'prod' });
      const [z] = await seedPending(s, [T0 + MIN], { job: 'other', target: 'staging' });
      assert.ok(w && x && y && z);
      assert.ok((await s.claim(claimReq(w, { nowMs: T0 }))).ok);
      const refused = await s.claim(claimReq(x, { nowMs: T0 + 1000 }));
      assert.ok(!refused.ok);
      assert.equal(refused.reason, 'target');
      assert.equal(refused.blocker?.id, w);
      assert.ok((await s.claim(claimReq(z, { nowMs: T0 + 1000 }))).ok, 'another target is free');
      assert.ok((await s.claim(claimReq(x, { nowMs: T0 + 1000, targetLock: false }))).ok, '--force bypasses the lock');
      // Both prod holders' leases end at T0 + 1000 + LEASE at the latest.
      assert.ok((await s.claim(claimReq(y, { nowMs: T0 + 1001 + LEASE }))).ok);
    }));

    it('heartbeat extends the lease for the current fence only', withFixture(make, async (_f, s) => {
      const [id] = await seedPending(s, [T0 + MIN]);
      assert.ok(id);
      await s.claim(claimReq(id));
      assert.equal(await s.heartbeat(id, 1, T0 + 2 * LEASE), true);
      assert.equal((await s.getOccurrence(id))?.leaseUntilMs, T0 + 2 * LEASE);
      assert.equal(await s.heartbeat(id, 2, T0 + 3 * LEASE), false);
      assert.equal(await s.heartbeat(id, 0, T0 + 3 * LEASE), false);
      assert.equal((await s.getOccurrence(id))?.leaseUntilMs, T0 + 2 * LEASE);
      assert.deepEqual(await s.expiredRunning(T0 + 2 * LEASE), []);
      assert.deepEqual((await s.expiredRunning(T0 + 2 * LEASE + 1)).map((o) => o.id), [id]);
    }));

    it('takeover after expiry: a new claim bumps the fence and the old runner is refused everywhere', withFixture(make, async (_f, s) => {
      const [id] = await seedPending(s, [T0 + MIN]);
      assert.ok(id);
      await s.claim(claimReq(id, { owner: 'dead', nowMs: T0 }));
      const expired = await s.expiredRunning(T0 + LEASE + 1);
      assert.deepEqual(expired.map((o) => o.id), [id]);
      // The survivor returns the run to pending (fenced on what it saw), then claims it anew.
      assert.equal(await s.settle(id, { state: 'pending', from: ['running'], fence: 1, nowMs: T0 + LEASE + 1, reason: 'lease expired' }), true);
      const again = await s.claim(claimReq(id, { owner: 'alive', nowMs: T0 + LEASE + 2, runId: 'run-b' }));
      assert.ok(again.ok);
      assert.equal(again.occurrence.fence, 2);
      assert.equal(again.occurrence.owner, 'alive');
      assert.equal(again.occurrence.startedMs, T0, 'the occurrence keeps its first start');
      assert.equal(await s.heartbeat(id, 1, T0 + 10 * LEASE), false);
      assert.equal(await s.settle(id, { state: 'succeeded', from: ['running'], fence: 1, nowMs: T0 + LEASE + 3 }), false);
      assert.equal((await s.getOccurrence(id))?.state, 'running');
      assert.equal(await s.settle(id, { state: 'succeeded', from: ['running'], fence: 2, nowMs: T0 + LEASE + 4 }), true);
    }));

    it('settle defaults to pending-only, records the outcome and clears the lease', withFixture(make, async (_f, s) => {
      const [p, r] = await seedPending(s, [T0 + MIN, T0 + 2 * MIN]);
      assert.ok(p && r);
      assert.equal(await s.settle(p, { state: 'skipped_overlap', reason: 'web is running', nowMs: T0 + 5 }), true);
      const skipped = await s.getOccurrence(p);
      assert.equal(skipped?.state, 'skipped_overlap');
      assert.equal(skipped?.reason, 'web is running');
      assert.equal(skipped?.endedMs, T0 + 5);
      assert.equal(await s.settle(p, { state: 'missed', nowMs: T0 + 6 }), false, 'no longer pending');

      await s.claim(claimReq(r, { nowMs: T0 }));
      assert.equal(await s.settle(r, { state: 'failed', nowMs: T0 + 7 }), false, 'running is not in the default from');
      const ok = await s.settle(r, {
        state: 'failed', from: ['running'], fence: 1, nowMs: T0 + 8, errorClass: 'auth', message: 'token expired',
        detail: { handle: 'dep-1' },
      });
      assert.equal(ok, true);
      const failed = await s.getOccurrence(r);
      assert.equal(failed?.state, 'failed');
      assert.equal(failed?.errorClass, 'auth');
      assert.equal(failed?.message, 'token expired');
      assert.deepEqual(failed?.detail, { handle: 'dep-1' });
      assert.equal(failed?.leaseUntilMs, null);
      assert.equal(failed?.endedMs, T0 + 8);
      assert.equal(await s.heartbeat(r, 1, T0 + LEASE), false, 'a settled run takes no heartbeat');
    }));

    it('records a message and detail holding a NUL character (deploy output may contain one)', withFixture(make, async (_f, s) => {
      const [id] = await seedPending(s, [T0 + MIN]);
      assert.ok(id);
      await s.claim(claimReq(id));
      const ok = await s.settle(id, {
        state: 'failed', from: ['running'], fence: 1, nowMs: T0 + 1, message: 'out\u0000put', detail: { stderr: 'a\u0000b' },
      });
      assert.equal(ok, true);
      const o = await s.getOccurrence(id);
      // SQLite keeps U+0000; PostgreSQL cannot store it and records U+FFFD instead.
      assert.match(o?.message ?? '', /^out[\u0000\uFFFD]put$/);
      assert.match(String(o?.detail?.stderr), /^a[\u0000\uFFFD]b$/);
    }));

    it('settle keeps an earlier reason, message and detail when the new one gives none', withFixture(make, async (_f, s) => {
      const [id] = await seedPending(s, [T0 + MIN], { reason: 'manual by ana', detail: { k: 1 } });
      assert.ok(id);
      await s.claim(claimReq(id));
      assert.equal(await s.settle(id, { state: 'succeeded', from: ['running'], nowMs: T0 + 1 }), true);
      const o = await s.getOccurrence(id);
      assert.equal(o?.reason, 'manual by ana');
      assert.deepEqual(o?.detail, { k: 1 });
    }));
  });
}
