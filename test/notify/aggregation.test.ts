import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createNotifier } from '../../src/notify/index.js';
import { FakeClock } from './fake-clock.js';
import { event, job, startReceiver, type Receiver } from './helpers.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 2, 0);

type Body = { kind: string; job: string; title: string; summary: { count: number; since: string } | null; recovery: { failures: number; unreported: number; since: string | null } | null };
/**
 * Let the window timer finish reacting to the last advance: it wakes and decides on
 * microtasks only, so one turn of the event loop is enough (no time passes).
 */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const bodies = (r: Receiver): Body[] => r.requests.map((q) => q.body as Body);

function setup(receiver: Receiver, clock: FakeClock, jobs = [job('web', { webhooks: [{ url: receiver.url }] })]) {
  return createNotifier({ jobs, smtp: null, env: {}, dashboardUrl: null, clock });
}

describe('failure aggregation with a fake clock (webhooks to a local receiver)', { timeout: 20_000 }, () => {
  it('an every-minute failing job: first failure at once, one summary per 15-minute window, recovery closes the episode', async () => {
    await using receiver = await startReceiver();
    const clock = new FakeClock(T0);
    await using notifier = setup(receiver, clock);

    notifier.notify(event('failed', 'web', T0));
    await notifier.idle();
    assert.deepEqual(bodies(receiver).map((b) => b.kind), ['failed']);

    for (let i = 1; i <= 5; i++) {
      clock.advanceTo(T0 + i * MIN);
      notifier.notify(event('failed', 'web', T0 + i * MIN));
    }
    await notifier.idle();
    assert.equal(receiver.requests.length, 1, 'failures inside the window are held back');

    clock.advanceTo(T0 + 15 * MIN - 1);
    await settle();
    await notifier.idle();
    assert.equal(receiver.requests.length, 1, 'no summary before the window ends');
    clock.advanceTo(T0 + 15 * MIN);
    await receiver.waitFor(2);
    const summary = bodies(receiver)[1];
    assert.equal(summary?.kind, 'summary');
    assert.equal(summary?.title, '5 more failures of job web since 2026-01-10T02:00:00Z');
    assert.equal(summary?.summary?.count, 5);

    clock.advanceTo(T0 + 16 * MIN);
    notifier.notify(event('failed', 'web', T0 + 16 * MIN));
    clock.advanceTo(T0 + 17 * MIN);
    notifier.notify(event('succeeded', 'web', T0 + 17 * MIN));
    await notifier.idle();
    assert.equal(receiver.requests.length, 3, 'the 16-minute failure is not sent on its own');
    const recovered = bodies(receiver)[2];
    assert.equal(recovered?.kind, 'recovered');
    assert.equal(recovered?.title, 'Job web recovered after 7 failures');
    assert.deepEqual(recovered?.recovery, { failures: 7, since: '2026-01-10T02:00:01Z', unreported: 1 });
    assert.deepEqual(clock.sleepers(), [], 'recovery stops the window timer');

    clock.advanceTo(T0 + 40 * MIN);
    notifier.notify(event('failed', 'web', T0 + 40 * MIN));
    await notifier.idle();
    assert.deepEqual(bodies(receiver).map((b) => b.kind), ['failed', 'summary', 'recovered', 'failed'], 'a new episode starts with an immediate message');
  });

  it('a window with nothing more to report ends silently; the next failure goes out at once', async () => {
    await using receiver = await startReceiver();
    const clock = new FakeClock(T0);
    await using notifier = setup(receiver, clock);
    notifier.notify(event('failed', 'web', T0));
    await notifier.idle();
    assert.deepEqual(clock.sleepers(), [T0 + MIN], 'window timer waits in steps of at most 60 s');
    for (let m = 1; m <= 15; m++) clock.advanceTo(T0 + m * MIN);
    await settle();
    await notifier.idle();
    assert.equal(receiver.requests.length, 1);
    assert.deepEqual(clock.sleepers(), []);
    clock.advanceTo(T0 + 20 * MIN);
    notifier.notify(event('timed_out', 'web', T0 + 20 * MIN));
    await notifier.idle();
    assert.deepEqual(bodies(receiver).map((b) => b.kind), ['failed', 'timed_out']);
  });

  it('flush sends the pending summary at once (shutdown) instead of waiting for the window', async () => {
    await using receiver = await startReceiver();
    const clock = new FakeClock(T0);
    await using notifier = setup(receiver, clock);
    notifier.notify(event('failed', 'web', T0));
    clock.advanceTo(T0 + MIN);
    notifier.notify(event('skipped', 'web', T0 + MIN, { reason: 'previous run still running (overlap: skip)' }));
    notifier.notify(event('failed', 'web', T0 + MIN));
    await notifier.flush();
    assert.deepEqual(bodies(receiver).map((b) => [b.kind, b.title]), [
      ['failed', 'Job web failed'],
      ['summary', '2 more problems of job web since 2026-01-10T02:00:00Z'],
    ]);
    assert.deepEqual(clock.sleepers(), []);
  });

  it('disposing sends what is pending, stops the timers and ignores later events without throwing', async () => {
    await using receiver = await startReceiver();
    const clock = new FakeClock(T0);
    const notifier = setup(receiver, clock);
    notifier.notify(event('failed', 'web', T0));
    notifier.notify(event('failed', 'web', T0 + 1));
    await notifier[Symbol.asyncDispose]();
    assert.deepEqual(bodies(receiver).map((b) => b.kind), ['failed', 'summary']);
    assert.deepEqual(clock.sleepers(), []);
    assert.doesNotThrow(() => notifier.notify(event('failed', 'web', T0 + 2)));
    await notifier.idle();
    assert.equal(receiver.requests.length, 2);
  });

  it('keeps each job and channel in order: a recovery never overtakes the failure still being retried', async () => {
    await using receiver = await startReceiver((n) => (n === 1 ? 503 : 200));
    const clock = new FakeClock(T0);
    await using notifier = setup(receiver, clock);
    notifier.notify(event('failed', 'web', T0));
    notifier.notify(event('succeeded', 'web', T0 + 1000));
    await receiver.waitFor(1);
    const [wake] = await clock.whenSleeping();
    clock.advanceTo(wake ?? 0);
    await notifier.idle();
    assert.deepEqual(bodies(receiver).map((b) => b.kind), ['failed', 'failed', 'recovered']);
  });
});

describe('which events are sent (notifications settings)', { timeout: 20_000 }, () => {
  it('follows on_success and on_failure per job', async () => {
    await using receiver = await startReceiver();
    const clock = new FakeClock(T0);
    const hook = (name: string) => [{ url: `${receiver.url}?job=${name}` }];
    await using notifier = setup(receiver, clock, [
      job('failure-only', { onFailure: true, onSuccess: false, webhooks: hook('failure-only') }),
      job('success-only', { onFailure: false, onSuccess: true, webhooks: hook('success-only') }),
      job('silent', { onFailure: false, onSuccess: false, webhooks: hook('silent') }),
      job('unconfigured', null),
    ]);
    for (const name of ['failure-only', 'success-only', 'silent', 'unconfigured']) {
      notifier.notify(event('succeeded', name, T0));
      notifier.notify(event('failed', name, T0 + MIN));
      notifier.notify(event('succeeded', name, T0 + 2 * MIN));
    }
    await notifier.flush();
    const sent = (name: string) => receiver.requests.filter((q) => q.path.endsWith(`job=${name}`)).map((q) => (q.body as Body).kind);
    assert.deepEqual(sent('failure-only'), ['failed', 'recovered']);
    assert.deepEqual(sent('success-only'), ['succeeded', 'recovered']);
    assert.deepEqual(sent('silent'), []);
    assert.equal(receiver.requests.length, 4);
  });

  it('sends skipped, missed, blocked and interrupted when on_failure is on (each opens or joins the window)', async () => {
    await using receiver = await startReceiver();
    const clock = new FakeClock(T0);
    await using notifier = setup(receiver, clock);
    const kinds = ['skipped', 'missed', 'blocked', 'interrupted'] as const;
    kinds.forEach((k, i) => {
      clock.advanceTo(T0 + i * 20 * MIN);
      notifier.notify(event(k, 'web', T0 + i * 20 * MIN, { reason: `because ${k}` }));
    });
    await notifier.flush();
    assert.deepEqual(bodies(receiver).map((b) => b.kind), [...kinds]);
  });

  it('a clock jump naming no job goes once to every on_failure webhook', async () => {
    await using receiver = await startReceiver();
    const clock = new FakeClock(T0);
    await using notifier = setup(receiver, clock, [
      job('a', { webhooks: [{ url: receiver.url }] }),
      job('b', { webhooks: [{ url: receiver.url }] }),
      job('c', { onFailure: false, webhooks: [{ url: `${receiver.url}?c` }] }),
    ]);
    notifier.notify(event('clock_jump', '', T0, { reason: 'wall clock moved back 2h' }));
    await notifier.flush();
    assert.deepEqual(bodies(receiver).map((b) => [b.kind, b.title]), [['clock_jump', 'shipclock clock jump detected']]);
  });
});
