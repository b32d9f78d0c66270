/**
 * The contract every deploy target implements (DESIGN.md §5). A provider turns a job's target
 * settings into a deploy: `start()` begins it and returns a handle naming what it started;
 * `poll()` reports on *that* handle until a terminal outcome. Success means the provider
 * confirmed this deploy succeeded, never merely that no error was raised.
 */

/**
 * Why a deploy step failed, as a class the runner can act on (never a message to match):
 * - `throttled`, `transient`: retry with backoff; re-read state first, the call may have landed;
 * - `conflict`: another operation is in progress: wait for it, then retry;
 * - `auth`, `not_found`, `invalid`: fail now and say how to fix;
 * - `unhealthy`: deployed but failing checks: a failed run, retried only if the user asked;
 * - `timeout`, `cancelled`: set by the runner when it stops an attempt;
 * - `unknown`: anything unclassified; treated as not retryable.
 */
export type ErrorClass =
  | 'throttled'
  | 'transient'
  | 'conflict'
  | 'auth'
  | 'not_found'
  | 'invalid'
  | 'unhealthy'
  | 'timeout'
  | 'cancelled'
  | 'unknown';

export const RETRYABLE_CLASSES: ReadonlySet<ErrorClass> = new Set(['throttled', 'transient', 'conflict']);

/** Everything a provider may know about the run it is deploying. */
export interface DeployContext {
  readonly runId: string;
  readonly job: string;
  readonly nominalTime: Date;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Fencing token: increases on every takeover; downstream may refuse stale ones. */
  readonly fence: number;
  /** Region for this deploy when the job deploys in waves. */
  readonly region?: string;
  /** Environment handed to deploy processes: includes SHIPCLOCK_RUN_ID, SHIPCLOCK_FENCE, SHIPCLOCK_NOMINAL_TIME. */
  readonly env: Readonly<Record<string, string>>;
  /** Aborted when the run times out, is cancelled, or the process shuts down past its grace. */
  readonly signal: AbortSignal;
  /** Write a line to this attempt's log (captured to a file in the state dir). */
  log(line: string): void;
  /** The state directory, for providers that keep local state (releases, checkouts). */
  readonly stateDir: string;
}

/** What a deploy started: recorded in the ledger so its outcome can be checked later. */
export interface DeployHandle {
  /** Provider-specific id: ECS deployment id, Cloud Run revision, release id, commit sha… */
  readonly id: string;
  /** Extra facts worth recording (JSON-serialisable, no secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type PollResult =
  | { readonly state: 'pending'; readonly message?: string; readonly retryAfterMs?: number }
  | { readonly state: 'succeeded'; readonly message?: string }
  | { readonly state: 'failed'; readonly errorClass: ErrorClass; readonly message: string }
  | { readonly state: 'rolled_back'; readonly message: string };

export interface Provider {
  /** The target kind, e.g. `shell`, `local`, `aws-ecs`. */
  readonly kind: string;
  /** The exact commands or API calls a deploy would make, secrets redacted (for `--dry-run`). */
  plan(ctx: DeployContext): Promise<readonly string[]> | readonly string[];
  /**
   * Begin the deploy. Throws DeployError (with a class) when it cannot start.
   *
   * Retries call `start()` again with a new `ctx.attempt`. After a `transient` or `throttled`
   * failure the earlier call may have landed, so re-read the target's state first and adopt
   * (or report on) an operation already in progress or done rather than starting a second
   * one. After a `conflict` the runner has waited (backoff) for the other operation.
   * `ctx.signal.reason` is the runner's RunStopReason when it aborts.
   */
  start(ctx: DeployContext): Promise<DeployHandle>;
  /** Report on the deploy named by `handle`. May wait; must honour `ctx.signal`. */
  poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult>;
  /** Best-effort stop of an in-flight deploy (timeout or cancel). */
  cancel?(handle: DeployHandle, ctx: DeployContext): Promise<void>;
}

/** Builds a provider from a job's validated `provider` settings. */
export type ProviderFactory<S = unknown> = (settings: S) => Provider;
