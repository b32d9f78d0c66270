import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ErrorClass } from '../../src/providers/types.js';
import { runDeploy } from '../../src/runner/run-deploy.js';
import type { RunRequest } from '../../src/runner/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir, testJob } from './helpers.js';
import { fail, ok, ScriptedProvider, type Step } from './scripted-provider.js';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

function request(steps: readonly Step[], over: Partial<RunRequest> & { job?: RunRequest['job'] } = {}) {
  const clock = new FakeClock(T0);
  const provider = new ScriptedProvider(steps);
  const events: string[] = [];
  const req: RunRequest = {
    runId: 'run-1',
    job: testJob(),
    nominalTime: new Date(T0),
    fence: 3,
    stateDir: tempDir(),
    provider,
    clock,
    random: () => 0.5,
    hooks: {
      attemptStarted: (a) => void events.push(`started ${a.number}@${a.startedAt - T0}`),
      handleRecorded: (n, h) => void events.push(`handle ${n} ${h.id}`),
      attemptFinished: (a) => void events.push(`finished ${a.number} ${a.outcome}${a.errorClass ? ` ${a.errorClass}` : ''}`),
      retrying: (r) => void events.push(`retrying ${r.attempt} after ${r.delayMs} (${r.errorClass})`),
    },
    ...over,
  };
  return { req, clock, provider, events };
}

describe('runDeploy: contract tests against a fake (scripted) provider, on a fake clock', () => {
  it('a first-attempt success: one attempt, hooks in order, handle recorded, log file written', async () => {
    const { req, clock, events } = request([ok]);
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'succeeded');
    assert.equal(result.errorClass, null);
    assert.equal(result.attempts.length, 1);
    assert.equal(result.attempts[0]?.handle?.id, 'h1');
    assert.deepEqual(events, ['started 1@0', 'handle 1 h1', 'finished 1 succeeded']);
    const log = readFileSync(join(req.stateDir, 'logs', 'web', 'run-1', 'attempt-1.log'), 'utf8');
    assert.equal(result.attempts[0]?.logPath, join(req.stateDir, 'logs', 'web', 'run-1', 'attempt-1.log'));
    assert.match(log, /attempt 1\/4 of run run-1/);
    assert.match(log, /scripted start 1/);
    assert.match(log, /attempt 1 succeeded: done/);
  });

  it('a log file that cannot be created does not stop the deploy; the attempt message says so', async () => {
    const { req, clock } = request([ok]);
    // The state dir's `logs` is a file: no folder can be made under it.
    writeFileSync(join(req.stateDir, 'logs'), 'not a folder');
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'succeeded');
    assert.match(result.attempts[0]?.message ?? '', /^done \(attempt log .*attempt-1\.log not written: ENOTDIR/);
  });

  it('an attempt that spans several turns of the event loop writes every line to its file, in order', async () => {
    const { req, clock } = request([{ polls: [{ state: 'pending' }, { state: 'succeeded', message: 'done' }] }]);
    const run = runDeploy(req);
    // Real time passes (the file is opened off the main thread) while the deploy is pending.
    await clock.whenSleeping();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = await clock.runUntil(run);
    assert.equal(result.outcome, 'succeeded');
    const lines = readFileSync(join(req.stateDir, 'logs', 'web', 'run-1', 'attempt-1.log'), 'utf8').trim().split('\n');
    assert.match(lines[0]!, /attempt 1\/4 of run run-1/);
    assert.match(lines.at(-1)!, /attempt 1 succeeded: done/);
    assert.ok(lines.some((l) => l.includes('started h1')));
  });

  for (const cls of ['auth', 'not_found', 'invalid', 'unhealthy', 'unknown'] as ErrorClass[]) {
    it(`a ${cls} failure is not retried`, async () => {
      const { req, clock, events } = request([fail(cls), ok]);
      const result = await clock.runUntil(runDeploy(req));
      assert.equal(result.outcome, 'failed');
      assert.equal(result.errorClass, cls);
      assert.equal(result.attempts.length, 1);
      assert.equal(clock.now(), T0, 'no backoff wait happened');
      assert.ok(!events.some((e) => e.startsWith('retrying')));
    });
  }

  it('a start() or poll() that throws a DeployError records its class; a plain Error is unknown', async () => {
    const a = request([{ throwOnStart: 'auth' }]);
    const r1 = await a.clock.runUntil(runDeploy(a.req));
    assert.deepEqual([r1.outcome, r1.errorClass, r1.attempts[0]?.handle], ['failed', 'auth', null]);
    const b = request([{ throwOnPoll: 'invalid' }]);
    const r2 = await b.clock.runUntil(runDeploy(b.req));
    assert.deepEqual([r2.outcome, r2.errorClass, r2.attempts[0]?.handle?.id], ['failed', 'invalid', 'h1']);
    const c = request([ok]);
    c.provider.start = async () => {
      throw new TypeError('bug in provider');
    };
    const r3 = await c.clock.runUntil(runDeploy(c.req));
    assert.deepEqual([r3.outcome, r3.errorClass, r3.message, r3.attempts.length], ['failed', 'unknown', 'bug in provider', 1]);
  });

  it('retries transient, throttled and conflict failures with exponential full-jitter backoff', async () => {
    const job = testJob({ retry: { maxRetries: 5, baseMs: 1000, capMs: 6000 } });
    const { req, clock, events } = request([fail('transient'), fail('throttled'), fail('conflict'), fail('transient'), ok], { job });
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'succeeded');
    assert.equal(result.attempts.length, 5);
    // random() = 0.5 → half of min(cap, base·2^(n-1)): 500, 1000, 2000, then 3000 (capped).
    const starts = result.attempts.map((a) => a.startedAt - T0);
    assert.deepEqual(starts, [0, 500, 1500, 3500, 6500]);
    assert.deepEqual(
      events.filter((e) => e.startsWith('retrying')),
      ['retrying 2 after 500 (transient)', 'retrying 3 after 1000 (throttled)', 'retrying 4 after 2000 (conflict)', 'retrying 5 after 3000 (transient)'],
    );
    assert.deepEqual(
      result.attempts.map((a) => a.number),
      [1, 2, 3, 4, 5],
    );
  });

  it('the backoff wait is drawn by the injected random source (full jitter: 0 waits not at all)', async () => {
    const job = testJob({ retry: { maxRetries: 2, baseMs: 60_000, capMs: 600_000 } });
    const { req, clock } = request([fail('transient'), ok], { job, random: () => 0 });
    const result = await clock.runUntil(runDeploy(req));
    assert.deepEqual(result.attempts.map((a) => a.startedAt - T0), [0, 0]);
    const slow = request([fail('transient'), fail('transient'), ok], { job, random: () => 0.999 });
    const r2 = await slow.clock.runUntil(runDeploy(slow.req));
    // Just under the ceiling: 59 940 then 119 880 ms; waits longer than 60 s are chunked but exact.
    assert.deepEqual(r2.attempts.map((a) => a.startedAt - T0), [0, 59_940, 59_940 + 119_880]);
  });

  it('stops after max_retries retries: max_retries 2 means 3 attempts', async () => {
    const job = testJob({ retry: { maxRetries: 2, baseMs: 10, capMs: 100 } });
    const { req, clock } = request([fail('throttled')], { job });
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.errorClass, 'throttled');
    assert.equal(result.attempts.length, 3);
    assert.match(result.message ?? '', /throttled/);
  });

  it('max_retries 0 makes exactly one attempt, even for a retryable failure', async () => {
    const job = testJob({ retry: { maxRetries: 0, baseMs: 10, capMs: 100 } });
    const { req, clock, events } = request([fail('transient'), ok], { job });
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.attempts.length, 1);
    assert.ok(!events.some((e) => e.startsWith('retrying')));
  });

  it('a run taken over at attempt 3 counts earlier attempts against max_retries', async () => {
    const job = testJob({ retry: { maxRetries: 3, baseMs: 10, capMs: 100 } });
    const { req, clock } = request([fail('transient')], { job, firstAttempt: 3 });
    const result = await clock.runUntil(runDeploy(req));
    assert.deepEqual(result.attempts.map((a) => a.number), [3, 4]);
  });

  it('polls a pending deploy at the provider-given interval, on the clock', async () => {
    const { req, clock } = request([
      { polls: [{ state: 'pending', retryAfterMs: 5000, message: 'rolling' }, { state: 'pending' }, { state: 'succeeded' }] },
    ], { pollIntervalMs: 1234 });
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'succeeded');
    assert.equal(result.endedAt - T0, 5000 + 1234);
  });

  it('a rolled_back deploy fails the run with class unhealthy and is not retried', async () => {
    const { req, clock } = request([{ polls: [{ state: 'rolled_back', message: 'health failed; rolled back' }] }, ok]);
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.attempts[0]?.outcome, 'rolled_back');
    assert.equal(result.errorClass, 'unhealthy');
  });

  it('the timeout (measured on the clock) aborts a hanging attempt: timed_out, provider signal aborted, cancel() asked', async () => {
    const job = testJob({ timeoutMs: 10 * 60_000 });
    const { req, clock, provider } = request([{ hang: true }], { job });
    const run = runDeploy(req);
    await clock.whenSleeping(1);
    await clock.advance(10 * 60_000 - 1);
    assert.equal(provider.contexts[0]?.signal.aborted, false, 'not before the deadline');
    await clock.advance(1);
    const result = await run;
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.errorClass, 'timeout');
    assert.equal(result.endedAt - T0, 10 * 60_000);
    assert.equal(result.attempts[0]?.outcome, 'timed_out');
    assert.equal(provider.contexts[0]?.signal.reason, 'timed_out');
    assert.deepEqual(provider.cancelled, ['h1']);
    assert.equal(clock.pending, 0, 'no sleeper left behind');
  });

  it('the timeout covers backoff waits too', async () => {
    const job = testJob({ timeoutMs: 5000, retry: { maxRetries: 3, baseMs: 20_000, capMs: 20_000 } });
    const { req, clock } = request([fail('transient'), ok], { job });
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.attempts.length, 1);
    assert.equal(result.attempts[0]?.outcome, 'failed');
    assert.equal(result.endedAt - T0, 5000);
  });

  it('a provider that ignores the abort is given abortGraceMs, then the run ends anyway', async () => {
    const job = testJob({ timeoutMs: 1000 });
    const { req, clock } = request([{ hang: true, ignoreAbort: true }], { job, abortGraceMs: 7000 });
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.endedAt - T0, 8000);
    assert.match(readFileSync(result.attempts[0]!.logPath, 'utf8'), /did not stop within 7000 ms/);
  });

  it('timeout none (null) never times out', async () => {
    const job = testJob({ timeoutMs: null });
    const { req, clock } = request([{ polls: [{ state: 'pending', retryAfterMs: 86_400_000 }, { state: 'succeeded' }] }], { job });
    const result = await clock.runUntil(runDeploy(req));
    assert.equal(result.outcome, 'succeeded');
  });

  for (const reason of ['cancelled', 'interrupted'] as const) {
    it(`an external abort with reason '${reason}' ends the run as ${reason}`, async () => {
      const ac = new AbortController();
      const { req, clock, provider } = request([{ hang: true }], { signal: ac.signal });
      const run = runDeploy(req);
      await clock.whenSleeping(1);
      ac.abort(reason);
      const result = await run;
      assert.equal(result.outcome, reason);
      assert.equal(result.attempts[0]?.outcome, reason);
      assert.equal(result.errorClass, 'cancelled');
      assert.equal(provider.contexts[0]?.signal.reason, reason);
    });
  }

  it('a stop between polls of a pending deploy asks the provider to cancel that deploy', async () => {
    const ac = new AbortController();
    const { req, clock, provider } = request([{ polls: [{ state: 'pending', retryAfterMs: 60_000 }, { state: 'succeeded' }] }], { signal: ac.signal });
    const run = runDeploy(req);
    await clock.whenSleeping(2); // the timeout watcher and the poll interval
    ac.abort('cancelled');
    const result = await run;
    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(provider.cancelled, ['h1']);
  });

  it('a cancel during the backoff wait ends the run without another attempt', async () => {
    const ac = new AbortController();
    const job = testJob({ retry: { maxRetries: 3, baseMs: 60_000, capMs: 60_000 } });
    const { req, clock, events } = request([fail('transient'), ok], { job, signal: ac.signal });
    const run = runDeploy(req);
    await clock.whenSleeping(2); // the timeout watcher and the backoff wait
    assert.ok(events.includes('retrying 2 after 30000 (transient)'));
    ac.abort(new Error('any other reason means cancelled'));
    const result = await run;
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.attempts.length, 1);
  });

  it('an already-aborted signal makes no attempt', async () => {
    const ac = new AbortController();
    ac.abort('interrupted');
    const { req, provider } = request([ok], { signal: ac.signal });
    const result = await runDeploy(req);
    assert.equal(result.outcome, 'interrupted');
    assert.equal(result.attempts.length, 0);
    assert.equal(provider.contexts.length, 0);
  });

  it('hands the run id, job, nominal time, fence and attempt to the provider', async () => {
    const job = testJob({ retry: { maxRetries: 1, baseMs: 10, capMs: 10 } });
    const { req, clock, provider } = request([fail('transient'), ok], { job, env: { EXTRA: 'x', SHIPCLOCK_FENCE: 'spoofed' } });
    await clock.runUntil(runDeploy(req));
    const [c1, c2] = provider.contexts;
    assert.deepEqual(c1?.env, {
      EXTRA: 'x',
      SHIPCLOCK_RUN_ID: 'run-1',
      SHIPCLOCK_JOB: 'web',
      SHIPCLOCK_NOMINAL_TIME: '2026-01-01T02:00:00.000Z',
      SHIPCLOCK_FENCE: '3',
      SHIPCLOCK_ATTEMPT: '1',
    });
    assert.equal(c2?.env['SHIPCLOCK_ATTEMPT'], '2');
    assert.equal(c2?.attempt, 2);
    assert.equal(c1?.fence, 3);
  });

  it('writes one log file per attempt, with secrets redacted before they reach the disk', async () => {
    const job = testJob({ retry: { maxRetries: 1, baseMs: 10, capMs: 10 } });
    const lines: string[] = [];
    const { req, clock, provider } = request([fail('transient'), ok], {
      job,
      secrets: ['hunter2-secret'],
      env: { DEPLOY_TOKEN: 'tok-123456' },
      hooks: { logLine: (n, l) => void lines.push(`${n}|${l}`) },
    });
    const origStart = provider.start.bind(provider);
    provider.start = async (ctx) => {
      ctx.log('password is hunter2-secret, token tok-123456, header Authorization: Bearer abcdefghijkl');
      ctx.log('aws AKIAABCDEFGHIJKLMNOP');
      return origStart(ctx);
    };
    const result = await clock.runUntil(runDeploy(req));
    const paths = result.attempts.map((a) => a.logPath);
    assert.deepEqual(paths, [1, 2].map((n) => join(req.stateDir, 'logs', 'web', 'run-1', `attempt-${n}.log`)));
    const log1 = readFileSync(paths[0]!, 'utf8');
    assert.match(log1, /scripted start 1/);
    assert.doesNotMatch(log1, /hunter2-secret|tok-123456|abcdefghijkl|AKIAABCDEFGHIJKLMNOP/);
    assert.match(log1, /\[REDACTED\]/);
    assert.match(readFileSync(paths[1]!, 'utf8'), /scripted start 2/);
    assert.ok(lines.some((l) => l.startsWith('2|scripted start 2')));
    assert.ok(!lines.some((l) => l.includes('hunter2-secret')));
  });

  it('a hook that throws fails runDeploy and stops the in-flight attempt', async () => {
    const { req, clock, provider } = request([{ hang: true }], {
      hooks: {
        handleRecorded: () => {
          throw Object.assign(new Error('ledger down'), { code: 'E_STORE' });
        },
      },
    });
    await assert.rejects(clock.runUntil(runDeploy(req)), { code: 'E_STORE' });
    assert.equal(provider.contexts[0]?.signal.aborted, true);
  });
});
