/**
 * The runner with the real `shell` provider: real process trees, real log files; the runner's
 * timeout and backoff still run on a fake clock (advanced once the processes are up).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { groupAlive, processAlive } from '../../src/providers/process-tree.js';
import { shellDefinition } from '../../src/providers/shell.js';
import type { ShellSettings } from '../../src/providers/shell-settings.js';
import { runDeploy } from '../../src/runner/run-deploy.js';
import type { RunRequest } from '../../src/runner/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FIXTURES, lineWaiter, tempDir, testJob } from './helpers.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

function shellRun(settings: Record<string, unknown>, over: Partial<RunRequest> = {}) {
  const clock = new FakeClock(T0);
  const provider = shellDefinition.create(shellDefinition.settingsSchema.parse(settings) as ShellSettings, { baseDir: FIXTURES });
  const req: RunRequest = {
    runId: 'r-42',
    job: testJob({ name: 'api', timeoutMs: 60_000 }),
    nominalTime: new Date(T0),
    fence: 9,
    stateDir: tempDir(),
    provider,
    clock,
    random: () => 0,
    ...over,
  };
  return { req, clock };
}

describe('runDeploy with the shell provider (real processes, fake clock)', () => {
  it('captures stdout and stderr of the attempt into its log file', async () => {
    const { req } = shellRun({ command: ['node', '-e', 'console.log("to stdout"); console.error("to stderr")'] });
    const result = await runDeploy(req);
    assert.equal(result.outcome, 'succeeded');
    const log = readFileSync(join(req.stateDir, 'logs', 'api', 'r-42', 'attempt-1.log'), 'utf8');
    assert.match(log, /^to stdout$/m);
    assert.match(log, /^to stderr$/m);
    assert.match(log, /command exit 0/);
  });

  it('the deploy process sees SHIPCLOCK_RUN_ID, _NOMINAL_TIME, _FENCE, _JOB and _ATTEMPT', async () => {
    const script = 'for (const k of ["RUN_ID","NOMINAL_TIME","FENCE","JOB","ATTEMPT"]) console.log(k + "=" + process.env["SHIPCLOCK_" + k])';
    const { req } = shellRun({ command: ['node', '-e', script] });
    const result = await runDeploy(req);
    const log = readFileSync(result.attempts[0]!.logPath, 'utf8');
    for (const line of ['RUN_ID=r-42', 'NOMINAL_TIME=2026-06-01T12:00:00.000Z', 'FENCE=9', 'JOB=api', 'ATTEMPT=1']) {
      assert.match(log, new RegExp(`^${line}$`, 'm'));
    }
  });

  it('an exit code listed in retry_exit_codes is retried; the second attempt gets its own log', async () => {
    // Exits 75 on attempt 1, 0 on attempt 2.
    const { req } = shellRun(
      { command: ['node', '-e', 'console.log("attempt", process.env.SHIPCLOCK_ATTEMPT); process.exit(process.env.SHIPCLOCK_ATTEMPT === "1" ? 75 : 0)'], retry_exit_codes: [75] },
      { job: testJob({ name: 'api', retry: { maxRetries: 2, baseMs: 1000, capMs: 1000 } }) },
    );
    const result = await runDeploy(req);
    assert.equal(result.outcome, 'succeeded');
    assert.deepEqual(result.attempts.map((a) => [a.outcome, a.errorClass]), [['failed', 'transient'], ['succeeded', null]]);
    assert.match(readFileSync(result.attempts[0]!.logPath, 'utf8'), /^attempt 1$/m);
    assert.match(readFileSync(result.attempts[1]!.logPath, 'utf8'), /^attempt 2$/m);
  });

  it('the run timeout kills the whole process tree: no child or grandchild survives', async () => {
    const grandchild = lineWaiter(/^grandchild (\d+)$/);
    const { req, clock } = shellRun({ command: ['/bin/sh', 'tree.sh'] }, { hooks: { logLine: (_n, l) => grandchild.feed(l) } });
    let pgid = 0;
    const run = runDeploy({ ...req, hooks: { ...req.hooks, handleRecorded: (_n, h) => void (pgid = Number(h.id.split('@')[0])) } });
    const gpid = Number(await grandchild.match);
    assert.ok(processAlive(gpid) && groupAlive(pgid), 'tree is running');
    await clock.advance(60_000);
    const result = await run;
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.attempts[0]?.outcome, 'timed_out');
    assert.equal(processAlive(gpid), false, 'grandchild survived the timeout');
    assert.equal(groupAlive(pgid), false, 'a process of the tree survived the timeout');
    assert.match(readFileSync(result.attempts[0]!.logPath, 'utf8'), /stopped \(process tree terminated\)/);
  });

  it('cancelling the run kills the tree and records cancelled', async () => {
    const grandchild = lineWaiter(/^grandchild (\d+)$/);
    const ac = new AbortController();
    const { req } = shellRun({ command: ['/bin/sh', 'tree.sh'] }, { signal: ac.signal, hooks: { logLine: (_n, l) => grandchild.feed(l) } });
    const run = runDeploy(req);
    const gpid = Number(await grandchild.match);
    ac.abort('cancelled');
    const result = await run;
    assert.equal(result.outcome, 'cancelled');
    assert.equal(processAlive(gpid), false, 'grandchild survived the cancel');
  });
});
