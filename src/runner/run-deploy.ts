/**
 * Executes one run of a job: attempts with backoff, a hard timeout, cancellation, a log file
 * per attempt, and the run id and fencing token handed to the provider. All waiting is on the
 * injected clock (`req.clock`), so tests drive backoff and timeouts without real time.
 *
 * The run's outcome is the last attempt's, except that a stop from outside wins: a run stopped
 * by its timeout is `timed_out` even if it was waiting between attempts.
 */
import { processEnvSecretValues, Redactor, secretValuesFromEnv } from '../providers/redact.js';
import type { DeployContext } from '../providers/types.js';
import { AttemptLog, attemptLogPath } from './attempt-log.js';
import { fullJitterDelayMs } from './backoff.js';
import { waitUntil } from './clock-wait.js';
import { deployEnv } from './deploy-env.js';
import { retryDecision } from './retry-policy.js';
import { runAttempt, stopMessage } from './run-attempt.js';
import { RunStop } from './run-stop.js';
import type { AttemptResult, AttemptStart, RunOutcome, RunRequest, RunResult, RunStopReason } from './types.js';

export async function runDeploy(req: RunRequest): Promise<RunResult> {
  const { clock, hooks, job } = req;
  const startedAt = clock.now();
  const stop = new RunStop(clock, job.timeoutMs === null ? null : startedAt + job.timeoutMs, req.signal);
  const redactor = new Redactor([
    ...processEnvSecretValues(),
    ...secretValuesFromEnv(req.env ?? {}),
    ...(req.secrets ?? []),
  ]);
  const attempts: AttemptResult[] = [];

  const finish = (outcome: RunOutcome, fallbackMessage: string | null = null): RunResult => {
    const last = attempts.at(-1);
    const stopped = outcome === 'timed_out' || outcome === 'cancelled' || outcome === 'interrupted';
    return Object.freeze({
      outcome,
      attempts: Object.freeze([...attempts]),
      errorClass: stopped ? (outcome === 'timed_out' ? 'timeout' : 'cancelled') : (last?.errorClass ?? null),
      message: stopped ? stopMessage(outcome as RunStopReason, req) : (last?.message ?? fallbackMessage),
      startedAt,
      endedAt: clock.now(),
    });
  };

  try {
    for (let n = req.firstAttempt ?? 1; ; n++) {
      if (stop.reason) return finish(stop.reason);
      const result = await attempt(req, n, stop, redactor);
      attempts.push(result);
      await hooks?.attemptFinished?.(result);
      if (result.outcome === 'succeeded') return finish('succeeded');
      if (stop.reason) return finish(stop.reason);
      const errorClass = result.errorClass ?? 'unknown';
      const decision = retryDecision(errorClass, n, job.retry);
      if (!decision.retry) return finish('failed');
      const delayMs = fullJitterDelayMs(n, job.retry.baseMs, job.retry.capMs, req.random);
      await hooks?.retrying?.({ attempt: n + 1, delayMs, errorClass });
      if (!(await waitUntil(clock, clock.now() + delayMs, stop.signal))) return finish(stop.reason ?? 'cancelled');
    }
  } catch (e) {
    // A hook threw (the ledger cannot record): stop whatever the provider still has running.
    stop.stop('cancelled');
    throw e;
  } finally {
    stop.dispose();
  }
}

async function attempt(req: RunRequest, n: number, stop: RunStop, redactor: Redactor): Promise<AttemptResult> {
  const { clock, hooks } = req;
  const logPath = attemptLogPath(req.stateDir, req.job.name, req.runId, n);
  const log = new AttemptLog(logPath, redactor, hooks?.logLine ? (l) => hooks.logLine?.(n, l) : undefined);
  try {
    const start: AttemptStart = Object.freeze({ number: n, startedAt: clock.now(), logPath });
    const maxAttempts = req.job.retry.maxRetries + 1;
    log.write(
      `[shipclock] attempt ${n}/${maxAttempts} of run ${req.runId} (job ${req.job.name}, ` +
        `nominal ${req.nominalTime.toISOString()}, fence ${req.fence}) at ${new Date(start.startedAt).toISOString()}`,
    );
    await hooks?.attemptStarted?.(start);
    const ctx: DeployContext = {
      runId: req.runId,
      job: req.job.name,
      nominalTime: req.nominalTime,
      attempt: n,
      fence: req.fence,
      ...(req.region === undefined ? {} : { region: req.region }),
      env: deployEnv(req, n),
      signal: stop.signal,
      log: (line) => log.write(line),
      stateDir: req.stateDir,
    };
    const end = await runAttempt(req, ctx, stop, log);
    const endedAt = clock.now();
    log.write(
      `[shipclock] attempt ${n} ${end.outcome}` +
        (end.errorClass ? ` (${end.errorClass})` : '') +
        (end.message ? `: ${redactor.redact(end.message)}` : ''),
    );
    log.close();
    // A log that could not be written is said where a person will look: the attempt's message.
    const logNote = log.failure === null ? null : `attempt log ${logPath} not written: ${log.failure}`;
    const raw = end.message === null ? logNote : logNote === null ? end.message : `${end.message} (${logNote})`;
    // The message goes to the ledger, notifications and the API: never with a secret in it.
    const message = raw === null ? null : redactor.redact(raw);
    const result: AttemptResult = Object.freeze({ ...start, endedAt, ...end, message });
    return result;
  } finally {
    log.close();
  }
}
