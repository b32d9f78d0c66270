/**
 * The `health:` block shared by the `shell` and `local` providers, and the duration syntax of
 * provider settings. Schemas only validate (no transforms), so parsing a parsed value again is
 * harmless; `resolveHealth` turns the validated block into milliseconds once, in `create()`.
 */
import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `"500ms"`, `"10s"`, `"5m"`, `"1h30m"`, or a plain number of seconds (as in schedules, where
 * `3600` is seconds). Null when malformed.
 */
export function parseDurationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
  let total = 0;
  for (const [, n, unit] of parts) total += Number(n) * (UNIT_MS[unit ?? ''] ?? NaN);
  return Number.isFinite(total) ? Math.round(total) : null;
}

export const durationSetting = z.union([z.string(), z.number()]).refine((v) => parseDurationMs(v) !== null, {
  message: 'expected a duration such as "500ms", "10s", "5m", "1h30m", or a number of seconds',
});

const statusCode = z.number().int().min(100).max(599);

export const healthSettingsSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL, e.g. "http://127.0.0.1:8080/health"' }),
  /** How long the URL has to answer as expected, from the first probe. Default 30 s. */
  timeout: durationSetting.optional(),
  /** Status that counts as healthy; default any 2xx. */
  expect_status: z.union([statusCode, z.array(statusCode).min(1)]).optional(),
});

export type HealthSettings = z.infer<typeof healthSettingsSchema>;

export interface HealthCheck {
  readonly url: string;
  readonly timeoutMs: number;
  /** Empty: any 2xx. */
  readonly expectStatus: readonly number[];
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 30_000;

export function resolveHealth(h: HealthSettings | undefined): HealthCheck | null {
  if (!h) return null;
  const expect = h.expect_status === undefined ? [] : Array.isArray(h.expect_status) ? h.expect_status : [h.expect_status];
  return Object.freeze({
    url: h.url,
    timeoutMs: h.timeout === undefined ? DEFAULT_HEALTH_TIMEOUT_MS : (parseDurationMs(h.timeout) ?? DEFAULT_HEALTH_TIMEOUT_MS),
    expectStatus: Object.freeze([...expect]),
  });
}
