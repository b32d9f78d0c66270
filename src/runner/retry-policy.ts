/**
 * Whether a failed attempt is tried again. Only failures that retrying can fix are retried
 * (DESIGN.md §5): `throttled` and `transient` (the provider re-reads state first: the call may
 * have landed) and `conflict` (another operation is in progress: wait, then retry). `auth`,
 * `not_found`, `invalid` need a person; `unhealthy` means the deploy happened and failed its
 * checks, so repeating it would redeploy the same broken thing; `unknown` is not guessed at.
 * A `conflict` retry counts against `max_retries` like any other, so a stuck target cannot
 * hold a run forever (the run's timeout bounds it too).
 */
import type { RetryConfig } from '../config/types.js';
import { RETRYABLE_CLASSES, type ErrorClass } from '../providers/types.js';

export type RetryDecision =
  | { readonly retry: true }
  | { readonly retry: false; readonly why: 'not_retryable' | 'retries_exhausted' };

/**
 * `attempt` is the number of the attempt that just failed (1-based, counting attempts of
 * earlier processes when a run was taken over). `maxRetries` counts retries after the first
 * attempt, so a run makes at most `maxRetries + 1` attempts.
 */
export function retryDecision(errorClass: ErrorClass, attempt: number, retry: RetryConfig): RetryDecision {
  if (!RETRYABLE_CLASSES.has(errorClass)) return { retry: false, why: 'not_retryable' };
  if (attempt > retry.maxRetries) return { retry: false, why: 'retries_exhausted' };
  return { retry: true };
}
