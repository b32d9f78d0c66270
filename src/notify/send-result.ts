/** What one delivery try reports back, whatever the channel. */
export type SendResult =
  | { readonly ok: true; readonly status: number | null; readonly note?: string }
  | {
      readonly ok: false;
      readonly status: number | null;
      /** Stable code: an SMTP/nodemailer code (`EAUTH`, `ECONNECTION`), `HTTP_503`, `ECONNREFUSED`… */
      readonly code: string;
      readonly message: string;
      /** False for errors another try cannot fix (a 4xx answer, an SMTP 5xx reply). */
      readonly retryable: boolean;
      /** Server-requested wait before the next try (HTTP Retry-After). */
      readonly retryAfterMs?: number;
    };

/** The code of a thrown error, following `cause` (fetch wraps socket errors in a TypeError). */
export function errorCode(err: unknown, fallback: string): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return fallback;
}

/** A readable message that includes the cause (fetch's own message is just "fetch failed"). */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
