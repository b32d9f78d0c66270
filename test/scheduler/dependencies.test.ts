/**
 * depends_on through the real Scheduler on a fake clock: waiting for the dependency's run for
 * the same nominal time, windows, and on_failure block / skip / continue.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueueBackfill, requestRun } from '../../src/scheduler/operations.js';
import { at, createHarness, type Harness } from '../helpers/scheduler-harness.js';

const MIN = 60_000;

function yaml(deploy: string, build = 'schedule: "0 * * * *"'): string {
  const indent = (s: string): string => s.split('\n').map((l) => `    ${l}`).join('\n');
  return `defaults:
  provider: shell
  command: ["true"]
  max_retries: 0
deployments:
  build:
${indent(build)}
  deploy:
${indent(deploy)}
`;
}

/** Makes the next run of `job` fail (class invalid: not retried); later runs succeed. */
function failNext(h: Harness, job: string): void {
  const off = h.scheduler.events.on('run:started', ({ occurrence }) => {
    if (occurrence.job === job) h.provider.fail = { errorClass: 'invalid', message: 'bad image tag' };
    else h.provider.fail = null;
  });
  h.scheduler.events.on('run:finished', ({ occurrence }) => {
    if (occurrence.job !== job) return;
    h.provider.fail = null;
    off();
  });
}

test('deploy waits for build\'s run for the same nominal time, and starts the moment it succeeds', async () => {
  await using h = await createHarness({ yaml: yaml('schedule: "0 * * * *"\ndepends_on: [build]'), start: at('2026-01-05T09:59:00Z'), durationMs: 5 * MIN });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T11:30:00Z'));
  const runs = h.provider.receipts.map((r) => [r.job, r.nominal, new Date(r.start).toISOString()]);
  assert.deepEqual(runs, [
    ['build', '2026-01-05T10:00:00.000Z', '2026-01-05T10:00:00.000Z'],
    ['deploy', '2026-01-05T10:00:00.000Z', '2026-01-05T10:05:00.000Z'],
    ['build', '2026-01-05T11:00:00.000Z', '2026-01-05T11:00:00.000Z'],
    ['deploy', '2026-01-05T11:00:00.000Z', '2026-01-05T11:05:00.000Z'],
  ]);
  assert.deepEqual(await h.states('deploy'), { '2026-01-05T10:00:00.000Z': 'succeeded', '2026-01-05T11:00:00.000Z': 'succeeded' });
});

test('on_failure skip: recorded blocked_dependency at once, the reason naming the failed run', async () => {
  await using h = await createHarness({ yaml: yaml('schedule: "0 * * * *"\ndepends_on: [build]\non_failure: skip'), start: at('2026-01-05T09:59:00Z'), durationMs: 5 * MIN });
  await h.scheduler.start();
  failNext(h, 'build');
  await h.clock.advanceTo(at('2026-01-05T10:10:00Z'));
  const build = (await h.ledger('build'))[0]!;
  const deploy = (await h.ledger('deploy'))[0]!;
  assert.equal(build.state, 'failed');
  assert.equal(deploy.state, 'blocked_dependency');
  assert.equal(deploy.endedMs, at('2026-01-05T10:05:00Z'), 'decided when build failed');
  assert.equal(deploy.reason, `skipped: build did not succeed for 2026-01-05T10:00:00.000Z: run ${build.runId} for 2026-01-05T10:00:00.000Z ended failed (invalid: bad image tag) (on_failure: skip)`);
  assert.deepEqual(deploy.detail, { on_failure: 'skip', dependency: 'build', dependency_run_id: build.runId, dependency_occurrence_id: build.id, dependency_state: 'failed' });
  assert.equal(h.provider.receipts.filter((r) => r.job === 'deploy').length, 0);
});

test('on_failure block: held for a re-run of the dependency; a backfill of build for 10:00 that succeeds releases it', async () => {
  await using h = await createHarness({ yaml: yaml('schedule: "0 * * * *"\ndepends_on: [build]'), start: at('2026-01-05T09:59:00Z'), durationMs: 5 * MIN });
  await h.scheduler.start();
  failNext(h, 'build');
  await h.clock.advanceTo(at('2026-01-05T10:20:00Z'));
  assert.equal((await h.ledger('deploy'))[0]!.state, 'pending', 'held, not settled');
  await enqueueBackfill(h.store, h.job('build'), [at('2026-01-05T10:00:00Z')], { nowMs: h.clock.now(), by: 'cli:alice' });
  h.scheduler.poke();
  await h.clock.advanceTo(at('2026-01-05T10:40:00Z'));
  assert.deepEqual(await h.states('build'), { '2026-01-05T10:00:00.000Z': 'failed', 'backfill:2026-01-05T10:00:00.000Z': 'succeeded' });
  assert.deepEqual(await h.states('deploy'), { '2026-01-05T10:00:00.000Z': 'succeeded' });
  assert.equal(h.provider.receipts.find((r) => r.job === 'deploy')!.start, at('2026-01-05T10:25:00Z'), 'right after the re-run');
});

test('on_failure block without a re-run: blocked_dependency once catch_up_window has passed; the next hour runs normally', async () => {
  await using h = await createHarness({ yaml: yaml('schedule: "0 * * * *"\ndepends_on: [build]\ncatch_up_window: 30m'), start: at('2026-01-05T09:59:00Z'), durationMs: 5 * MIN });
  await h.scheduler.start();
  failNext(h, 'build');
  await h.clock.advanceTo(at('2026-01-05T11:10:00Z'));
  const [first, second] = await h.ledger('deploy');
  assert.equal(first!.state, 'blocked_dependency');
  assert.equal(first!.endedMs, at('2026-01-05T10:30:00Z') + 1, 'settled when its catch-up window ran out');
  assert.match(first!.reason!, /^build did not succeed for 2026-01-05T10:00:00.000Z: run run-\S+ for 2026-01-05T10:00:00.000Z ended failed \(invalid: bad image tag\) \(on_failure: block; no successful re-run within catch_up_window 30m\)$/);
  assert.equal(second!.state, 'succeeded');
});

test('on_failure continue: deploys anyway; the ledger event dependency_ignored names the failed run', async () => {
  await using h = await createHarness({ yaml: yaml('schedule: "0 * * * *"\ndepends_on: [build]\non_failure: continue'), start: at('2026-01-05T09:59:00Z'), durationMs: 5 * MIN });
  await h.scheduler.start();
  failNext(h, 'build');
  await h.clock.advanceTo(at('2026-01-05T10:20:00Z'));
  assert.deepEqual(await h.states('deploy'), { '2026-01-05T10:00:00.000Z': 'succeeded' });
  const build = (await h.ledger('build'))[0]!;
  const events = await h.store.listEvents({ job: 'deploy', type: 'dependency_ignored' });
  assert.equal(events.length, 1);
  assert.equal(events[0]!.data?.['dependency_run_id'], build.runId);
});

test('a dependency still running when catch_up_window ends: blocked_dependency "waiting for build"', async () => {
  await using h = await createHarness({ yaml: yaml('schedule: "0 * * * *"\ndepends_on: [build]\ncatch_up_window: 10m', 'schedule: "0 * * * *"\ntimeout: 2h'), start: at('2026-01-05T09:59:00Z'), durationMs: 40 * MIN });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:30:00Z'));
  const deploy = (await h.ledger('deploy'))[0]!;
  assert.equal(deploy.state, 'blocked_dependency');
  assert.match(deploy.reason!, /waiting for build: its scheduled occurrence for 2026-01-05T10:00:00.000Z is running, past catch_up_window \(10m\)/);
});

test('with a window: the latest successful run of build within 1h before the nominal time counts', async () => {
  await using h = await createHarness({
    yaml: yaml('schedule: "30 * * * *"\ndepends_on: [{ job: build, window: 1h }]\non_failure: skip'),
    start: at('2026-01-05T09:59:00Z'),
    durationMs: 5 * MIN,
  });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:40:00Z'));
  failNext(h, 'build');
  await h.clock.advanceTo(at('2026-01-05T11:40:00Z'));
  assert.deepEqual(await h.states('deploy'), { '2026-01-05T10:30:00.000Z': 'succeeded', '2026-01-05T11:30:00.000Z': 'blocked_dependency' });
  // 11:30 looks at [10:30, 11:30]: only the failed 11:00 build is there.
  assert.match((await h.ledger('deploy'))[1]!.reason!, /^skipped: build did not succeed within 60m before 2026-01-05T11:30:00.000Z/);
});

test('a dependency without a schedule: its latest run at or before the nominal time decides', async () => {
  await using h = await createHarness({ yaml: yaml('schedule: "0 * * * *"\ndepends_on: [build]\non_failure: skip', 'description: manual only'), start: at('2026-01-05T09:59:00Z'), durationMs: MIN });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:10:00Z'));
  assert.equal((await h.ledger('deploy'))[0]!.state, 'blocked_dependency', 'build never ran');
  assert.match((await h.ledger('deploy'))[0]!.reason!, /build has no run at or before 2026-01-05T10:00:00.000Z/);
  await requestRun(h.store, h.job('build'), { nowMs: h.clock.now(), by: 'cli:alice' });
  h.scheduler.poke();
  await h.clock.advanceTo(at('2026-01-05T11:10:00Z'));
  assert.equal((await h.ledger('deploy'))[1]!.state, 'succeeded');
});

test('end to end through the CLI with real processes: `deploy web` after a failed `deploy build` is blocked_dependency (on_failure skip), then runs once build succeeds', async () => {
  const { runCli } = await import('../helpers/cli.js');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-deps-cli-'));
  try {
    const file = join(dir, 'shipclock.yaml');
    const config = (buildExit: number) => `state_dir: ./state
deployments:
  build: { provider: shell, command: [${JSON.stringify(process.execPath)}, -e, "process.exit(${buildExit})"], max_retries: 0 }
  web: { provider: shell, command: [${JSON.stringify(process.execPath)}, -e, "0"], depends_on: [build], on_failure: skip }
`;
    writeFileSync(file, config(4));
    assert.equal((await runCli(['deploy', 'build', '-c', file], { cwd: dir })).code, 1);
    assert.equal((await runCli(['deploy', 'web', '-c', file], { cwd: dir })).code, 1);
    writeFileSync(file, config(0));
    assert.equal((await runCli(['deploy', 'build', '-c', file], { cwd: dir })).code, 0);
    const ok = await runCli(['deploy', 'web', '-c', file], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    const history = JSON.parse((await runCli(['history', 'web', '--json', '-c', file], { cwd: dir })).stdout) as { state: string; reason: string; detail: Record<string, unknown> }[];
    assert.deepEqual(history.map((o) => o.state), ['succeeded', 'blocked_dependency']);
    assert.match(history[1]!.reason, /^skipped: build did not succeed at or before .*ended failed/);
    assert.equal(history[1]!.detail['dependency'], 'build');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
