/**
 * /metrics after real occurrences: the scheduler acceptance harness (real scheduler, runner,
 * calendar and SQLite ledger; the sleep-job provider on a fake clock) and a scrape over HTTP.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createApiServer } from '../../src/server/api-server.js';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

/** Prometheus text → { 'name{a="1",b="2"}': value } with labels sorted, `le` included. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels = (m[2] ?? '')
      .split(',')
      .filter(Boolean)
      .sort()
      .join(',');
    out.set(labels ? `${m[1]}{${labels}}` : m[1]!, Number(m[3]));
  }
  return out;
}

test('scrape after runs: runs by state, attempts, lateness and duration histograms, skips, notification failures, up, tick age', async () => {
  await using h = await createHarness({ yaml: oneJob('schedule: "* * * * *"\nmax_retries: 0'), start: at('2026-01-05T10:00:30Z'), durationMs: 5_000 });
  await using api = await createApiServer({ config: h.config, store: h.store, scheduler: h.scheduler, clock: h.clock, token: null, host: '127.0.0.1', port: 0 });
  let lastTickMs: number | null = null;
  h.scheduler.events.on('tick', (t) => void (lastTickMs = t.nowMs));
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:03:30Z')); // 10:01, 10:02, 10:03 succeed
  h.provider.fail = { errorClass: 'invalid', message: 'bad manifest' };
  await h.clock.advanceTo(at('2026-01-05T10:05:30Z')); // 10:04, 10:05 fail
  h.provider.fail = null;
  h.provider.durationMs = 130_000; // 10:06 runs until 10:08:10: 10:07 and 10:08 are skipped
  await h.clock.advanceTo(at('2026-01-05T10:08:30Z'));
  // What the notifier records for each delivery try (src/app/notify-bridge.ts): only final failures count.
  const note = (ok: boolean, final: boolean, channel: string) =>
    h.store.appendEvent({ atMs: h.clock.now(), job: 'job', type: 'notification', data: { channel, ok, final, try: 1 } });
  await note(false, false, 'email');
  await note(false, true, 'email');
  await note(true, true, 'webhook');
  await note(false, true, 'webhook');
  await note(false, true, 'webhook');
  await h.clock.advance(7_000);

  const res = await fetch(`${api.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const s = samples(await res.text());
  const states = await h.states();
  assert.equal(Object.values(states).filter((x) => x === 'skipped_overlap').length, 2, 'ledger agrees: two skips');
  assert.equal(s.get('shipclock_runs_total{job="job",state="succeeded"}'), 4);
  assert.equal(s.get('shipclock_runs_total{job="job",state="failed"}'), 2);
  assert.equal(s.get('shipclock_runs_total{job="job",state="skipped_overlap"}'), 2);
  assert.equal(s.get('shipclock_attempts_total{job="job",outcome="succeeded"}'), 4);
  assert.equal(s.get('shipclock_attempts_total{job="job",outcome="failed"}'), 2);
  assert.equal(s.get('shipclock_skipped_total{job="job"}'), 2);
  assert.equal(s.get('shipclock_lateness_seconds_count{job="job"}'), 6);
  assert.equal(s.get('shipclock_lateness_seconds_sum{job="job"}'), 0, 'every run started on time');
  assert.equal(s.get('shipclock_run_duration_seconds_count{job="job"}'), 6);
  assert.equal(s.get('shipclock_run_duration_seconds_sum{job="job"}'), 5 * 5 + 130);
  assert.equal(s.get('shipclock_run_duration_seconds_bucket{job="job",le="5"}'), 5);
  assert.equal(s.get('shipclock_run_duration_seconds_bucket{job="job",le="120"}'), 5);
  assert.equal(s.get('shipclock_run_duration_seconds_bucket{job="job",le="300"}'), 6);
  assert.equal(s.get('shipclock_notification_failures_total{channel="email",job="job"}'), 1);
  assert.equal(s.get('shipclock_notification_failures_total{channel="webhook",job="job"}'), 2);
  assert.equal(s.get('shipclock_scheduler_up'), 1);
  assert.notEqual(lastTickMs, null);
  assert.equal(s.get('shipclock_last_tick_age_seconds'), (h.clock.now() - lastTickMs!) / 1000, 'age of the last tick, at scrape time');

  // A second scrape counts nothing twice.
  const again = samples(await (await fetch(`${api.url}/metrics`)).text());
  assert.equal(again.get('shipclock_notification_failures_total{channel="webhook",job="job"}'), 2);
  assert.equal(again.get('shipclock_runs_total{job="job",state="succeeded"}'), 4);
  // A delivery that ended a minute before the newest one but was recorded after the last scrape.
  await h.store.appendEvent({ atMs: h.clock.now() - 60_000, job: 'job', type: 'notification', data: { channel: 'email', ok: false, final: true } });
  const late = samples(await (await fetch(`${api.url}/metrics`)).text());
  assert.equal(late.get('shipclock_notification_failures_total{channel="email",job="job"}'), 2);

  await h.scheduler.stop();
  assert.equal(samples(await (await fetch(`${api.url}/metrics`)).text()).get('shipclock_scheduler_up'), 0);
});

test('missed times after downtime and a run stopped by its timeout are counted', async () => {
  await using h = await createHarness({
    yaml: oneJob('schedule: "0 * * * *"\ncatch_up_window: 20m\ntimeout: 1m\nmax_retries: 0'),
    start: at('2026-01-05T09:55:00Z'),
    durationMs: 5 * 60_000,
  });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T09:58:00Z'));
  await h.scheduler.stop();
  await h.clock.jumpTo(at('2026-01-05T11:30:00Z')); // down through 10:00 and 11:00
  const s = h.restart();
  const metrics = createMetrics({ store: h.store, clock: h.clock, events: s.events });
  await s.start();
  await h.clock.advanceTo(at('2026-01-05T12:05:00Z')); // 12:00 runs 5 min against a 1 min timeout
  const out = samples(await metrics.scrape());
  metrics.close();
  assert.equal(out.get('shipclock_missed_total{job="job"}'), 2);
  assert.equal(out.get('shipclock_runs_total{job="job",state="missed"}'), 2);
  assert.equal(out.get('shipclock_timed_out_total{job="job"}'), 1);
  assert.equal(out.get('shipclock_runs_total{job="job",state="timed_out"}'), 1);
});
