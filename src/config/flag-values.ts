/**
 * Command-line overrides, checked like file values (same rules, same problem shape) but
 * reported by flag name, since they have no place in a file.
 */
import type { ConfigFlags } from './types.js';
import type { Sourced } from './job-layer.js';
import type { ProblemList } from './problem-list.js';
import { DURATION_ALLOWED, JOB_NAME_PATTERN, timeoutMs, timezone } from './value-schemas.js';
import { mapZodIssues } from './zod-issues.js';

export interface FlagValues {
  readonly schedule?: Sourced<string>;
  readonly timezone?: Sourced<string>;
  readonly provider?: Sourced<string>;
  readonly maxRetries?: Sourced<number>;
  readonly timeoutMs?: Sourced<number | null>;
  readonly job?: string;
  readonly settings?: Readonly<Record<string, unknown>>;
}

function flag(name: string): { kind: 'flag'; flag: string } {
  return { kind: 'flag', flag: name };
}

export function readFlags(flags: ConfigFlags, problems: ProblemList): FlagValues {
  const out: { -readonly [K in keyof FlagValues]: FlagValues[K] } = {};

  if (flags.schedule !== undefined) {
    if (flags.schedule.trim() === '') {
      problems.at(flag('--schedule'), { code: 'E_CONFIG_INVALID_VALUE', value: flags.schedule, message: '--schedule is empty', allowed: 'a schedule expression such as "0 2 * * *", daily or "*/6h"' });
    } else out.schedule = { value: flags.schedule, origin: flag('--schedule') };
  }

  if (flags.timezone !== undefined) {
    const r = timezone.safeParse(flags.timezone);
    if (r.success) out.timezone = { value: r.data, origin: flag('--tz') };
    else for (const m of mapZodIssues(r.error.issues, { raw: flags.timezone })) problems.at(flag('--tz'), m.body);
  }

  if (flags.provider !== undefined) {
    if (flags.provider.trim() === '') problems.at(flag('--provider'), { code: 'E_CONFIG_INVALID_VALUE', value: flags.provider, message: '--provider is empty' });
    else out.provider = { value: flags.provider.trim(), origin: flag('--provider') };
  }

  if (flags.maxRetries !== undefined) {
    const raw = flags.maxRetries;
    const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (Number.isInteger(n) && n >= 0 && n <= 100) out.maxRetries = { value: n, origin: flag('--max-retries') };
    else {
      problems.at(flag('--max-retries'), {
        code: 'E_CONFIG_INVALID_VALUE',
        value: raw,
        message: '--max-retries must be a whole number of retries',
        allowed: 'an integer from 0 to 100 (retries after the first attempt)',
        hint: '--max-retries 3',
      });
    }
  }

  if (flags.timeout !== undefined) {
    const r = timeoutMs.safeParse(flags.timeout);
    if (r.success) out.timeoutMs = { value: r.data, origin: flag('--timeout') };
    else problems.at(flag('--timeout'), { code: 'E_DURATION', value: flags.timeout, message: '--timeout is not a duration', allowed: `${DURATION_ALLOWED}, or none`, hint: '--timeout 30m' });
  }

  if (flags.job !== undefined) {
    if (!JOB_NAME_PATTERN.test(flags.job)) {
      problems.at(flag('job'), { code: 'E_CONFIG_JOB_NAME', value: flags.job, message: `invalid job name ${JSON.stringify(flags.job)}`, allowed: 'lower-case letters, digits, `_`, `.` and `-`' });
    } else out.job = flags.job;
  }

  if (flags.settings !== undefined) out.settings = flags.settings;
  return out;
}

/** True when the command line alone describes a deployable job (no config file needed). */
export function flagsSuffice(flags: ConfigFlags): boolean {
  return flags.provider !== undefined && flags.provider.trim() !== '';
}
