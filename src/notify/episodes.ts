/**
 * Failure episodes and aggregation windows, per job. Pure: the caller passes the current time
 * and runs the timers. The first problem of a window is sent at once and opens a window;
 * further problems inside it are counted and summarised when it ends; a window that ends with
 * something counted opens the next one, so a job failing every minute yields one summary per
 * window. A success after run failures is a recovery and closes the episode.
 */
import { isProblem, isRunFailure, isSuccess } from './policy.js';
import type { NotificationEvent, NotificationEventType } from './types.js';

export interface Aggregate {
  count: number;
  readonly byType: Partial<Record<NotificationEventType, number>>;
  first: NotificationEvent;
  last: NotificationEvent;
}

export interface Summary {
  readonly job: string;
  /** Start of the window: when the problem sent at once was handled. */
  readonly since: Date;
  readonly aggregate: Aggregate;
}

export interface Recovery {
  /** Run failures in the episode (0 when the caller said `recovered` on its own). */
  readonly failures: number;
  /** When the episode's first run failure happened. */
  readonly since: Date | null;
  /** Problems counted in the open window and not reported yet: the recovery message reports them. */
  readonly unreported: Aggregate | null;
}

export type Decision =
  | { readonly action: 'send'; readonly kind: 'succeeded' }
  | { readonly action: 'send'; readonly kind: 'recovered'; readonly recovery: Recovery; readonly closedWindow: boolean }
  | { readonly action: 'send'; readonly kind: 'problem'; readonly windowEnd: number | null }
  | { readonly action: 'aggregated' }
  | { readonly action: 'none' };

interface JobState {
  failures: number;
  failingSince: Date | null;
  window: { start: number; end: number; pending: Aggregate | null } | null;
}

export class EpisodeTracker {
  readonly #jobs = new Map<string, JobState>();
  readonly #windowMs: number;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  #state(job: string): JobState {
    let s = this.#jobs.get(job);
    if (!s) this.#jobs.set(job, (s = { failures: 0, failingSince: null, window: null }));
    return s;
  }

  /**
   * Account for an event. `sendProblems` is the job's `on_failure`: when off, problems are
   * still counted (a later success is a recovery) but open no window.
   */
  onEvent(event: NotificationEvent, nowMs: number, sendProblems: boolean): Decision {
    const s = this.#state(event.job);
    if (isSuccess(event.type)) {
      if (s.failures === 0 && event.type === 'succeeded') return { action: 'send', kind: 'succeeded' };
      const recovery: Recovery = { failures: s.failures, since: s.failingSince, unreported: s.window?.pending ?? null };
      const closedWindow = s.window !== null;
      this.#jobs.delete(event.job);
      return { action: 'send', kind: 'recovered', recovery, closedWindow };
    }
    if (!isProblem(event.type)) return { action: 'none' };
    if (isRunFailure(event.type)) {
      s.failures += 1;
      s.failingSince ??= event.at;
    }
    if (!sendProblems) return { action: 'none' };
    if (s.window && nowMs < s.window.end) {
      s.window.pending = addTo(s.window.pending, event);
      return { action: 'aggregated' };
    }
    // No window, or one whose timer has not run yet although its end has passed: its pending
    // problems stay for that timer; this problem is news and goes out now.
    if (s.window?.pending) return { action: 'send', kind: 'problem', windowEnd: null };
    s.window = { start: nowMs, end: nowMs + this.#windowMs, pending: null };
    return { action: 'send', kind: 'problem', windowEnd: s.window.end };
  }

  /** End of the job's open window, or null when none is open. */
  windowEnd(job: string): number | null {
    return this.#jobs.get(job)?.window?.end ?? null;
  }

  /** True once the job's window is over: its end is reached, or the clock went back before its start. */
  windowOver(job: string, nowMs: number): boolean {
    const w = this.#jobs.get(job)?.window;
    return !w || nowMs >= w.end || nowMs < w.start;
  }

  /**
   * Called by the window timer once the window is over (see `windowOver`). Returns the summary
   * to send (and opens the next window) or null (and closes the window).
   */
  closeWindow(job: string, nowMs: number): Summary | null {
    const s = this.#jobs.get(job);
    const w = s?.window;
    // A wall clock set back must not stretch a window by the size of the jump.
    if (!s || !w || (nowMs < w.end && nowMs >= w.start)) return null;
    if (!w.pending) {
      s.window = null;
      return null;
    }
    s.window = { start: nowMs, end: nowMs + this.#windowMs, pending: null };
    return { job, since: new Date(w.start), aggregate: w.pending };
  }

  /** Close every window now (shutdown, flush): the summaries of whatever is pending. */
  closeAll(): Summary[] {
    const out: Summary[] = [];
    for (const [job, s] of this.#jobs) {
      const w = s.window;
      s.window = null;
      if (w?.pending) out.push({ job, since: new Date(w.start), aggregate: w.pending });
    }
    return out;
  }
}

function addTo(agg: Aggregate | null, event: NotificationEvent): Aggregate {
  if (!agg) return { count: 1, byType: { [event.type]: 1 }, first: event, last: event };
  agg.count += 1;
  agg.byType[event.type] = (agg.byType[event.type] ?? 0) + 1;
  agg.last = event;
  return agg;
}
