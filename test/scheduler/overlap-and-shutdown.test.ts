/**
 * Overlap (E32), graceful shutdown (F37) and restarts (no occurrence started twice).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

test('E32 graphile#227, overlap skip: a 5-minute deploy every minute for 30 min runs 6 times, never concurrently', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "* * * * *"'), start: at('2026-01-05T09:59:30Z'), durationMs: 5 * 60_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:29:30Z'));
  const runs = h.provider.receipts;
  assert.equal(runs.length, 6);
  for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.start >= runs[i - 1]!.end!, 'never concurrent');
  const ledger = await h.ledger();
  assert.equal(ledger.length, 30, 'every minute has exactly one row');
  const skipped = ledger.filter((o) => o.state === 'skipped_overlap');
  assert.equal(skipped.length, 24);
  assert.match(skipped[0]!.reason!, /overlap: skip; run run-.* was still running/);
  assert.equal(new Set(ledger.map((o) => o.nominalMs)).size, 30);
});

test('E32 overlap queue_one: at most one waits; older waiting times are superseded', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "* * * * *"\noverlap: queue_one'), start: at('2026-01-05T09:59:30Z'), durationMs: 5 * 60_000 });
  await h.scheduler.start();
  let maxPending = 0;
  h.scheduler.events.on('tick', () => {
    void h.store.live('job').then((l) => (maxPending = Math.max(maxPending, l.filter((o) => o.state === 'pending').length)));
  });
  await h.clock.advanceTo(at('2026-01-05T10:29:30Z'));
  assert.ok(maxPending <= 1, `pending at once: ${maxPending}`);
  const states = Object.values(await h.states());
  assert.ok(states.includes('superseded'));
  assert.ok(!states.includes('skipped_overlap'));
  const runs = h.provider.receipts;
  for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.start >= runs[i - 1]!.end!, 'never concurrent');
  // Each queued run starts the moment the previous one ends: latest wins.
  assert.equal(runs[1]!.start, runs[0]!.end);
  assert.equal(runs[1]!.nominal, '2026-01-05T10:05:00.000Z');
});

test('E32 overlap queue_all with queue_cap 5: the queue never exceeds 5, overflow recorded', async () => {
  await using h = await createHarness({
    yaml: oneJob('schedule: "* * * * *"\noverlap: queue_all\nqueue_cap: 5'),
    start: at('2026-01-05T09:59:30Z'),
    durationMs: 5 * 60_000,
  });
  await h.scheduler.start();
  let maxPending = 0;
  h.scheduler.events.on('tick', () => {
    void h.store.live('job').then((l) => (maxPending = Math.max(maxPending, l.filter((o) => o.state === 'pending').length)));
  });
  await h.clock.advanceTo(at('2026-01-05T10:29:30Z'));
  assert.ok(maxPending <= 5, `pending at once: ${maxPending}`);
  const dropped = (await h.ledger()).filter((o) => o.state === 'skipped_overlap');
  assert.ok(dropped.length > 0);
  assert.match(dropped[0]!.reason!, /queue full \(queue_cap 5\)/);
});

test('F37a SIGTERM with a 5-minute grace: the running deploy completes and is recorded; nothing new starts', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/10m"\nmax_retries: 0'), start: at('2026-01-05T09:59:00Z'), durationMs: 2 * 60_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:00:30Z'));
  assert.equal(h.provider.receipts.length, 1);
  const stopped = h.scheduler.stop({ graceMs: 5 * 60_000 });
  await h.clock.advanceTo(at('2026-01-05T10:20:00Z'));
  await stopped;
  assert.equal(h.provider.receipts.length, 1, 'no new run after the signal');
  assert.equal(h.provider.receipts[0]!.outcome, 'succeeded');
  assert.deepEqual(await h.states(), { '2026-01-05T10:00:00.000Z': 'succeeded' });
});

test('F37b SIGTERM with a 10 s grace: the deploy is interrupted, recorded, and not re-run after restart', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/10m"\nmax_retries: 0'), start: at('2026-01-05T09:59:00Z'), durationMs: 2 * 60_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:00:30Z'));
  const stopped = h.scheduler.stop({ graceMs: 10_000 });
  await h.clock.advance(15_000);
  await stopped;
  assert.equal(h.provider.receipts[0]!.outcome, 'stopped');
  const [occ] = await h.ledger();
  assert.equal(occ!.state, 'interrupted');
  const attempts = await h.store.listAttempts(occ!.id);
  assert.equal(attempts.length, 1);
  assert.equal(attempts[0]!.outcome, 'interrupted');

  await h.restart().start();
  await h.clock.advance(60_000);
  assert.equal(h.provider.receipts.length, 1, 'the interrupted occurrence is not started again');
  assert.equal((await h.ledger())[0]!.state, 'interrupted');
});

test('a crash mid-run (no shutdown) is recorded interrupted at restart, its attempt abandoned, and not re-run', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/10m"'), start: at('2026-01-05T10:00:30Z'), durationMs: 2 * 60_000 });
  // What a process killed with SIGKILL leaves behind: a claimed occurrence with an open attempt.
  const t = at('2026-01-05T10:00:00Z');
  await h.store.syncJob('job', 'x', t);
  const occ = (await h.store.insertOccurrence({ job: 'job', nominalMs: t, kind: 'scheduled', trigger: 'on_time', state: 'pending', target: 'job', dueMs: t }, t))!;
  const claim = await h.store.claim({ occurrenceId: occ.id, owner: 'dead:1', runId: 'run-dead', nowMs: t, leaseMs: 30_000, targetLock: true, jobExclusive: true });
  assert.ok(claim.ok);
  await h.store.beginAttempt(occ.id, { number: 1, fence: 1, owner: 'dead:1', startedMs: t, logPath: null });

  await h.scheduler.start();
  await h.clock.advance(60_000);
  const after = (await h.store.getOccurrence(occ.id))!;
  assert.equal(after.state, 'interrupted');
  assert.match(after.reason!, /dead:1\) stopped during this run/);
  assert.equal((await h.store.listAttempts(occ.id))[0]!.outcome, 'abandoned');
  assert.equal(h.provider.receipts.length, 0, 'not re-run');
});

test('restart right after a run never starts that occurrence again (nominal times are stable)', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/10s"'), start: at('2026-01-05T10:00:01Z'), durationMs: 1_000 });
  for (let i = 0; i < 5; i++) {
    const s = i === 0 ? h.scheduler : h.restart();
    await s.start();
    await h.clock.advance(13_000);
    await h.clock.runUntil(s.stop()); // a run may be in flight: let it finish within the grace
  }
  const nominals = h.provider.receipts.map((r) => r.nominal);
  assert.equal(new Set(nominals).size, nominals.length, 'no duplicates');
  for (const n of nominals) assert.equal(Date.parse(n) % 10_000, 0, 'aligned to the epoch');
});

test('a second scheduler on the same SQLite state refuses to start', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "* * * * *"'), start: at('2026-01-05T10:00:00Z') });
  await h.scheduler.start();
  const { Scheduler } = await import('../../src/scheduler/scheduler.js');
  const { compileJob } = await import('../../src/app/compose.js');
  const { runDeploy } = await import('../../src/runner/run-deploy.js');
  const other = new Scheduler({ store: h.store, clock: h.clock, jobs: h.config.jobs, stateDir: h.dir, compile: compileJob, deploy: runDeploy, provider: () => h.provider });
  await assert.rejects(other.start(), (e: { code?: string }) => e.code === 'E_SCHEDULER_LOCKED');
});

test('F38: an idempotent job whose runner died is taken over after lease expiry as attempt 2 with fence 2', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/10m"\nidempotent: true'), start: at('2026-01-05T10:00:05Z'), durationMs: 60_000 });
  const t = at('2026-01-05T10:00:00Z');
  await h.store.syncJob('job', 'x', t);
  const occ = (await h.store.insertOccurrence({ job: 'job', nominalMs: t, kind: 'scheduled', trigger: 'on_time', state: 'pending', target: 'job', dueMs: t }, t))!;
  assert.ok((await h.store.claim({ occurrenceId: occ.id, owner: 'dead:1', runId: 'run-dead', nowMs: t, leaseMs: 30_000, targetLock: true, jobExclusive: true })).ok);
  await h.store.beginAttempt(occ.id, { number: 1, fence: 1, owner: 'dead:1', startedMs: t, logPath: null });

  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:02:00Z'));
  const after = (await h.store.getOccurrence(occ.id))!;
  assert.equal(after.state, 'succeeded');
  assert.equal(after.fence, 2);
  const attempts = await h.store.listAttempts(occ.id);
  assert.deepEqual(attempts.map((a) => [a.number, a.outcome, a.fence]), [[1, 'abandoned', 1], [2, 'succeeded', 2]]);
  assert.equal(h.provider.receipts.length, 1);
  assert.equal(h.provider.receipts[0]!.fence, 2, 'the deploy received the new fence');
  const takeovers = await h.store.listEvents({ type: 'takeover' });
  assert.equal(takeovers.length, 1);
});

test('overlap cancel_running: a new time cancels the running deploy (recorded cancelled) and starts', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "* * * * *"\noverlap: cancel_running'), start: at('2026-01-05T09:59:30Z'), durationMs: 5 * 60_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:01:30Z'));
  const states = await h.states();
  assert.equal(states['2026-01-05T10:00:00.000Z'], 'cancelled');
  assert.equal(states['2026-01-05T10:01:00.000Z'], 'running');
  const [first, second] = h.provider.receipts;
  assert.equal(first!.outcome, 'stopped');
  assert.ok(second!.start >= first!.end!, 'the new run starts after the old one stopped');
  assert.ok(second!.start - at('2026-01-05T10:01:00Z') < 10_000);
});
