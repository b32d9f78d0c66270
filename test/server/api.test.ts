/**
 * The HTTP API with real requests against a real server (127.0.0.1, port 0), the real
 * scheduler and SQLite ledger on a fake clock. The deploy is a GateProvider (in-process, labelled
 * in fixture.ts): the test decides when it prints and when it ends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueueBackfill, requestRun } from '../../src/scheduler/operations.js';
import { apiFixture, readRest, readUntil, SECRETS } from './fixture.js';

test('GET /api/jobs: every job with schedule in words, timezone, next time, last result, paused; no provider settings', async () => {
  await using f = await apiFixture();
  const res = await f.fetch('/api/jobs');
  assert.equal(res.status, 200);
  const text = await res.text();
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `response must not contain ${secret}`);
  const { jobs } = JSON.parse(text) as { jobs: Record<string, unknown>[] };
  assert.deepEqual(
    jobs.map((j) => j.name),
    ['web', 'api'],
  );
  const web = jobs[0]!;
  assert.equal(web.schedule_words, 'every 5 minutes');
  assert.equal(web.description, 'The web frontend');
  assert.equal(web.timezone, 'UTC');
  assert.equal(web.next_time, '2026-03-02T10:05:00.000Z');
  assert.deepEqual(web.provider, { kind: 'shell' });
  assert.equal(web.paused, false);
  assert.equal(web.last, null);
  const api = jobs[1]!;
  assert.equal(api.timezone, 'Europe/Berlin');
  assert.equal(api.next_time, '2026-03-03T01:30:00.000Z');
  assert.equal(api.next_time_local, '2026-03-03T02:30:00+01:00');
});

test('trigger → the in-process scheduler starts it at once; pause and resume are in the store', async () => {
  await using f = await apiFixture();
  const started = f.gate.nextRun();
  const res = await f.post('/api/jobs/web/trigger', { force: true, note: 'hotfix' });
  assert.equal(res.status, 202);
  const body = (await res.json()) as { occurrence_id: string; url: string; force: boolean };
  assert.equal(body.force, true);
  assert.equal(body.url, `/runs/${body.occurrence_id}`);
  const run = await started; // no clock advance: the trigger poked the scheduler
  const occ = await f.store.getOccurrence(body.occurrence_id);
  assert.equal(occ?.state, 'running');
  assert.equal(occ?.kind, 'manual');
  assert.equal(occ?.requestedBy, 'api');
  assert.equal(occ?.reason, 'hotfix');
  const finished = f.scheduler!.events.waitFor('run:finished');
  run.open({ state: 'succeeded' });
  await finished;
  assert.equal((await f.store.getOccurrence(body.occurrence_id))?.state, 'succeeded');

  const paused = await f.post('/api/jobs/web/pause', { note: 'release freeze', until: '2026-03-03T00:00:00Z' });
  assert.equal(paused.status, 200);
  const rec = await f.store.getJob('web');
  assert.equal(rec?.paused, true);
  assert.equal(rec?.pausedNote, 'release freeze');
  assert.equal(rec?.pausedBy, 'api');
  assert.equal(rec?.pausedUntilMs, Date.parse('2026-03-03T00:00:00Z'));
  const jobs = (await (await f.fetch('/api/jobs')).json()) as { jobs: { name: string; paused: boolean; paused_note: string; last: { state: string } }[] };
  const web = jobs.jobs.find((j) => j.name === 'web')!;
  assert.equal(web.paused, true);
  assert.equal(web.paused_note, 'release freeze');
  assert.equal(web.last.state, 'succeeded');

  const resumed = await f.post('/api/jobs/web/resume', { catch_up: false });
  assert.equal(resumed.status, 200);
  assert.equal((await f.store.getJob('web'))?.paused, false);
  const events = await f.store.listEvents({ job: 'web' });
  assert.deepEqual(
    events.map((e) => e.type).filter((t) => t === 'paused' || t === 'resumed'),
    ['resumed', 'paused'],
  );
});

test('bad input → 400 with a JSON problem naming the field, the value and what is allowed', async () => {
  await using f = await apiFixture();
  const cases: [Promise<Response>, number, string, unknown][] = [
    [f.post('/api/jobs/web/trigger', { force: 'yes' }), 400, 'force', 'yes'],
    [f.post('/api/jobs/web/trigger', { forse: true }), 400, 'forse', true],
    [f.post('/api/jobs/web/pause', { until: 'tomorrow' }), 400, 'until', 'tomorrow'],
    [f.post('/api/jobs/web/pause', { until: '2020-01-01T00:00:00Z' }), 400, 'until', '2020-01-01T00:00:00Z'],
    [f.post('/api/jobs/nope/trigger', {}), 404, 'name', 'nope'],
    [f.fetch('/api/occurrences?state=exploded'), 400, 'state', 'exploded'],
    [f.fetch('/api/occurrences?limit=0'), 400, 'limit', '0'],
    [f.fetch('/api/occurrences?from=yesterday'), 400, 'from', 'yesterday'],
    [f.fetch('/api/occurrences?cursor=garbage'), 400, 'cursor', 'garbage'],
    [f.fetch('/api/occurrences?job=nope'), 404, 'job', 'nope'],
    [f.fetch('/api/why?job=web&time=2026-03-02'), 400, 'time', '2026-03-02'],
  ];
  for (const [pending, status, field, value] of cases) {
    const res = await pending;
    assert.equal(res.status, status, `${field}=${JSON.stringify(value)}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const p = (await res.json()) as { field: string; value: unknown; allowed: string; code: string; status: number };
    assert.equal(p.field, field);
    assert.deepEqual(p.value, value);
    assert.equal(typeof p.allowed, 'string');
    assert.ok(p.allowed.length > 0);
    assert.equal(p.status, status);
  }
  const allowed = (await (await f.post('/api/jobs/nope/trigger', {})).json()) as { allowed: string };
  assert.equal(allowed.allowed, 'web, api');
  const notJson = await f.fetch('/api/jobs/web/trigger', { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json' } });
  assert.equal(notJson.status, 400);
  assert.equal(((await notJson.json()) as { code: string }).code, 'E_HTTP_BAD_JSON');
  assert.equal((await f.fetch('/api/jobs', { method: 'DELETE' })).status, 405);
  assert.equal((await f.fetch('/api/nothing')).status, 404);
  assert.equal((await f.store.listOccurrences()).length, 0, 'nothing was recorded by refused requests');
});

test('GET /api/occurrences: filters and cursor paging visit every row once, also when jobs share fire times', async () => {
  await using f = await apiFixture();
  const times = Array.from({ length: 7 }, (_, i) => Date.parse('2026-03-01T00:00:00Z') + i * 3_600_000);
  for (const name of ['web', 'api']) await enqueueBackfill(f.store, f.config.jobs.find((j) => j.name === name)!, times, { nowMs: f.clock.now(), by: 'test' });
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await f.fetch(`/api/occurrences?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200);
    const page = (await res.json()) as { occurrences: { id: string; nominal_time: string }[]; next_cursor: string | null };
    assert.ok(page.occurrences.length <= 3);
    seen.push(...page.occurrences.map((o) => o.id));
    cursor = page.next_cursor;
    pages++;
  } while (cursor !== null && pages < 20);
  assert.equal(seen.length, 14);
  assert.equal(new Set(seen).size, 14, 'no row twice');

  const filtered = (await (
    await f.fetch('/api/occurrences?job=api&state=pending&from=2026-03-01T02:00:00Z&to=2026-03-01T05:00:00Z')
  ).json()) as { occurrences: { job: string; nominal_time: string; state: string }[] };
  assert.deepEqual(
    filtered.occurrences.map((o) => [o.job, o.nominal_time, o.state]),
    [
      ['api', '2026-03-01T04:00:00.000Z', 'pending'],
      ['api', '2026-03-01T03:00:00.000Z', 'pending'],
      ['api', '2026-03-01T02:00:00.000Z', 'pending'],
    ],
  );
  const none = (await (await f.fetch('/api/occurrences?state=failed,timed_out')).json()) as { occurrences: unknown[] };
  assert.equal(none.occurrences.length, 0);
});

test('GET /api/occurrences/:id has the attempts; the log streams while the attempt runs and ends with it', async () => {
  await using f = await apiFixture();
  const started = f.gate.nextRun();
  const { occurrence_id: id } = (await (await f.post('/api/jobs/web/trigger', {})).json()) as { occurrence_id: string };
  const run = await started;
  run.ctx.log('step 1: building');

  const detail = (await (await f.fetch(`/api/occurrences/${id}`)).json()) as { state: string; attempts: { number: number; outcome: string | null; log_url: string }[] };
  assert.equal(detail.state, 'running');
  assert.equal(detail.attempts.length, 1);
  assert.equal(detail.attempts[0]!.outcome, null);
  assert.equal(detail.attempts[0]!.log_url, `/api/occurrences/${id}/log?attempt=1`);
  assert.ok(!JSON.stringify(detail).includes(f.dir), 'no server paths in the response');

  const res = await f.fetch(detail.attempts[0]!.log_url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const first = await readUntil(res, (t) => t.includes('step 1: building'));
  run.ctx.log('step 2: pushing DEPLOY_API_TOKEN=tok-9f8e7d6c5b4a-secret');
  let text = first.text;
  const dec = new TextDecoder();
  while (!text.includes('step 2')) {
    const { done, value } = await first.reader.read();
    assert.equal(done, false, 'the stream stays open while the attempt runs');
    text += dec.decode(value, { stream: true });
  }
  const finished = f.scheduler!.events.waitFor('run:finished');
  run.open({ state: 'succeeded' });
  text += await readRest(first.reader); // ends because the attempt ended
  await finished;
  assert.equal(text.match(/step 1: building/g)?.length, 1);
  assert.equal(text.match(/step 2/g)?.length, 1);
  assert.ok(!text.includes('tok-9f8e7d6c5b4a-secret'), 'the log was redacted when written');
  assert.ok(text.indexOf('step 1') < text.indexOf('step 2'));

  const done = (await (await f.fetch(`/api/occurrences/${id}`)).json()) as { state: string; attempts: { outcome: string }[] };
  assert.equal(done.state, 'succeeded');
  assert.equal(done.attempts[0]!.outcome, 'succeeded');
  const again = await f.fetch(`/api/occurrences/${id}/log?attempt=1`);
  assert.match(await again.text(), /step 1: building\n[^]*step 2/);
  assert.equal((await f.fetch(`/api/occurrences/${id}/log?attempt=9`)).status, 404);
  assert.equal((await f.fetch('/api/occurrences/no-such-id')).status, 404);
});

test('GET /api/events: server-sent events from the scheduler (run started, log, finished)', async () => {
  await using f = await apiFixture();
  const res = await f.fetch('/api/events');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const hello = await readUntil(res, (t) => t.includes('event: hello'));
  const started = f.gate.nextRun();
  await f.post('/api/jobs/web/trigger', {});
  const run = await started;
  run.ctx.log('hello from the deploy');
  run.open({ state: 'failed', errorClass: 'invalid', message: 'bad manifest' });
  const dec = new TextDecoder();
  let text = hello.text;
  while (!text.includes('event: run:finished')) {
    const { done, value } = await hello.reader.read();
    assert.equal(done, false);
    text += dec.decode(value, { stream: true });
  }
  await hello.reader.cancel();
  const events = text
    .split('\n\n')
    .filter((b) => b.includes('event: '))
    .map((b) => ({ name: /event: (.*)/.exec(b)![1]!, data: JSON.parse(/data: (.*)/.exec(b)![1]!) as Record<string, unknown> }));
  const names = events.map((e) => e.name);
  for (const n of ['occurrence:recorded', 'run:started', 'run:log', 'run:attempt', 'run:finished']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  assert.ok(names.indexOf('run:started') < names.indexOf('run:finished'));
  const log = events.find((e) => e.name === 'run:log' && e.data.line === 'hello from the deploy');
  assert.ok(log, 'the deploy log line arrives as run:log');
  const fin = events.find((e) => e.name === 'run:finished')!;
  assert.equal(fin.data.outcome, 'failed');
  assert.equal((fin.data.occurrence as { job: string }).job, 'web');
});

test('GET /api/why answers from the ledger; GET /healthz', async () => {
  await using f = await apiFixture();
  const res = await f.fetch('/api/why?job=web&time=2026-03-02T10:03:00Z');
  assert.equal(res.status, 200);
  const why = (await res.json()) as { job: string; due: boolean; text: string };
  assert.equal(why.job, 'web');
  assert.equal(why.due, false);
  assert.match(why.text, /not a fire time/);
  assert.deepEqual(await (await f.fetch('/healthz')).json(), { ok: true });
});

test('serve mode (no scheduler here): a trigger is recorded pending in the store for a separate scheduler', async () => {
  await using f = await apiFixture({ scheduler: false });
  const res = await f.post('/api/jobs/api/trigger', {});
  assert.equal(res.status, 202);
  const body = (await res.json()) as { occurrence_id: string; scheduler_in_process: boolean };
  assert.equal(body.scheduler_in_process, false);
  assert.equal((await f.store.getOccurrence(body.occurrence_id))?.state, 'pending');
  const metrics = await (await f.fetch('/metrics')).text();
  assert.match(metrics, /^shipclock_scheduler_up 0$/m);
  assert.doesNotMatch(metrics, /shipclock_last_tick_age_seconds/);
});

test('no secrets in responses: a provider message carrying a secret setting is redacted in JSON and in SSE', async () => {
  await using f = await apiFixture({ token: 'api-token-abcdef123' });
  const sse = await f.fetch('/api/events');
  const hello = await readUntil(sse, (t) => t.includes('event: hello'));
  const started = f.gate.nextRun();
  const { occurrence_id: id } = (await (await f.post('/api/jobs/web/trigger', {}, 'api-token-abcdef123')).json()) as { occurrence_id: string };
  const run = await started;
  const finished = f.scheduler!.events.waitFor('run:finished');
  run.open({ state: 'failed', errorClass: 'auth', message: 'login with tok-9f8e7d6c5b4a-secret to postgres://deploy:hunter2hunter2@db.internal refused' });
  await finished;
  const body = await (await f.fetch(`/api/occurrences/${id}`)).text();
  assert.match(body, /"state": "failed"/);
  for (const secret of [...SECRETS, 'api-token-abcdef123']) assert.ok(!body.includes(secret), `occurrence JSON leaks ${secret}`);
  assert.match(body, /\[REDACTED\]/);
  let text = hello.text;
  const dec = new TextDecoder();
  while (!text.includes('event: run:finished')) {
    const { done, value } = await hello.reader.read();
    assert.equal(done, false);
    text += dec.decode(value, { stream: true });
  }
  await hello.reader.cancel();
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `SSE leaks ${secret}`);
});

test('serve mode SSE: changes written to the ledger by another process arrive as occurrence:changed', async () => {
  await using f = await apiFixture({ scheduler: false });
  const sse = await f.fetch('/api/events');
  const hello = await readUntil(sse, (t) => t.includes('event: hello'));
  assert.match(hello.text, /"scheduler_in_process":false/);
  // Another process (here: the store directly) records a run request.
  const occ = await requestRun(f.store, f.config.jobs[0]!, { nowMs: f.clock.now(), by: 'cli:someone' });
  let text = hello.text;
  const dec = new TextDecoder();
  while (!text.includes(occ.id)) {
    const { done, value } = await hello.reader.read();
    assert.equal(done, false);
    text += dec.decode(value, { stream: true });
  }
  await hello.reader.cancel();
  assert.match(text, /event: occurrence:changed\ndata: .*"state":"pending"/);
});

test('clients that leave a live log or event stream early do not disturb the run or the server', async () => {
  await using f = await apiFixture();
  const started = f.gate.nextRun();
  const { occurrence_id: id } = (await (await f.post('/api/jobs/web/trigger', {})).json()) as { occurrence_id: string };
  const run = await started;
  run.ctx.log('one');
  const ac = new AbortController();
  const log = await f.fetch(`/api/occurrences/${id}/log`, { signal: ac.signal });
  const events = await f.fetch('/api/events', { signal: ac.signal });
  await readUntil(log, (t) => t.includes('one'));
  await readUntil(events, (t) => t.includes('event: hello'));
  ac.abort();
  run.ctx.log('two');
  const finished = f.scheduler!.events.waitFor('run:finished');
  run.open({ state: 'succeeded' });
  await finished;
  assert.equal((await f.store.getOccurrence(id))?.state, 'succeeded');
  assert.match(await (await f.fetch(`/api/occurrences/${id}/log`)).text(), /one\ntwo\n/);
  assert.equal((await f.fetch('/healthz')).status, 200);
});
