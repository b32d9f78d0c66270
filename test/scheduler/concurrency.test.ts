/** G41 (GitHub Actions scheduled runs dropped or delayed): a global concurrency cap delays, never drops. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, createHarness } from '../helpers/scheduler-harness.js';

test('G41: 500 hourly schedules with max_concurrent_runs 20 for 3 hours: 1,500 runs, 0 dropped, never more than 20 at once', async () => {
  const jobs = Array.from({ length: 500 }, (_, i) => `  j${i}: { schedule: "0 * * * *", provider: shell, command: ["true"] }\n`).join('');
  await using h = await createHarness({ yaml: `max_concurrent_runs: 20\ndeployments:\n${jobs}`, start: at('2026-01-05T09:59:30Z'), durationMs: 1_000 });
  let running = 0;
  let maxRunning = 0;
  h.scheduler.events.on('run:started', () => void (maxRunning = Math.max(maxRunning, ++running)));
  h.scheduler.events.on('run:finished', () => void running--);
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T12:59:00Z'));

  const ledger = await h.ledger();
  assert.equal(ledger.length, 1500);
  assert.equal(ledger.filter((o) => o.state === 'succeeded').length, 1500, '0 dropped');
  assert.ok(maxRunning <= 20, `at most 20 at once (saw ${maxRunning})`);
  const lateness = ledger.map((o) => o.startedMs! - o.dueMs).sort((a, b) => a - b);
  const p = (q: number): number => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))]!;
  // 500 one-second deploys through 20 slots: 25 waves of 1 s, so the last starts ~24-25 s late.
  assert.ok(p(1) <= 26_000, `the last of 500 starts within ~25 s (p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms)`);
});
