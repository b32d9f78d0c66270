/**
 * Operator actions on a running scheduler through the store (pause, resume, trigger) and job
 * edits (scheduler-scenarios.md A4, B14, C26, E35).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pauseJob, requestRun, resumeJob } from '../../src/scheduler/operations.js';
import { timingHash } from '../../src/scheduler/timing-hash.js';
import { at, configFromYaml, createHarness, oneJob } from '../helpers/scheduler-harness.js';

test('A4 k8s#45825: paused 10:00–12:00 → 10:01–12:00 recorded paused, no catch-up, next run 12:01', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "* * * * *"'), start: at('2026-01-05T09:58:30Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:00:30Z'));
  await pauseJob(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:alice', note: 'freeze' });
  h.scheduler.poke();
  await h.clock.advanceTo(at('2026-01-05T12:00:30Z'));
  await resumeJob(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:alice' });
  h.scheduler.poke();
  await h.clock.advanceTo(at('2026-01-05T12:01:30Z'));

  const ledger = await h.ledger();
  const paused = ledger.filter((o) => o.state === 'paused');
  assert.equal(paused.length, 120, '10:01 … 12:00');
  assert.equal(paused[0]!.nominalMs, at('2026-01-05T10:01:00Z'));
  assert.equal(paused.at(-1)!.nominalMs, at('2026-01-05T12:00:00Z'));
  assert.match(paused[0]!.reason!, /paused by cli:alice: freeze/);
  assert.deepEqual(h.provider.receipts.map((r) => r.nominal), ['2026-01-05T09:59:00.000Z', '2026-01-05T10:00:00.000Z', '2026-01-05T12:01:00.000Z']);
});

test('A4 variant: resume --catch-up yields exactly one coalesced run for the paused span', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "* * * * *"'), start: at('2026-01-05T10:00:30Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await pauseJob(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:alice', note: 'freeze' });
  await h.clock.advanceTo(at('2026-01-05T10:30:30Z'));
  const { caughtUp } = await resumeJob(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:alice', catchUp: true });
  assert.ok(caughtUp);
  h.scheduler.poke();
  await h.clock.advance(5_000);
  assert.equal(h.provider.receipts.length, 1);
  assert.equal(h.provider.receipts[0]!.nominal, '2026-01-05T10:30:00.000Z');
  const run = await h.store.getOccurrence(caughtUp.id);
  assert.equal(run!.state, 'succeeded');
  assert.equal(run!.trigger, 'resume');
});

test('pause --until resumes by itself at that instant', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/10 * * * *"'), start: at('2026-01-05T10:00:30Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await pauseJob(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:bob', untilMs: at('2026-01-05T10:15:00Z') });
  await h.clock.advanceTo(at('2026-01-05T10:20:30Z'));
  assert.deepEqual(await h.states(), { '2026-01-05T10:10:00.000Z': 'paused', '2026-01-05T10:20:00.000Z': 'succeeded' });
});

test('B14 pentaho#5391: "run now" at 09:00:20 and the late 09:00 catch-up never overlap on the target', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 9 * * *"\ntarget: prod'), start: at('2026-01-05T08:59:00Z'), durationMs: 2 * 60_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T08:59:50Z'));
  await h.scheduler.stop(); // a restart around 09:00
  await h.clock.jumpTo(at('2026-01-05T09:00:20Z'));
  await requestRun(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:carol' });
  await h.clock.jumpTo(at('2026-01-05T09:00:30Z'));
  await h.restart().start();
  await h.clock.advanceTo(at('2026-01-05T09:10:00Z'));

  const ledger = await h.ledger();
  const manual = ledger.filter((o) => o.kind === 'manual');
  const scheduled = ledger.filter((o) => o.kind === 'scheduled');
  assert.equal(manual.length, 1);
  assert.equal(manual[0]!.state, 'succeeded');
  assert.equal(scheduled.length, 1, 'never two scheduled 09:00 rows');
  assert.equal(scheduled[0]!.state, 'skipped_overlap', 'documented policy: overlap skip');
  const runs = h.provider.receipts;
  for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.start >= runs[i - 1]!.end!, 'never overlapping on prod');
});

test('the target lock serialises two jobs deploying the same target', async () => {
  const yaml = `defaults:
  provider: shell
  command: ["true"]
deployments:
  a: { schedule: "0 * * * *", target: prod }
  b: { schedule: "0 * * * *", target: prod }
`;
  await using h = await createHarness({ yaml, start: at('2026-01-05T09:59:00Z'), durationMs: 5 * 60_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:20:00Z'));
  const runs = h.provider.receipts;
  assert.equal(runs.length, 2);
  assert.equal(runs[1]!.start, runs[0]!.end, 'the second waits for the first, then starts at once');
});

test('C26 Octopus#9723: editing description or notifications never fires a run and keeps the cursor', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 9 * * 1-5"\ntimezone: Europe/London\ndescription: before'), start: at('2026-03-30T07:00:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-03-30T07:05:00Z'));
  const before = await h.store.getJob('job');
  const edited = await configFromYaml(oneJob('schedule: "0 9 * * 1-5"\ntimezone: Europe/London\ndescription: after\nnotifications: { email: ops@example.com, on_failure: true }'), h.dir);
  assert.equal(timingHash(edited.jobs[0]!), timingHash(h.job()), 'non-timing edits keep the timing hash');
  h.scheduler.setJobs(edited.jobs);
  await h.scheduler.syncJobs();
  h.scheduler.poke();
  await h.clock.advance(60_000);
  assert.equal(h.provider.receipts.length, 0, 'no run at edit time');
  assert.equal((await h.store.getJob('job'))!.cursorMs, Math.max(before!.cursorMs, (await h.store.getJob('job'))!.cursorMs));
  await h.clock.advanceTo(at('2026-03-30T08:00:30Z'));
  assert.deepEqual(h.provider.receipts.map((r) => r.nominal), ['2026-03-30T08:00:00.000Z'], 'next run Monday 09:00 BST');
});

test('a timing change applies from now: times between the old and new schedule are not replayed', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 12 * * *"'), start: at('2026-01-05T09:00:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:30:00Z'));
  const edited = await configFromYaml(oneJob('schedule: "0 * * * *"'), h.dir);
  h.scheduler.setJobs(edited.jobs);
  await h.scheduler.syncJobs();
  h.scheduler.poke();
  await h.clock.advanceTo(at('2026-01-05T11:00:30Z'));
  assert.deepEqual(h.provider.receipts.map((r) => r.nominal), ['2026-01-05T11:00:00.000Z'], '10:00 is not replayed');
});

test('E35 PostHog#47045: a hanging deploy is killed at its timeout, recorded timed_out, and the next hour runs on time', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 * * * *"\ntimeout: 50m'), start: at('2026-01-05T09:59:00Z'), durationMs: 1_000_000_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T12:55:00Z'));
  assert.deepEqual(await h.states(), {
    '2026-01-05T10:00:00.000Z': 'timed_out',
    '2026-01-05T11:00:00.000Z': 'timed_out',
    '2026-01-05T12:00:00.000Z': 'timed_out',
  });
  for (const r of h.provider.receipts) {
    assert.equal(r.end! - r.start, 50 * 60_000, 'killed at 50 min');
    assert.equal(Date.parse(r.nominal), r.start, 'each hour starts on time');
  }
});

test('C28 systemd#31231: a one-shot "at" schedule that already ran never runs again (restart, disable/enable, re-applied config)', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "at 2024-05-01T10:00:00Z"'), start: at('2024-05-01T09:59:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2024-05-01T10:01:00Z'));
  assert.equal(h.provider.receipts.length, 1);
  await h.clock.runUntil(h.scheduler.stop());

  const s = h.restart();
  await s.start();
  await pauseJob(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:dave' });
  await resumeJob(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:dave' });
  const same = await configFromYaml(oneJob('schedule: "at 2024-05-01T10:00:00Z"'), h.dir);
  s.setJobs(same.jobs);
  await s.syncJobs();
  s.poke();
  await h.clock.advanceTo(at('2024-05-02T00:00:00Z'));
  assert.equal(h.provider.receipts.length, 1, 'no second run');
  const ledger = await h.ledger();
  assert.deepEqual(ledger.map((o) => [new Date(o.nominalMs).toISOString(), o.state]), [['2024-05-01T10:00:00.000Z', 'succeeded']]);
});
