/**
 * zod schemas for the value types that recur across the config: durations, timezones, email
 * addresses, job names. Each reports a custom issue carrying its own code, what is allowed
 * and a hint, which `mapZodIssues` turns into a positioned problem.
 */
import { z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { parseDuration } from '../util/duration.js';
import { isValidTimezone, suggestTimezone } from '../calendar/index.js';

export const DURATION_ALLOWED = 'a duration such as `500ms`, `30s`, `10m`, `1h30m` or `2d`';
export const JOB_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Deliberately simple: a local part, an @, and a host name (single-label hosts such as
// `localhost` are fine). Deliverability is the mail server's business.
const EMAIL = /^[^\s@<>(),;:"[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function issue(ctx: z.core.$RefinementCtx, message: string, params: { code: string; allowed?: string; hint?: string }): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message, params });
  return z.NEVER;
}

/** Parses a duration to milliseconds; `zero` admits `0`, `none` admits the word `none` (→ null). */
export function durationMs(opts: { zero?: boolean } = {}): z.ZodType<number> {
  return z.unknown().transform((v, ctx): number => {
    if (opts.zero && (v === 0 || v === '0')) return 0;
    if (typeof v === 'string') {
      try {
        return parseDuration(v);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        return issue(ctx, e.problems[0]?.message ?? 'not a duration', { code: 'E_DURATION', allowed: DURATION_ALLOWED, hint: 'write the unit, e.g. `30s` or `10m`' });
      }
    }
    const hint = typeof v === 'number' ? `write the unit: \`${v}s\` or \`${v}m\`` : 'for example `30s`';
    return issue(ctx, 'not a duration', { code: 'E_DURATION', allowed: DURATION_ALLOWED + (opts.zero ? ', or 0' : ''), hint });
  }) as unknown as z.ZodType<number>;
}

/** `timeout`: a duration, or `none` for no limit (null). */
export const timeoutMs: z.ZodType<number | null> = z.unknown().transform((v, ctx): number | null => {
  if (v === 'none' || v === null) return null;
  const r = durationMs().safeParse(v);
  if (r.success) return r.data;
  return issue(ctx, 'not a duration', { code: 'E_DURATION', allowed: `${DURATION_ALLOWED}, or \`none\` for no limit`, hint: 'the default is `30m`' });
}) as unknown as z.ZodType<number | null>;

export const timezone: z.ZodType<string> = z.unknown().transform((v, ctx): string => {
  // The calendar's own check, so a zone accepted here is never refused by parseSchedule.
  if (typeof v === 'string' && isValidTimezone(v)) return v;
  const guess = typeof v === 'string' ? suggestTimezone(v) : undefined;
  return issue(ctx, typeof v === 'string' ? `unknown timezone \`${v}\`` : 'a timezone must be a name', {
    code: 'E_TIMEZONE',
    allowed: 'an IANA timezone name such as `UTC`, `Europe/Berlin` or `Asia/Shanghai`',
    hint: guess ? `did you mean \`${guess}\`?` : 'see the "TZ identifier" column of https://en.wikipedia.org/wiki/List_of_tz_database_time_zones',
  });
}) as unknown as z.ZodType<string>;

/** One address or a list of them, normalised to a list. */
export const emailList: z.ZodType<string[]> = z.unknown().transform((v, ctx): string[] => {
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : null;
  if (list === null) return issue(ctx, '`email` must be an address or a list of addresses', { code: 'E_CONFIG_INVALID_VALUE', allowed: 'an email address or a list of them', hint: 'email: [devops@example.com, oncall@example.com]' });
  const out: string[] = [];
  list.forEach((item: unknown, i) => {
    if (typeof item === 'string' && EMAIL.test(item.trim())) out.push(item.trim());
    else ctx.addIssue({ code: 'custom', path: typeof v === 'string' ? [] : [i], message: `not an email address: ${JSON.stringify(item)}`, params: { code: 'E_CONFIG_EMAIL', allowed: 'an address such as devops@example.com' } });
  });
  return out;
}) as unknown as z.ZodType<string[]>;

export const envVarName = z.string().regex(ENV_NAME);

export const jobName: z.ZodType<string> = z.unknown().transform((v, ctx): string => {
  if (typeof v === 'string' && JOB_NAME_PATTERN.test(v)) return v;
  const suggestion = typeof v === 'string' ? v.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '') : '';
  return issue(ctx, `invalid job name ${JSON.stringify(v)}`, {
    code: 'E_CONFIG_JOB_NAME',
    allowed: 'lower-case letters, digits, `_`, `.` and `-`, starting with a letter or digit',
    ...(suggestion ? { hint: `for example \`${suggestion}\`` } : {}),
  });
}) as unknown as z.ZodType<string>;
