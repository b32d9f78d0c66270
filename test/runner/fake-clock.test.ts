import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../helpers/fake-clock.js';

describe('FakeClock (test helper)', () => {
  it('resolves sleepers in wake-time order, each seeing its own wake time', async () => {
    const clock = new FakeClock(1000);
    const seen: [string, number][] = [];
    void clock.sleepUntil(3000).then(() => seen.push(['c', clock.now()]));
    void clock.sleepUntil(2000).then(() => seen.push(['a', clock.now()]));
    void clock.sleepUntil(2000).then(() => seen.push(['b', clock.now()]));
    assert.deepEqual(clock.sleepers(), [2000, 2000, 3000]);
    await clock.advance(1500);
    assert.deepEqual(seen, [['a', 2000], ['b', 2000]]);
    assert.equal(clock.now(), 2500);
    await clock.advance(10_000);
    assert.deepEqual(seen.at(-1), ['c', 3000]);
    assert.equal(clock.now(), 12_500);
  });

  it('wakes a loop that sleeps again within one advance', async () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleepUntil(clock.now() + 100);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(350);
    assert.deepEqual(ticks, [100, 200, 300]);
  });

  it('resolves at once for past times and aborted signals, early on abort', async () => {
    const clock = new FakeClock(500);
    await clock.sleepUntil(400);
    const ac = new AbortController();
    const p = clock.sleepUntil(10_000, ac.signal);
    assert.equal(clock.pending, 1);
    ac.abort();
    await p;
    assert.equal(clock.pending, 0);
    assert.equal(clock.now(), 500);
    await clock.sleepUntil(10_000, ac.signal);
  });

  it('whenSleeping waits for an event, not for time', async () => {
    const clock = new FakeClock(0);
    const waiting = clock.whenSleeping(2);
    void clock.sleepUntil(5);
    queueMicrotask(() => void clock.sleepUntil(7));
    assert.deepEqual(await waiting, [5, 7]);
  });

  it('runUntil jumps sleeper to sleeper until the promise settles', async () => {
    const clock = new FakeClock(0);
    const work = (async () => {
      await clock.sleepUntil(60_000);
      await clock.sleepUntil(clock.now() + 3_600_000);
      return clock.now();
    })();
    assert.equal(await clock.runUntil(work), 3_660_000);
    await assert.rejects(clock.runUntil(Promise.reject(new Error('boom'))), /boom/);
  });

  it('runUntil refuses to run away', async () => {
    const clock = new FakeClock(0);
    const forever = (async () => {
      for (;;) await clock.sleepUntil(clock.now() + 86_400_000);
    })();
    await assert.rejects(clock.runUntil(forever, { maxAdvanceMs: 10 * 86_400_000 }), /not settled/);
  });

  it('jumpTo moves backwards without waking and forwards waking everything due', async () => {
    const clock = new FakeClock(10_000);
    const woke: number[] = [];
    void clock.sleepUntil(12_000).then(() => woke.push(clock.now()));
    await clock.jumpTo(5_000);
    assert.deepEqual(woke, []);
    await clock.jumpTo(20_000);
    assert.deepEqual(woke, [20_000]);
    await assert.rejects(clock.advanceTo(1), RangeError);
  });
});
