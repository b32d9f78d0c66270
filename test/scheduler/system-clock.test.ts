/**
 * The real clock's waits are capped (Node timers overflow past 24.8 days and fire at once), and
 * the scheduler re-checks the wall clock after each capped wait. Node's own mock timers stand in
 * for real time here.
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { systemClock } from '../../src/scheduler/system-clock.js';

test('sleepUntil a target 30 days away waits at most 60 s, never fires early through timer overflow', async () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.UTC(2026, 0, 1) });
  try {
    let woke = false;
    const p = systemClock.sleepUntil(Date.now() + 30 * 86_400_000).then(() => (woke = true));
    mock.timers.tick(1);
    await Promise.resolve();
    assert.equal(woke, false, 'an overflowed timer would have fired after 1 ms');
    mock.timers.tick(59_998);
    await Promise.resolve();
    assert.equal(woke, false);
    mock.timers.tick(1);
    await p;
    assert.equal(woke, true, 'the capped wait ends after 60 s so the caller can re-check the wall clock');
  } finally {
    mock.timers.reset();
  }
});

test('sleepUntil ends early when its signal aborts', async () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    const ac = new AbortController();
    const p = systemClock.sleepUntil(10_000, ac.signal);
    ac.abort();
    await p;
  } finally {
    mock.timers.reset();
  }
});
