/**
 * Cross-region waves through the real Scheduler, runner and SQLite ledger on a fake clock. The
 * deploy is `RegionJob`, an in-process provider that "deploys" one region for a fixed span of
 * fake time, records which region it was asked for, and fails the regions it is told to.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileJob } from '../../src/app/compose.js';
import { occurrenceJson } from '../../src/cli/views.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from '../../src/providers/types.js';
import { runDeploy } from '../../src/runner/run-deploy.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { at, configFromYaml, oneJob } from '../helpers/scheduler-harness.js';

interface Call {
  region: string | undefined;
  runId: string;
  envRegion: string | undefined;
  start: number;
  end: number | null;
}

class RegionJob implements Provider {
  readonly kind = 'region-job';
  readonly calls: Call[] = [];
  readonly failing = new Set<string>();
  constructor(private readonly clock: FakeClock, private readonly durationMs: (region: string) => number) {}
  plan(): readonly string[] {
    return [];
  }
  async start(ctx: DeployContext): Promise<DeployHandle> {
    this.calls.push({ region: ctx.region, runId: ctx.runId, envRegion: ctx.env['SHIPCLOCK_REGION'], start: this.clock.now(), end: null });
    return { id: `${ctx.region}-${this.calls.length}`, details: { index: this.calls.length - 1 } };
  }
  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const call = this.calls[handle.details!['index'] as number]!;
    await this.clock.sleepUntil(call.start + this.durationMs(call.region ?? ''), ctx.signal);
    call.end = this.clock.now();
    if (ctx.signal.aborted) return { state: 'failed', errorClass: 'cancelled', message: 'stopped' };
    if (this.failing.has(call.region ?? '')) return { state: 'failed', errorClass: 'unhealthy', message: 'health check failed' };
    return { state: 'succeeded' };
  }
}

async function setup(keys: string, durationMs: (region: string) => number = () => 60_000) {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-waves-'));
  const config = await configFromYaml(oneJob(`schedule: "0 * * * *"\nmax_retries: 0\n${keys}`), dir);
  const clock = new FakeClock(at('2026-01-05T09:59:00Z'));
  const store = new SqliteStore(join(dir, 'ledger.db'));
  await store.migrate();
  const provider = new RegionJob(clock, durationMs);
  const scheduler = new Scheduler({ store, clock, jobs: config.jobs, stateDir: dir, compile: compileJob, deploy: runDeploy, provider: () => provider, pollIntervalMs: 30_000 });
  return {
    clock,
    store,
    provider,
    scheduler,
    async [Symbol.asyncDispose]() {
      await scheduler.stop({ force: true }).catch(() => undefined);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('waves deploy in order, regions of a wave in parallel; each region gets ctx.region and SHIPCLOCK_REGION; all succeed → succeeded', async () => {
  await using s = await setup('waves: [[us-east1], [europe-west1, asia-east1]]', (r) => (r === 'europe-west1' ? 120_000 : 60_000));
  await s.scheduler.start();
  await s.clock.advanceTo(at('2026-01-05T10:10:00Z'));
  const t0 = at('2026-01-05T10:00:00Z');
  assert.deepEqual(
    s.provider.calls.map((c) => [c.region, c.envRegion, c.start - t0, c.end! - t0]),
    [
      ['us-east1', 'us-east1', 0, 60_000],
      ['europe-west1', 'europe-west1', 60_000, 180_000],
      ['asia-east1', 'asia-east1', 60_000, 120_000],
    ],
  );
  const [occ] = await s.store.listOccurrences({ job: 'job' });
  assert.equal(occ!.state, 'succeeded');
  assert.equal(occ!.endedMs, t0 + 180_000, 'the run ends with its slowest region');
  assert.equal(occ!.reason, 'deployed to 3 regions in 2 waves (3 attempts; the provider confirmed each)');
  assert.deepEqual(s.provider.calls.map((c) => c.runId), ['us-east1', 'europe-west1', 'asia-east1'].map((r) => `${occ!.runId}.${r}`));

  const json = occurrenceJson(occ!, await s.store.listAttempts(occ!.id));
  assert.deepEqual(
    (json.regions as { region: string; wave: number; outcome: string; attempts: number[] }[]).map((r) => [r.region, r.wave, r.outcome, r.attempts]),
    [
      ['us-east1', 1, 'succeeded', [1]],
      ['europe-west1', 2, 'succeeded', [2]],
      ['asia-east1', 2, 'succeeded', [3]],
    ],
  );
  assert.deepEqual(json.attempts.map((a) => [a.number, a.outcome]), [[1, 'succeeded'], [2, 'succeeded'], [3, 'succeeded']], 'one attempt row per region deploy');
});

test('a failed region halts the run after its wave: later waves are not deployed and are recorded not_started; the run is failed', async () => {
  await using s = await setup('regions: [us-east1, europe-west1, asia-east1]');
  s.provider.failing.add('europe-west1');
  await s.scheduler.start();
  await s.clock.advanceTo(at('2026-01-05T10:10:00Z'));
  assert.deepEqual(s.provider.calls.map((c) => c.region), ['us-east1', 'europe-west1'], 'asia-east1 never deployed');
  const [occ] = await s.store.listOccurrences({ job: 'job' });
  assert.equal(occ!.state, 'failed');
  assert.equal(occ!.errorClass, 'unhealthy');
  assert.equal(occ!.message, 'region europe-west1: health check failed');
  assert.equal(occ!.reason, 'failed in wave 2: europe-west1 failed; halted, not deployed: asia-east1');
  const regions = occ!.detail!['regions'] as { region: string; outcome: string }[];
  assert.deepEqual(regions.map((r) => [r.region, r.outcome]), [['us-east1', 'succeeded'], ['europe-west1', 'failed'], ['asia-east1', 'not_started']]);
  const attempts = await s.store.listAttempts(occ!.id);
  assert.deepEqual(attempts.map((a) => [a.number, a.outcome, a.message]), [[1, 'succeeded', null], [2, 'failed', 'region europe-west1: health check failed']]);
});

test('a failure in one region of a parallel wave lets its sibling finish, then halts', async () => {
  await using s = await setup('waves: [[us-east1, europe-west1], [asia-east1]]', (r) => (r === 'europe-west1' ? 300_000 : 60_000));
  s.provider.failing.add('us-east1');
  await s.scheduler.start();
  await s.clock.advanceTo(at('2026-01-05T10:10:00Z'));
  const [occ] = await s.store.listOccurrences({ job: 'job' });
  assert.equal(occ!.state, 'failed');
  const regions = occ!.detail!['regions'] as { region: string; outcome: string }[];
  assert.deepEqual(regions.map((r) => [r.region, r.outcome]), [['us-east1', 'failed'], ['europe-west1', 'succeeded'], ['asia-east1', 'not_started']]);
  assert.equal(occ!.endedMs, at('2026-01-05T10:05:00Z'));
});

test('the job timeout bounds the whole run across waves: the second wave gets what is left', async () => {
  await using s = await setup('regions: [us-east1, europe-west1]\ntimeout: 3m', () => 120_000);
  await s.scheduler.start();
  await s.clock.advanceTo(at('2026-01-05T10:10:00Z'));
  const [occ] = await s.store.listOccurrences({ job: 'job' });
  assert.equal(occ!.state, 'timed_out');
  assert.equal(occ!.endedMs! - occ!.startedMs!, 180_000, 'stopped at 3 minutes, not 2 + 3');
  const regions = occ!.detail!['regions'] as { region: string; outcome: string }[];
  assert.deepEqual(regions.map((r) => [r.region, r.outcome]), [['us-east1', 'succeeded'], ['europe-west1', 'timed_out']]);
});

test('end to end through the CLI with real processes: `deploy` runs one shell process per region in wave order; history --json lists each region', async () => {
  const { runCli } = await import('../helpers/cli.js');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-waves-cli-'));
  try {
    const out = join(dir, 'regions.txt');
    const script = `require('fs').appendFileSync(${JSON.stringify(out)}, process.env.SHIPCLOCK_REGION + ' ' + process.env.SHIPCLOCK_RUN_ID + '\\n'); if (process.env.SHIPCLOCK_REGION === process.env.FAIL_REGION) process.exit(3)`;
    const file = join(dir, 'shipclock.yaml');
    const yaml = (fail: string) => `state_dir: ./state
deployments:
  web:
    provider: shell
    command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(script)}]
    env: { FAIL_REGION: "${fail}" }
    max_retries: 0
    waves: [[us-east1], [europe-west1, asia-east1]]
`;
    writeFileSync(file, yaml('none'));
    const ok = await runCli(['deploy', 'web', '-c', file], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(' '));
    assert.equal(lines[0]![0], 'us-east1', 'the first wave first');
    assert.deepEqual(lines.slice(1).map((l) => l[0]).sort(), ['asia-east1', 'europe-west1']);
    assert.ok(lines.every((l) => l[1]!.endsWith(`.${l[0]}`)), 'per-region run id');

    writeFileSync(file, yaml('us-east1'));
    const bad = await runCli(['deploy', 'web', '-c', file], { cwd: dir });
    assert.equal(bad.code, 1);
    const history = JSON.parse((await runCli(['history', 'web', '--json', '-c', file], { cwd: dir })).stdout) as { state: string; regions: { region: string; outcome: string }[] }[];
    assert.deepEqual(history.map((o) => o.state), ['failed', 'succeeded']);
    assert.deepEqual(history[0]!.regions.map((r) => [r.region, r.outcome]), [['us-east1', 'failed'], ['europe-west1', 'not_started'], ['asia-east1', 'not_started']]);
    assert.deepEqual(history[1]!.regions.map((r) => r.outcome), ['succeeded', 'succeeded', 'succeeded']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
