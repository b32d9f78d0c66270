// Regression found by the chaos run (scripts/chaos): an idempotent job's run is taken over after
// its instance froze; meanwhile another instance started the job's next time. The taken-over
// occurrence then met the overlap policy as if it had never run and was recorded
// `skipped_overlap`, a never-started state, although its first attempt had run. A taken-over
// occurrence must wait for the running one instead, then run as its new attempt.
// Real embedded PostgreSQL; two "instances" are two owners acting through the real store.
import { strict as assert } from 'node:assert';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SchedulerEmitter } from '../../src/scheduler/events.js';
import { sweepOrphans } from '../../src/scheduler/recover.js';
import { decideStart } from '../../src/scheduler/start-due.js';
import { openStore } from '../../src/store/open-store.js';
import type { NewOccurrence } from '../../src/store/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { configFromYaml, oneJob } from '../helpers/scheduler-harness.js';

let server: TestPostgres;
before(async () => {
  server = await startTestPostgres();
});
after(async () => {
  await server?.stop();
});

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const LEASE = 30_000;
const scheduled = (nominalMs: number): NewOccurrence => ({ job: 'job', kind: 'scheduled', trigger: 'on_time', state: 'pending', target: 'job', dueMs: nominalMs, nominalMs });

describe('takeover of an idempotent run while the next time of the job is running', () => {
  it('the taken-over occurrence waits (never recorded skipped_overlap), then starts as a new attempt with fence + 1', async () => {
    const config = await configFromYaml(oneJob('schedule: "*/1s"\nidempotent: true'), await mkdtemp(join(tmpdir(), 'shipclock-takeover-')));
    const job = config.jobs[0]!;
    const store = await openStore({ kind: 'postgres', location: await server.createDatabase() });
    const clock = new FakeClock(T0);
    const events = new SchedulerEmitter();
    try {
      await store.syncJob('job', 'h', T0);
      // Instance "frozen" claims the time T0 and begins its first attempt, then stops heartbeating.
      const a = (await store.insertOccurrence(scheduled(T0), T0))!;
      const claimA = await store.claim({ occurrenceId: a.id, owner: 'frozen:1:x', runId: 'run-a', nowMs: T0, leaseMs: LEASE, targetLock: true, jobExclusive: true });
      assert.ok(claimA.ok);
      await store.beginAttempt(a.id, { number: 1, fence: 1, owner: 'frozen:1:x', startedMs: T0, logPath: null });

      // 31 s later the lease has expired: instance "other" sweeps it (idempotent: back to pending) …
      await clock.jumpTo(T0 + LEASE + 1_000);
      const now = clock.now();
      await sweepOrphans({ store, clock, events, jobs: new Map([['job', { job, schedule: null }]]) }, await store.expiredRunning(now));
      assert.equal((await store.getOccurrence(a.id))!.state, 'pending');
      // … while a third instance had already claimed the job's newest time.
      const b = (await store.insertOccurrence(scheduled(now), now))!;
      assert.ok((await store.claim({ occurrenceId: b.id, owner: 'third:3:z', runId: 'run-b', nowMs: now, leaseMs: LEASE, targetLock: true, jobExclusive: true })).ok);

      const deps = { store, clock, events, cancelRun: () => undefined };
      const decision = await decideStart(deps, job, (await store.getOccurrence(a.id))!);
      assert.equal(decision.action, 'wait', 'a run that already started once is not skipped by the overlap policy');
      assert.equal((await store.getOccurrence(a.id))!.state, 'pending');

      // The running one ends: the taken-over occurrence starts now, as attempt 2 with fence 2.
      assert.ok(await store.settle(b.id, { state: 'succeeded', from: ['running'], fence: 1, nowMs: now + 500, reason: 'deployed' }));
      const again = await decideStart(deps, job, (await store.getOccurrence(a.id))!);
      assert.equal(again.action, 'start');
      const claim = await store.claim({ occurrenceId: a.id, owner: 'other:2:y', runId: 'run-a2', nowMs: now + 600, leaseMs: LEASE, targetLock: true, jobExclusive: true });
      assert.ok(claim.ok);
      assert.equal(claim.occurrence.fence, 2);
      assert.equal(claim.occurrence.attempts, 1, 'its first attempt is kept; the next one is attempt 2');
    } finally {
      await store.close();
    }
  });
});
