/**
 * What `validate` shows: one summary per job (name, schedule in words, timezone, provider,
 * target, timeout, retries) and the notices. A plain value (for `--json`) plus a text form.
 * Secrets never appear: the store URL's password is redacted, provider settings are not shown.
 */
import { parseSchedule } from '../calendar/index.js';
import type { Config } from './types.js';
import { redactStoreLocation } from './storage-location.js';

export interface JobSummary {
  readonly name: string;
  readonly schedule: string | null;
  /** The schedule in words ("at 02:00 every day"), or null without a schedule. */
  readonly scheduleDescription: string | null;
  readonly timezone: string;
  readonly provider: string;
  readonly target: string;
  /** `30m`, or `none`. */
  readonly timeout: string;
  readonly timeoutMs: number | null;
  readonly retries: number;
  readonly overlap: string;
  readonly catchUp: string;
}

export interface ConfigSummary {
  readonly file: string | null;
  readonly stateDir: string;
  readonly store: { readonly kind: string; readonly location: string };
  readonly jobs: readonly JobSummary[];
  readonly notices: readonly string[];
}

const UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** `5400000` → `1h30m`; the inverse of parseDuration for whole units. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

function describeSchedule(c: Config['jobs'][number]): string | null {
  if (c.schedule === null) return null;
  try {
    return parseSchedule(c.schedule, { timezone: c.timezone, dst: c.dst, offsetMs: c.offsetMs, hashKey: c.name }).describe();
  } catch {
    return null; // validated when loaded; a describe failure must not hide the summary
  }
}

export function describeConfig(config: Config): ConfigSummary {
  return {
    file: config.file,
    stateDir: config.stateDir,
    store: { kind: config.store.kind, location: redactStoreLocation(config.store) },
    jobs: config.jobs.map((j) => ({
      name: j.name,
      schedule: j.schedule,
      scheduleDescription: describeSchedule(j),
      timezone: j.timezone,
      provider: j.provider.kind,
      target: j.target,
      timeout: j.timeoutMs === null ? 'none' : formatDuration(j.timeoutMs),
      timeoutMs: j.timeoutMs,
      retries: j.retry.maxRetries,
      overlap: j.overlap,
      catchUp: j.catchUp.mode,
    })),
    notices: config.notices,
  };
}

/** Text for a terminal: one block per job, then the notices. */
export function formatConfigSummary(summary: ConfigSummary): string {
  const lines: string[] = [];
  lines.push(`config: ${summary.file ?? '(command-line flags only)'}`);
  lines.push(`state:  ${summary.stateDir}`);
  lines.push(`store:  ${summary.store.kind} ${summary.store.location}`);
  for (const j of summary.jobs) {
    lines.push('');
    lines.push(`job ${j.name}`);
    const when = j.schedule === null ? 'none (deploys only when asked)' : `${j.schedule}${j.scheduleDescription ? `  (${j.scheduleDescription})` : ''}`;
    lines.push(`  schedule: ${when}`);
    lines.push(`  timezone: ${j.timezone}`);
    lines.push(`  provider: ${j.provider}`);
    lines.push(`  target:   ${j.target}`);
    lines.push(`  timeout:  ${j.timeout}`);
    lines.push(`  retries:  ${j.retries}`);
    lines.push(`  overlap:  ${j.overlap}, catch-up: ${j.catchUp}`);
  }
  if (summary.notices.length) {
    lines.push('');
    lines.push('notices:');
    for (const n of summary.notices) lines.push(`  - ${n}`);
  }
  return lines.join('\n') + '\n';
}
