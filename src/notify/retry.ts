/** Delivery tries with exponential backoff; every wait goes through the injected clock. */
import type { Clock } from '../scheduler/clock.js';
import type { SendResult } from './send-result.js';

export interface RetryPolicy {
  readonly tries: number;
  readonly baseMs: number;
  readonly capMs: number;
}

/** Wait before try `n + 1` after try `n` failed: base·2^(n−1), capped; a server's Retry-After wins up to the cap. */
export function backoffMs(policy: RetryPolicy, failedTry: number, retryAfterMs?: number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** (failedTry - 1));
  return retryAfterMs === undefined ? exp : Math.min(policy.capMs, Math.max(exp, retryAfterMs));
}

/** Longest single wait: long waits are split and the clock re-read (DESIGN.md §2). */
export const MAX_WAIT_MS = 60_000;

/** Sleep until `untilMs` in steps of at most 60 s, re-reading the clock: wall clocks jump. */
export async function waitUntil(clock: Clock, untilMs: number, signal?: AbortSignal): Promise<void> {
  while (!signal?.aborted && clock.now() < untilMs) {
    await clock.sleepUntil(Math.min(untilMs, clock.now() + MAX_WAIT_MS), signal);
  }
}

export interface TryReport {
  readonly try: number;
  readonly result: SendResult;
  readonly final: boolean;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** Run `send` until it succeeds, fails permanently or the tries run out. Never throws. */
export async function sendWithRetry(
  send: () => Promise<SendResult>,
  policy: RetryPolicy,
  clock: Clock,
  report: (r: TryReport) => Promise<void>,
): Promise<SendResult> {
  for (let n = 1; ; n++) {
    const startedAt = clock.now();
    let result: SendResult;
    try {
      result = await send();
    } catch (err) {
      result = { ok: false, status: null, code: 'E_NOTIFY_INTERNAL', message: String(err), retryable: false };
    }
    const final = result.ok || !result.retryable || n >= policy.tries;
    await report({ try: n, result, final, startedAt, endedAt: clock.now() });
    if (final) return result;
    await waitUntil(clock, clock.now() + backoffMs(policy, n, result.ok ? undefined : result.retryAfterMs));
  }
}
