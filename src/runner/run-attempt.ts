/**
 * One attempt: the provider's `start()`, then `poll()` on that handle until a terminal answer,
 * raced against the run's stop signal. When the run is stopped, the provider's signal is
 * aborted (its processes are killed), `cancel()` is asked for, and the attempt ends as
 * `timed_out`, `cancelled` or `interrupted` whatever the provider reports afterwards.
 */
import { DeployError } from '../providers/deploy-error.js';
import type { DeployContext, DeployHandle, ErrorClass, PollResult } from '../providers/types.js';
import { waitUntil } from './clock-wait.js';
import type { AttemptLog } from './attempt-log.js';
import type { RunStop } from './run-stop.js';
import type { AttemptOutcome, RunRequest, RunStopReason } from './types.js';

export interface AttemptEnd {
  readonly outcome: AttemptOutcome;
  readonly errorClass: ErrorClass | null;
  readonly message: string | null;
  readonly handle: DeployHandle | null;
}

const DEFAULT_POLL_INTERVAL_MS = 2000;
const DEFAULT_ABORT_GRACE_MS = 30_000;

type Raced<T> = { readonly kind: 'value'; readonly value: T } | { readonly kind: 'error'; readonly error: unknown } | { readonly kind: 'stopped' };

export async function runAttempt(
  req: RunRequest,
  ctx: DeployContext,
  stop: RunStop,
  log: AttemptLog,
): Promise<AttemptEnd> {
  const { provider, clock, hooks } = req;
  let handle: DeployHandle | null = null;

  /** Awaits a provider call unless the run is stopped first. */
  const race = async <T>(p: Promise<T>): Promise<Raced<T>> => {
    const settled = p.then(
      (value): Raced<T> => ({ kind: 'value', value }),
      (error: unknown): Raced<T> => ({ kind: 'error', error }),
    );
    const first = await Promise.race([settled, stop.stopped.then((): Raced<T> => ({ kind: 'stopped' }))]);
    if (first.kind !== 'stopped') return first;
    await stopProvider(settled);
    return first;
  };

  /** The run was stopped mid-call: let the provider wind down, within the grace period. */
  const stopProvider = async (inFlight: Promise<unknown>) => {
    const graceUntil = clock.now() + (req.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS);
    const giveUp = new AbortController();
    const cancelled = handle && provider.cancel ? provider.cancel(handle, ctx).catch(() => undefined) : Promise.resolve();
    const wound = Promise.all([inFlight, cancelled]).then(() => true);
    const ok = await Promise.race([wound, waitUntil(clock, graceUntil, giveUp.signal).then(() => false)]);
    giveUp.abort();
    if (!ok) log.write(`[shipclock] provider did not stop within ${req.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS} ms`);
  };

  const stopped = (reason: RunStopReason): AttemptEnd => ({
    outcome: reason,
    errorClass: reason === 'timed_out' ? 'timeout' : 'cancelled',
    message: stopMessage(reason, req),
    handle,
  });

  const started = await race(Promise.resolve().then(() => provider.start(ctx)));
  if (started.kind === 'stopped') return stopped(stop.reason ?? 'cancelled');
  if (started.kind === 'error') return failure(started.error, handle, log);
  handle = started.value;
  log.write(`[shipclock] started ${handle.id}`);
  await hooks?.handleRecorded?.(ctx.attempt, handle);

  for (;;) {
    const current: DeployHandle = handle;
    const polled = await race(Promise.resolve().then(() => provider.poll(current, ctx)));
    if (polled.kind === 'stopped') return stopped(stop.reason ?? 'cancelled');
    if (polled.kind === 'error') return failure(polled.error, handle, log);
    const r: PollResult = polled.value;
    if (r.state === 'pending') {
      if (r.message) log.write(`[shipclock] pending: ${r.message}`);
      const waitMs = r.retryAfterMs ?? req.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
      await waitUntil(clock, clock.now() + Math.max(0, waitMs), stop.signal);
      if (stop.reason) {
        // Stopped between polls: the deploy may still be running at the target; ask to stop it.
        await stopProvider(Promise.resolve());
        return stopped(stop.reason);
      }
      continue;
    }
    if (r.state === 'succeeded') return { outcome: 'succeeded', errorClass: null, message: r.message ?? null, handle };
    if (r.state === 'rolled_back') return { outcome: 'rolled_back', errorClass: 'unhealthy', message: r.message, handle };
    return { outcome: 'failed', errorClass: r.errorClass, message: r.message, handle };
  }
}

/** A provider call threw: a DeployError carries its class; anything else is `unknown`. */
function failure(error: unknown, handle: DeployHandle | null, log: AttemptLog): AttemptEnd {
  const errorClass: ErrorClass = error instanceof DeployError ? error.errorClass : 'unknown';
  const message = error instanceof Error ? error.message : String(error);
  log.write(`[shipclock] error (${errorClass}): ${message}`);
  return { outcome: 'failed', errorClass, message, handle };
}

export function stopMessage(reason: RunStopReason, req: RunRequest): string {
  if (reason === 'timed_out') return `run timed out after ${req.job.timeoutMs ?? 0} ms`;
  if (reason === 'interrupted') return 'interrupted: shipclock shut down before the deploy finished';
  return 'cancelled';
}
