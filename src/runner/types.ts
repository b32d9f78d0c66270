import type { JobConfig } from '../config/types.js';
import type { Clock } from '../scheduler/clock.js';
import type { DeployHandle, ErrorClass, Provider } from '../providers/types.js';

/** How one attempt ended. `rolled_back` counts as a failure of the run. */
export type AttemptOutcome = 'succeeded' | 'failed' | 'rolled_back' | 'timed_out' | 'cancelled' | 'interrupted';

/** How a whole run ended (the occurrence's terminal state when it ran). */
export type RunOutcome = 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'interrupted';

export interface AttemptStart {
  readonly number: number;
  readonly startedAt: number;
  /** File the attempt's output is captured to. */
  readonly logPath: string;
}

export interface AttemptResult extends AttemptStart {
  readonly endedAt: number;
  readonly outcome: AttemptOutcome;
  readonly errorClass: ErrorClass | null;
  readonly message: string | null;
  readonly handle: DeployHandle | null;
}

export interface RunRequest {
  readonly runId: string;
  readonly job: JobConfig;
  readonly nominalTime: Date;
  readonly fence: number;
  readonly stateDir: string;
  readonly provider: Provider;
  readonly clock: Clock;
  /** Number of the first attempt (above 1 when a run is taken over after a crash). */
  readonly firstAttempt?: number;
  /** Region when deploying in waves. */
  readonly region?: string;
  /**
   * Aborts the run from outside: `reason` is `'cancelled'` (operator, cancel_running) or
   * `'interrupted'` (shutdown past its grace period).
   */
  readonly signal?: AbortSignal;
  /** Source of randomness for backoff jitter (full jitter: uniform in [0, delay)). */
  readonly random?: () => number;
  /** Extra environment for the deploy (merged under the SHIPCLOCK_* variables). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called as the run progresses, so the caller can record each step in the ledger at once. */
  readonly hooks?: RunHooks;
  /**
   * Secret values to keep out of the attempt logs (e.g. from the provider definition's
   * `secretFields`, see `secretValuesFromSettings`). Values of secret-named environment
   * variables and common token patterns are redacted anyway.
   */
  readonly secrets?: readonly string[];
  /** Wait between polls when a provider answers `pending` without `retryAfterMs`. Default 2000. */
  readonly pollIntervalMs?: number;
  /**
   * After a timeout or cancel, how long (on `clock`) to wait for the provider to stop before
   * recording the outcome anyway. Default 30 000.
   */
  readonly abortGraceMs?: number;
}

/**
 * Why a run was stopped from outside its provider. It is also the `reason` of the provider's
 * `ctx.signal` when the runner aborts it.
 */
export type RunStopReason = 'timed_out' | 'cancelled' | 'interrupted';

/**
 * Awaited in order. A hook that throws fails `runDeploy` with its error (after the in-flight
 * attempt is stopped): a ledger that cannot record must not let deploys go on unrecorded.
 */
export interface RunHooks {
  /** Before the provider is called; the log file exists. */
  attemptStarted?(a: AttemptStart): void | Promise<void>;
  /** As soon as the provider has started something (record it: it names what to check). */
  handleRecorded?(attempt: number, handle: DeployHandle): void | Promise<void>;
  attemptFinished?(a: AttemptResult): void | Promise<void>;
  /** Before the backoff wait; `attempt` is the number of the attempt that follows it. */
  retrying?(info: { attempt: number; delayMs: number; errorClass: ErrorClass }): void | Promise<void>;
  /** Each log line, already redacted, as it is written to the attempt's log file. */
  logLine?(attempt: number, line: string): void;
}

export interface RunResult {
  readonly outcome: RunOutcome;
  readonly attempts: readonly AttemptResult[];
  readonly errorClass: ErrorClass | null;
  readonly message: string | null;
  readonly startedAt: number;
  readonly endedAt: number;
}
