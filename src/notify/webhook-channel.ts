/** POSTs a JSON payload to a webhook with Node's fetch. */
import { errorCode, errorMessage, type SendResult } from './send-result.js';
import type { WebhookTarget } from './webhook-config.js';

const RETRYABLE_STATUS = new Set([408, 425, 429]);
const USER_AGENT = 'shipclock-notify/1';

/** `hooks.slack.com (slack)`: a webhook's path often is its secret, so it is never shown. */
export function describeWebhook(target: WebhookTarget): string {
  return `${new URL(target.url).host} (${target.format})`;
}

export async function postWebhook(
  target: WebhookTarget,
  payload: unknown,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs: number,
): Promise<SendResult> {
  const headers: Record<string, string> = { ...target.headers, 'content-type': 'application/json', 'user-agent': USER_AGENT };
  if (target.secretHeaderEnv) {
    const secret = env[target.secretHeaderEnv];
    if (!secret) return { ok: false, status: null, code: 'E_NOTIFY_SECRET_UNSET', message: `environment variable ${target.secretHeaderEnv} is not set`, retryable: false };
    headers[target.secretHeader] = secret;
  }
  try {
    // The request timeout is real time on purpose: it bounds I/O, it is not a schedule.
    // Redirects are refused so a secret header never follows a response to another host.
    const res = await fetch(target.url, { method: 'POST', headers, body: JSON.stringify(payload), redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined); // drain so the connection can be reused
    if (res.ok) return { ok: true, status: res.status };
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    return {
      ok: false,
      status: res.status,
      code: `HTTP_${res.status}`,
      message: `webhook answered ${res.status} ${res.statusText}`.trim(),
      retryable: res.status >= 500 || RETRYABLE_STATUS.has(res.status),
      ...(retryAfterMs !== null ? { retryAfterMs } : {}),
    };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, status: null, code: timedOut ? 'ETIMEDOUT' : errorCode(err, 'EFETCH'), message: errorMessage(err), retryable: true };
  }
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}
