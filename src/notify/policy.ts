/** Which events a job's `notifications` block asks for. Pure. */
import type { NotificationsConfig } from '../config/types.js';
import type { NotificationEventType } from './types.js';

export const EVENT_TYPES: readonly NotificationEventType[] = [
  'succeeded',
  'failed',
  'recovered',
  'timed_out',
  'skipped',
  'missed',
  'blocked',
  'interrupted',
  'clock_jump',
];

/** Things going wrong: sent when `on_failure` is on, and aggregated per job. */
const PROBLEMS: ReadonlySet<NotificationEventType> = new Set([
  'failed',
  'timed_out',
  'skipped',
  'missed',
  'blocked',
  'interrupted',
  'clock_jump',
]);

/**
 * Failures of the deploy itself: only these open an episode that a later success "recovers".
 * A skip or a shutdown interruption says nothing about whether the deploy works.
 */
const RUN_FAILURES: ReadonlySet<NotificationEventType> = new Set(['failed', 'timed_out']);

export const isProblem = (t: NotificationEventType): boolean => PROBLEMS.has(t);
export const isRunFailure = (t: NotificationEventType): boolean => RUN_FAILURES.has(t);
export const isSuccess = (t: NotificationEventType): boolean => t === 'succeeded' || t === 'recovered';

/** Whether a message of this type goes out for a job with these settings. */
export function wants(type: NotificationEventType, n: NotificationsConfig | null): boolean {
  if (!n) return false;
  if (type === 'succeeded') return n.onSuccess;
  if (type === 'recovered') return n.onSuccess || n.onFailure;
  return n.onFailure;
}
