/**
 * `lease` and `heartbeat` (top level of the config): a claimed run holds the lease the config
 * names and renews it at the configured heartbeat, in the scheduler and in `deploy`. Real SQLite
 * ledger, virtual clock; the deploy is the harness's sleep-job (in-process, fake time).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deployNow } from '../../src/app/deploy-now.js';
import type { RunRequest, RunResult } from '../../src/runner/types.js';
import type { Store } from '../../src/store/types.js';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

/** The leases a run was given: at claim time, then at each heartbeat (fake-clock ms). */
async function leasesDuring(h: Awaited<ReturnType<typeof createHarness>>, untilMs: number): Promise<{ atMs: number; untilMs: number }[]> {
  const seen: { atMs: number; untilMs: number }[] = [];
  const poll = async (): Promise<void> => {
    for (const o of await h.ledger()) {
      if (o.state === 'running' && o.leaseUntilMs !== null && seen.at(-1)?.untilMs !== o.leaseUntilMs) seen.push({ atMs: h.clock.now(), untilMs: o.leaseUntilMs });
    }
  };
  while (h.clock.now() < untilMs) {
    await h.clock.advanceTo(h.clock.now() + 1_000);
    await poll();
  }
  return seen;
}

test('scheduler: lease 2m, heartbeat 20s: the run is claimed for 2 min and renewed every 20 s', async () => {
  const yaml = `lease: 2m\nheartbeat: 20s\n${oneJob('schedule: "0 10 * * *"')}`;
  await using h = await createHarness({ yaml, start: at('2026-01-05T09:59:50Z'), durationMs: 65_000 });
  assert.equal(h.config.leaseMs, 120_000);
  assert.equal(h.config.heartbeatMs, 20_000);
  await h.scheduler.start();
  const leases = await leasesDuring(h, at('2026-01-05T10:01:10Z'));
  const start = at('2026-01-05T10:00:00Z');
  assert.deepEqual(
    leases.map((l) => l.untilMs - start),
    [120_000, 140_000, 160_000, 180_000],
    'claimed until 10:02:00, then renewed at 10:00:20, :40 and 10:01:00, each for 2 min',
  );
  assert.deepEqual(await h.states(), { '2026-01-05T10:00:00.000Z': 'succeeded' });
});

test('scheduler: without lease/heartbeat in the config the defaults hold (30 s lease, 10 s heartbeat)', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "0 10 * * *"'), start: at('2026-01-05T09:59:50Z'), durationMs: 25_000 });
  assert.equal(h.config.leaseMs, 30_000);
  assert.equal(h.config.heartbeatMs, 10_000);
  await h.scheduler.start();
  const leases = await leasesDuring(h, at('2026-01-05T10:00:30Z'));
  assert.deepEqual(leases.map((l) => l.untilMs - at('2026-01-05T10:00:00Z')), [30_000, 40_000, 50_000]);
});

test('deploy (deployNow): the claim and its heartbeats use the configured lease and heartbeat', async () => {
  const yaml = `lease: 1m\nheartbeat: 15s\n${oneJob('')}`;
  await using h = await createHarness({ yaml, start: at('2026-01-05T10:00:00Z') });
  const heartbeats: number[] = [];
  const store = new Proxy(h.store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'heartbeat' || typeof value !== 'function') return value;
      return (id: string, fence: number, untilMs: number) => {
        heartbeats.push(untilMs - h.clock.now());
        return (value as Store['heartbeat']).call(target, id, fence, untilMs);
      };
    },
  });
  // A deploy that takes 40 s of fake time.
  const deploy = async (_req: RunRequest): Promise<RunResult> => {
    const startedAt = h.clock.now();
    await h.clock.sleepUntil(startedAt + 40_000);
    return { outcome: 'succeeded', attempts: [], errorClass: null, message: null, startedAt, endedAt: h.clock.now() };
  };
  const run = deployNow({ store, clock: h.clock, config: h.config, job: h.job(), by: 'test', deploy });
  await h.clock.advanceTo(h.clock.now() + 1_000);
  const claimLease = ((await h.ledger()).find((o) => o.state === 'running')?.leaseUntilMs ?? 0) - at('2026-01-05T10:00:00Z');
  const done = await h.clock.runUntil(run);
  assert.equal(claimLease, 60_000, 'claimed for the configured minute');
  assert.deepEqual(heartbeats, [60_000, 60_000], 'renewed at 15 s and 30 s, each for a minute');
  assert.equal(done.state, 'succeeded');
});

test('a long run lease does not lengthen the single-node lock: after a crash the state dir is free again within 30 s', async () => {
  await using h = await createHarness({ yaml: `lease: 1h\nheartbeat: 10m\n${oneJob('schedule: "0 10 * * *"')}`, start: at('2026-01-05T09:00:00Z') });
  await h.scheduler.start();
  const holder = await h.store.lockHolder('scheduler');
  assert.equal(holder?.owner, h.scheduler.owner);
  assert.equal((holder?.untilMs ?? 0) - h.clock.now(), 30_000);
});
