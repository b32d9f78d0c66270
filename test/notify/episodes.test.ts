import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { EpisodeTracker } from '../../src/notify/episodes.js';
import { event } from './helpers.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 2, 0);

describe('EpisodeTracker (pure aggregation rules)', () => {
  it('sends the first failure, counts the rest of the window, and summarises them at its end', () => {
    const t = new EpisodeTracker(15 * MIN);
    assert.deepEqual(t.onEvent(event('failed', 'web', T0), T0, true), { action: 'send', kind: 'problem', windowEnd: T0 + 15 * MIN });
    for (let i = 1; i <= 5; i++) assert.equal(t.onEvent(event(i === 3 ? 'timed_out' : 'failed', 'web', T0 + i * MIN), T0 + i * MIN, true).action, 'aggregated');
    assert.equal(t.closeWindow('web', T0 + 14 * MIN), null, 'not before the window ends');
    const summary = t.closeWindow('web', T0 + 15 * MIN);
    assert.equal(summary?.aggregate.count, 5);
    assert.deepEqual(summary?.aggregate.byType, { failed: 4, timed_out: 1 });
    assert.equal(summary?.since.getTime(), T0);
    assert.equal(t.windowEnd('web'), T0 + 30 * MIN, 'a window that summarised something opens the next');
    assert.equal(t.closeWindow('web', T0 + 30 * MIN), null, 'an empty window closes');
    assert.equal(t.windowEnd('web'), null);
    assert.equal(t.onEvent(event('failed', 'web', T0 + 31 * MIN), T0 + 31 * MIN, true).action, 'send', 'next failure after a quiet window goes out at once');
  });

  it('a success after run failures is a recovery that carries the unreported count and ends the episode', () => {
    const t = new EpisodeTracker(15 * MIN);
    t.onEvent(event('failed', 'web', T0), T0, true);
    t.onEvent(event('failed', 'web', T0 + MIN), T0 + MIN, true);
    const d = t.onEvent(event('succeeded', 'web', T0 + 2 * MIN), T0 + 2 * MIN, true);
    assert.ok(d.action === 'send' && d.kind === 'recovered', 'a recovery');
    assert.equal(d.recovery.failures, 2);
    assert.equal(d.recovery.unreported?.count, 1);
    assert.equal(d.closedWindow, true);
    assert.equal(t.windowEnd('web'), null);
    assert.deepEqual(t.onEvent(event('succeeded', 'web', T0 + 3 * MIN), T0 + 3 * MIN, true), { action: 'send', kind: 'succeeded' });
  });

  it('skipped occurrences are aggregated like failures, but a later success is no recovery', () => {
    const t = new EpisodeTracker(15 * MIN);
    assert.equal(t.onEvent(event('skipped', 'web', T0), T0, true).action, 'send');
    assert.equal(t.onEvent(event('skipped', 'web', T0 + MIN), T0 + MIN, true).action, 'aggregated');
    assert.deepEqual(t.onEvent(event('succeeded', 'web', T0 + 2 * MIN), T0 + 2 * MIN, true), { action: 'send', kind: 'succeeded' });
  });

  it('with on_failure off, failures open no window but still make the next success a recovery', () => {
    const t = new EpisodeTracker(15 * MIN);
    assert.equal(t.onEvent(event('failed', 'web', T0), T0, false).action, 'none');
    assert.equal(t.windowEnd('web'), null);
    const d = t.onEvent(event('succeeded', 'web', T0 + MIN), T0 + MIN, false);
    assert.ok(d.action === 'send' && d.kind === 'recovered' && d.recovery.failures === 1);
  });

  it('ends a window early when the wall clock is set back before its start', () => {
    const t = new EpisodeTracker(15 * MIN);
    t.onEvent(event('failed', 'web', T0), T0, true);
    t.onEvent(event('failed', 'web', T0 + MIN), T0 + MIN, true);
    assert.equal(t.windowOver('web', T0 + 2 * MIN), false);
    assert.equal(t.windowOver('web', T0 - 60 * MIN), true);
    assert.equal(t.closeWindow('web', T0 - 60 * MIN)?.aggregate.count, 1);
  });

  it('keeps jobs apart and closeAll returns every pending summary', () => {
    const t = new EpisodeTracker(15 * MIN);
    for (const j of ['a', 'b']) {
      t.onEvent(event('failed', j, T0), T0, true);
      t.onEvent(event('failed', j, T0 + MIN), T0 + MIN, true);
    }
    t.onEvent(event('failed', 'c', T0), T0, true);
    assert.deepEqual(t.closeAll().map((s) => [s.job, s.aggregate.count]), [['a', 1], ['b', 1]]);
    assert.equal(t.windowEnd('a'), null);
  });
});
