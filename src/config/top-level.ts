/**
 * The file's top level: which keys exist, and the settings that are not per job (state
 * directory, store, SMTP, dashboard URL, shutdown grace, lease and heartbeat, the default timezone).
 */
import { z } from 'zod';
import type { SmtpConfig } from './types.js';
import { DEFAULT_LEASE_MS, DEFAULT_SMTP_PORT, DEFAULT_SMTPS_PORT, MAX_LEASE_MS, MIN_HEARTBEAT_MS, MIN_LEASE_MS } from './defaults.js';
import { didYouMean } from './did-you-mean.js';
import { JOB_KEYS } from './job-fields.js';
import type { Sourced } from './job-layer.js';
import type { ProblemList } from './problem-list.js';
import { DURATION_ALLOWED, durationMs, envVarName, timezone } from './value-schemas.js';
import { mapZodIssues } from './zod-issues.js';

export const TOP_KEYS = ['deployment', 'deployments', 'defaults', 'state_dir', 'store', 'timezone', 'shutdown_grace', 'lease', 'heartbeat', 'max_concurrent_runs', 'smtp', 'dashboard_url'] as const;
export type TopKey = (typeof TOP_KEYS)[number];

const LEASE_ALLOWED = 'a duration from 5s to 1h (default 30s): how long a run stays claimed without a heartbeat';
const HEARTBEAT_ALLOWED = 'a duration from 1s to a third of `lease` (default 10s)';

const SMTP_KEYS = ['host', 'port', 'secure', 'user', 'password_env', 'from'];

const smtpSchema = z.strictObject({
  host: z.string().trim().min(1),
  port: z.number().int().min(1).max(65_535).optional(),
  secure: z.boolean().optional(),
  user: z.string().min(1).nullable().optional(),
  password_env: envVarName.nullable().optional(),
  from: z.string().min(3).optional(),
});

const TOP_FIELDS = {
  state_dir: { schema: z.string().trim().min(1), allowed: 'a folder path (relative to the config file)' },
  store: { schema: z.string().trim().min(1), allowed: 'a SQLite file path or a postgres:// URL' },
  timezone: { schema: timezone, allowed: 'an IANA timezone name such as `UTC` or `Asia/Shanghai`' },
  shutdown_grace: { schema: durationMs(), allowed: DURATION_ALLOWED },
  lease: { schema: durationMs(), allowed: LEASE_ALLOWED },
  heartbeat: { schema: durationMs(), allowed: HEARTBEAT_ALLOWED },
  max_concurrent_runs: { schema: z.number().int().min(1).max(100_000), allowed: 'a whole number from 1 to 100000 (default: no limit)' },
  dashboard_url: {
    schema: z.url({ protocol: /^https?$/ }),
    allowed: 'an http:// or https:// URL, e.g. https://shipclock.example.com',
  },
} as const;

const SMTP_ALLOWED: Readonly<Record<string, string>> = {
  host: 'a host name, e.g. smtp.example.com',
  port: 'a port number from 1 to 65535',
  secure: 'true (TLS from the start, usually port 465) or false (STARTTLS)',
  user: 'a user name',
  password_env: 'the name of an environment variable holding the password, e.g. SMTP_PASSWORD',
  from: 'a sender address, e.g. shipclock@example.com',
};

export interface TopValues {
  stateDir?: Sourced<string>;
  store?: Sourced<string>;
  timezone?: Sourced<string>;
  shutdownGraceMs?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  maxConcurrentRuns?: number;
  smtp?: SmtpConfig;
  dashboardUrl?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reports unknown top-level keys; returns the typed non-job settings. */
export function readTopLevel(root: Record<string, unknown>, problems: ProblemList): TopValues {
  const out: TopValues = {};
  for (const key of Object.keys(root)) {
    if ((TOP_KEYS as readonly string[]).includes(key)) continue;
    const isJobKey = (JOB_KEYS as string[]).includes(key);
    const hint = didYouMean(key, TOP_KEYS) ?? (isJobKey ? `\`${key}\` is a job setting: put it under \`deployment:\` (or a job under \`deployments:\`, or \`defaults:\`)` : undefined);
    problems.atPath([key], {
      code: 'E_CONFIG_UNKNOWN_KEY',
      at: 'key',
      message: `unknown top-level key \`${key}\``,
      allowed: TOP_KEYS.join(', '),
      ...(hint ? { hint } : {}),
    });
  }

  for (const [key, spec] of Object.entries(TOP_FIELDS)) {
    if (!(key in root) || root[key] === null) continue;
    const r = (spec.schema as z.ZodType).safeParse(root[key]);
    if (!r.success) {
      for (const m of mapZodIssues(r.error.issues, { raw: root[key], name: key, describe: () => ({ allowed: spec.allowed }) })) problems.atPath([key, ...m.path], m.body);
      continue;
    }
    const origin = { kind: 'file' as const, path: [key] };
    if (key === 'state_dir') out.stateDir = { value: r.data as string, origin };
    if (key === 'store') out.store = { value: r.data as string, origin };
    if (key === 'timezone') out.timezone = { value: r.data as string, origin };
    if (key === 'shutdown_grace') out.shutdownGraceMs = r.data as number;
    if (key === 'lease') out.leaseMs = r.data as number;
    if (key === 'heartbeat') out.heartbeatMs = r.data as number;
    if (key === 'max_concurrent_runs') out.maxConcurrentRuns = r.data as number;
    if (key === 'dashboard_url') out.dashboardUrl = r.data as string;
  }

  checkLease(root, out, problems);

  if (root['smtp'] !== undefined && root['smtp'] !== null) {
    const smtp = readSmtp(root['smtp'], problems);
    if (smtp) out.smtp = smtp;
  }
  return out;
}

/**
 * The lease and its heartbeat, together: a heartbeat must land several times within a lease, or
 * a run that is alive and well would be taken over by another instance (or recorded interrupted).
 */
function checkLease(root: Record<string, unknown>, out: TopValues, problems: ProblemList): void {
  const leaseSet = root['lease'] !== undefined && root['lease'] !== null;
  if (out.leaseMs !== undefined && (out.leaseMs < MIN_LEASE_MS || out.leaseMs > MAX_LEASE_MS)) {
    problems.atPath(['lease'], { code: 'E_CONFIG_INVALID_VALUE', value: root['lease'], message: '`lease` is out of range', allowed: LEASE_ALLOWED });
    delete out.leaseMs;
  }
  if (out.heartbeatMs === undefined) return;
  if (out.heartbeatMs < MIN_HEARTBEAT_MS) {
    problems.atPath(['heartbeat'], { code: 'E_CONFIG_INVALID_VALUE', value: root['heartbeat'], message: '`heartbeat` is shorter than 1s', allowed: HEARTBEAT_ALLOWED });
    delete out.heartbeatMs;
    return;
  }
  // A lease that was set but refused is reported once, above; the heartbeat is judged against
  // it once it is fixed.
  if (leaseSet && out.leaseMs === undefined) return;
  const lease = out.leaseMs ?? DEFAULT_LEASE_MS;
  if (out.heartbeatMs * 3 > lease) {
    problems.atPath(['heartbeat'], {
      code: 'E_CONFIG_INVALID_VALUE',
      value: root['heartbeat'],
      message: `\`heartbeat\` must come at least three times within the lease (${lease / 1000}s${leaseSet ? '' : ', the default'})`,
      allowed: HEARTBEAT_ALLOWED,
      hint: 'a longer `lease`, or a shorter `heartbeat`',
    });
    delete out.heartbeatMs;
  }
}

function readSmtp(raw: unknown, problems: ProblemList): SmtpConfig | undefined {
  if (isRecord(raw) && 'password' in raw) {
    // Refused outright: a password in a file ends up in repositories and backups.
    problems.atPath(['smtp', 'password'], {
      code: 'E_CONFIG_SECRET_IN_FILE',
      at: 'key',
      secret: true,
      message: 'the SMTP password must not be written in the config file',
      allowed: 'password_env: the name of an environment variable holding the password',
      hint: 'replace `password: …` with `password_env: SMTP_PASSWORD` and export SMTP_PASSWORD',
    });
    const { password: _dropped, ...rest } = raw;
    raw = rest;
  }
  const r = smtpSchema.safeParse(raw);
  if (!r.success) {
    for (const m of mapZodIssues(r.error.issues, {
      raw,
      name: 'smtp',
      describe: (p) => (p.length === 0 ? { allowed: '{ host, port, secure, user, password_env, from }' } : { allowed: SMTP_ALLOWED[String(p[0])] ?? '' }),
      knownKeys: () => SMTP_KEYS,
    })) {
      problems.atPath(['smtp', ...m.path], m.body);
    }
    return undefined;
  }
  const s = r.data;
  const secure = s.secure ?? s.port === DEFAULT_SMTPS_PORT;
  const user = s.user ?? null;
  return {
    host: s.host,
    port: s.port ?? (secure ? DEFAULT_SMTPS_PORT : DEFAULT_SMTP_PORT),
    secure,
    user,
    passwordEnv: s.password_env ?? null,
    // Most servers require From to be an address they accept for the account.
    from: s.from ?? (user?.includes('@') ? user : `shipclock@${s.host}`),
  };
}
