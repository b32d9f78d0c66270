/**
 * D31 node-cron#348/#378: creating and deleting 10,000 schedules leaves no memory, no timers and
 * no orphaned schedules behind (through the library API: the scheduler's job set; the CLI and
 * daemon reach the same code through config reload).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { JobConfig } from '../../src/config/types.js';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/**
 * A full GC, a turn of the event loop, another: the promises of the 10,000 writes a round
 * issues at once stay in Node's promise bookkeeping until the turn ends, so a GC right after
 * the round still counts them (measured 7-14 MB; gone one turn later).
 */
const settledGc = async (): Promise<void> => {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
};

test('D31: 10,000 schedules created and deleted five times: heap within +10%, no leftover timers, no orphaned jobs', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "*/5 * * * *"'), start: at('2026-01-05T10:00:30Z'), durationMs: 1_000 });
  const base = h.job();
  await h.scheduler.start();
  const many: JobConfig[] = Array.from({ length: 10_000 }, (_, i) => ({ ...base, name: `j${i}`, target: `j${i}`, schedule: `${i % 60} * * * *` }));
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  const round = async (): Promise<void> => {
    h.scheduler.setJobs(many);
    await h.scheduler.syncJobs();
    assert.equal((await h.store.listJobs()).length, 10_000);
    h.scheduler.setJobs([base]);
    await h.scheduler.syncJobs();
  };
  await round(); // warm caches (compiled schedules, prepared statements)
  await settledGc();
  const heap0 = process.memoryUsage().heapUsed;
  const timers0 = timers();
  for (let i = 0; i < 5; i++) await round();
  await settledGc();
  const heap1 = process.memoryUsage().heapUsed;
  assert.ok(heap1 <= heap0 * 1.1, `heap ${heap0} → ${heap1} bytes`);
  assert.ok(timers() <= timers0, 'no timer per schedule is left behind');
  assert.deepEqual((await h.store.listJobs()).map((j) => j.name), ['job'], 'the store holds no orphaned schedules');
});
