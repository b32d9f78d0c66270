/**
 * The keys a job block accepts (besides its provider's settings), each with its zod schema and
 * the words a person reads when the value is wrong. `defaults:` accepts the same keys, minus
 * the ones that only make sense for one job.
 */
import { z } from 'zod';
import { DURATION_ALLOWED, durationMs, emailList, timeoutMs, timezone } from './value-schemas.js';

export interface FieldSpec {
  readonly schema: z.ZodType;
  readonly allowed: string;
  readonly example?: string;
}

const bool = z.boolean();
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const record = z.record(z.string(), z.unknown());

export const OVERLAP_POLICIES = ['skip', 'queue_one', 'queue_all', 'cancel_running', 'allow'] as const;
export const CATCH_UP_MODES = ['latest', 'all', 'none'] as const;
export const DEPENDENCY_FAILURE_POLICIES = ['block', 'skip', 'continue'] as const;

export const JOB_FIELDS = {
  schedule: {
    // A bare number is a number of seconds (`schedule: 3600`); null = deploy only when asked.
    schema: z.union([z.string().trim().min(1), z.number().int().positive(), z.null()]),
    allowed: 'a cron expression, a word (`daily`), a phrase (`daily at 02:30`) or an interval (`*/6h`, `3600`)',
    example: 'schedule: "0 2 * * *"',
  },
  timezone: { schema: timezone, allowed: 'an IANA timezone name such as `UTC` or `Asia/Shanghai`', example: 'timezone: Europe/Berlin' },
  dst: {
    schema: z.strictObject({ gap: z.enum(['shift', 'skip']).optional(), repeat: z.enum(['once', 'both']).optional() }),
    allowed: '{ gap: shift|skip, repeat: once|both }',
    example: 'dst: { gap: shift, repeat: once }',
  },
  offset: { schema: durationMs({ zero: true }), allowed: `${DURATION_ALLOWED}, or 0`, example: 'offset: 5m' },
  description: { schema: z.string(), allowed: 'a string' },
  provider: {
    schema: z.union([z.string().trim().min(1), z.looseObject({ kind: z.string().trim().min(1) })]),
    allowed: 'a provider kind such as `shell` or `local`, or `{ kind: shell, command: [...] }`',
    example: 'provider: shell',
  },
  target: { schema: z.string().trim().min(1), allowed: 'a non-empty name (the lock: one deploy per target at a time)' },
  retry_on_failure: { schema: bool, allowed: 'true or false' },
  max_retries: { schema: int(0, 100), allowed: 'an integer from 0 to 100', example: 'max_retries: 3' },
  retry_backoff: {
    schema: z.strictObject({ base: durationMs().optional(), cap: durationMs().optional() }),
    allowed: '{ base: <duration>, cap: <duration> }',
    example: 'retry_backoff: { base: 30s, cap: 10m }',
  },
  timeout: { schema: timeoutMs, allowed: `${DURATION_ALLOWED}, or \`none\``, example: 'timeout: 30m' },
  overlap: { schema: z.enum(OVERLAP_POLICIES), allowed: OVERLAP_POLICIES.join(', ') },
  queue_cap: { schema: int(1, 10_000), allowed: 'an integer from 1 to 10000' },
  catch_up: { schema: z.enum(CATCH_UP_MODES), allowed: CATCH_UP_MODES.join(', ') },
  catch_up_window: { schema: durationMs(), allowed: DURATION_ALLOWED, example: 'catch_up_window: 1h' },
  max_catch_up: { schema: int(1, 100_000), allowed: 'an integer from 1 to 100000' },
  jitter: { schema: durationMs({ zero: true }), allowed: `${DURATION_ALLOWED}, or 0`, example: 'jitter: 5m' },
  notifications: {
    schema: z
      .strictObject({
        email: emailList.optional(),
        on_success: bool.optional(),
        on_failure: bool.optional(),
        webhooks: z.array(z.union([z.string(), record])).optional(),
      })
      .nullable(),
    allowed: '{ email: address or list, on_success: bool, on_failure: bool, webhooks: [...] }',
    example: 'notifications: { email: devops@example.com, on_failure: true }',
  },
  depends_on: {
    schema: z.union([z.string().min(1), z.array(z.union([z.string().min(1), record]))]),
    allowed: 'a job name or a list of job names',
    example: 'depends_on: [migrate]',
  },
  windows: { schema: z.array(record), allowed: 'a list of mappings, each with `allow` or `deny`', example: 'windows: [{ deny: "0 17 * * fri", duration: 64h }]' },
  regions: { schema: z.array(z.string().min(1)), allowed: 'a list of region names', example: 'regions: [eu-west-1, us-east-1]' },
  waves: { schema: z.array(z.array(z.string().min(1))), allowed: 'a list of lists of region names', example: 'waves: [[eu-west-1], [us-east-1, us-west-2]]' },
  idempotent: { schema: bool, allowed: 'true or false' },
  on_failure: {
    schema: z.enum(DEPENDENCY_FAILURE_POLICIES),
    allowed: 'block (wait for the dependency to be re-run, then record blocked_dependency), skip (record it at once) or continue (deploy anyway)',
    example: 'on_failure: block',
  },
  dependency_window: { schema: durationMs(), allowed: DURATION_ALLOWED, example: 'dependency_window: 1h' },
} as const satisfies Record<string, FieldSpec>;

export type JobKey = keyof typeof JOB_FIELDS;
export const JOB_KEYS = Object.keys(JOB_FIELDS) as JobKey[];
/** Kept in `JobConfig.extra` as written; `scheduling-keys.ts` resolves all but `idempotent`. */
export const EXTRA_KEYS = ['depends_on', 'windows', 'regions', 'waves', 'idempotent', 'on_failure', 'dependency_window'] as const;
/** Keys that name one job and so make no sense in `defaults:`. */
export const JOB_ONLY_KEYS: readonly JobKey[] = ['target', 'description', 'depends_on'];

export const NESTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  dst: ['gap', 'repeat'],
  retry_backoff: ['base', 'cap'],
  notifications: ['email', 'on_success', 'on_failure', 'webhooks'],
};

const NESTED_ALLOWED: Readonly<Record<string, string>> = {
  'dst.gap': 'shift (fire right after a DST jump) or skip',
  'dst.repeat': 'once (first pass of a repeated hour) or both',
  'retry_backoff.base': DURATION_ALLOWED,
  'retry_backoff.cap': DURATION_ALLOWED,
  'notifications.on_success': 'true or false',
  'notifications.on_failure': 'true or false',
  'notifications.webhooks': 'a list of webhook entries ({ url, format, ... })',
};

export function fieldSchema(key: JobKey): z.ZodType {
  return (JOB_FIELDS[key] as FieldSpec).schema;
}

/** What is allowed at a path inside a job block (`['dst', 'gap']`). */
export function describeJobField(path: readonly (string | number)[]): { allowed?: string; example?: string } | undefined {
  const keys = path.filter((s): s is string => typeof s === 'string');
  const nested = NESTED_ALLOWED[keys.join('.')];
  if (nested) return { allowed: nested };
  if (keys.length > 1 && keys[0] !== undefined && keys[0] in NESTED_KEYS) return undefined;
  const top = keys[0] as JobKey | undefined;
  if (!top || !(top in JOB_FIELDS)) return undefined;
  const spec: FieldSpec = JOB_FIELDS[top];
  return { allowed: spec.allowed, ...(spec.example ? { example: spec.example } : {}) };
}
