// PostgreSQL text and JSONB cannot hold U+0000, which a deploy's output may contain: recording
// the outcome matters more than that one character, so it becomes U+FFFD (in JSON strings too;
// string parameters are cleaned in pg-session.ts).
const noNul = (_key: string, v: unknown): unknown => (typeof v === 'string' ? v.replaceAll('\u0000', '\uFFFD') : v);

/** A JSONB parameter (passed as text, cast with `::jsonb`), or null. */
export function jsonParam(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v, noNul);
}
