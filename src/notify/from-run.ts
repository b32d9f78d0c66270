/**
 * Builds the notification event for a finished run from the runner's result, so the scheduler
 * needs one call: `notifier.notify(runEvent(…))`. A cancelled run gives no event: an operator
 * (or `cancel_running`) asked for it, nothing went wrong.
 */
import type { RunResult } from '../runner/types.js';
import type { NotificationEvent } from './types.js';

export interface RunEventInput {
  readonly job: string;
  readonly nominalTime: Date;
  readonly occurrenceId: string;
  readonly runId: string;
  readonly result: RunResult;
  /** The end of the last attempt's log; redacted and trimmed by the notifier. */
  readonly logExcerpt?: string;
}

export function runEvent(input: RunEventInput): NotificationEvent | null {
  const { result } = input;
  if (result.outcome === 'cancelled') return null;
  return {
    type: result.outcome,
    job: input.job,
    nominalTime: input.nominalTime,
    occurrenceId: input.occurrenceId,
    runId: input.runId,
    attempts: result.attempts.length,
    errorClass: result.errorClass,
    message: result.message,
    durationMs: Math.max(0, result.endedAt - result.startedAt),
    ...(input.logExcerpt !== undefined ? { logExcerpt: input.logExcerpt } : {}),
    at: new Date(result.endedAt),
  };
}
