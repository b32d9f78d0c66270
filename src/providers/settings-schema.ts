/**
 * Small zod pieces shared by provider settings schemas: durations written as `"30s"`, `"10m"`,
 * `"1h"`, `"500ms"` (or a number of seconds), resolved to milliseconds; non-empty names.
 */
import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration setting, resolved to milliseconds. */
export const durationMs = z
  .union([
    z.number().nonnegative(),
    z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, { message: 'expected a duration such as "30s", "10m" or "1h"' }),
  ])
  .transform((v) => {
    if (typeof v === 'number') return Math.round(v * 1000);
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v);
    return Math.round(Number(m?.[1]) * (UNIT_MS[m?.[2] ?? 's'] ?? 1000));
  });

/** A required, non-empty string (names, images, hosts). */
export const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });

/** Environment variable names as the deploy tools accept them. */
export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected an environment variable name' });
