/**
 * Resolves the scheduling keys a job block carries beside its schedule (DESIGN.md §6):
 * `windows`, `depends_on` with `on_failure` and `dependency_window`, and `regions` / `waves`.
 * Per job, `resolveSchedulingKeys` checks each entry (schedule expressions parsed in their
 * timezone, durations, unknown keys) and returns typed values; across jobs,
 * `checkDependencyGraph` refuses unknown job names and cycles. Every problem is positioned at the entry that causes it.
 */
import { isValidTimezone, parseSchedule } from '../calendar/index.js';
import { InputError } from '../errors/input-error.js';
import { parseDuration } from '../util/duration.js';
import type { DependencyConfig, DependencyFailurePolicy, DeployWindowConfig, JobConfig } from './types.js';
import { didYouMean } from './did-you-mean.js';
import type { Sourced } from './job-layer.js';
import type { Origin, ProblemList } from './problem-list.js';
import { DURATION_ALLOWED } from './value-schemas.js';
import type { FieldPath } from './yaml-source.js';

export interface SchedulingInput {
  readonly windows?: Sourced<unknown>;
  readonly depends_on?: Sourced<unknown>;
  readonly on_failure?: Sourced<unknown>;
  readonly dependency_window?: Sourced<unknown>;
  readonly regions?: Sourced<unknown>;
  readonly waves?: Sourced<unknown>;
}

export interface SchedulingKeys {
  readonly windows: readonly DeployWindowConfig[];
  readonly dependsOn: readonly DependencyConfig[];
  readonly onFailure: DependencyFailurePolicy;
  readonly waves: readonly (readonly string[])[];
}

const WINDOW_KEYS = ['allow', 'deny', 'duration', 'timezone', 'name'] as const;
const DEPENDENCY_KEYS = ['job', 'window'] as const;
/** Region names end up in run ids, log paths and SHIPCLOCK_REGION: keep them plain. */
const REGION = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const WINDOW_EXAMPLE = 'windows:\n  - { allow: "0 9 * * mon-thu", duration: 8h }\n  - { deny: "0 17 * * fri", duration: 64h, timezone: Europe/Berlin }';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reports at `origin` + `sub` (file values), or at the flag/env that set them. */
function reporter(problems: ProblemList, origin: Origin) {
  return (sub: FieldPath, body: Parameters<ProblemList['at']>[1]): void => problems.at(origin, body, sub);
}

function duration(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  try {
    const ms = parseDuration(v);
    return ms > 0 ? ms : null;
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
}

export function resolveSchedulingKeys(input: SchedulingInput, jobTimezone: string, problems: ProblemList): SchedulingKeys {
  const windows = input.windows ? resolveWindows(input.windows, jobTimezone, problems) : [];
  const defaultWindow = input.dependency_window ? resolveDependencyWindow(input.dependency_window, problems) : null;
  const dependsOn = input.depends_on ? resolveDependencies(input.depends_on, defaultWindow, problems) : [];
  const onFailure = (input.on_failure?.value as DependencyFailurePolicy | undefined) ?? 'block';
  const waves = resolveWaves(input, problems);
  return { windows, dependsOn, onFailure, waves };
}

function resolveWindows(src: Sourced<unknown>, jobTimezone: string, problems: ProblemList): DeployWindowConfig[] {
  const report = reporter(problems, src.origin);
  if (!Array.isArray(src.value)) return [];
  const out: DeployWindowConfig[] = [];
  src.value.forEach((entry: unknown, i) => {
    if (!isRecord(entry)) {
      report([i], { code: 'E_CONFIG_INVALID_VALUE', value: entry, message: 'a window must be a mapping with `allow` or `deny` and `duration`', hint: WINDOW_EXAMPLE });
      return;
    }
    const before = problems.size;
    for (const key of Object.keys(entry)) {
      if ((WINDOW_KEYS as readonly string[]).includes(key)) continue;
      const guess = didYouMean(key, WINDOW_KEYS);
      report([i, key], { code: 'E_CONFIG_UNKNOWN_KEY', at: 'key', message: `unknown key \`${key}\` in a window`, allowed: WINDOW_KEYS.join(', '), ...(guess ? { hint: guess } : {}) });
    }
    const kinds = (['allow', 'deny'] as const).filter((k) => entry[k] !== undefined);
    if (kinds.length !== 1) {
      report([i], {
        code: kinds.length ? 'E_CONFIG_CONFLICT' : 'E_CONFIG_MISSING_KEY',
        value: entry,
        message: kinds.length ? 'a window is either `allow` or `deny`, not both' : 'a window needs `allow` or `deny` (a schedule expression: when the window opens)',
        hint: WINDOW_EXAMPLE,
      });
    }
    const kind = kinds[0];
    const expr = kind ? entry[kind] : undefined;
    if (kind && (typeof expr !== 'string' || expr.trim() === '')) {
      report([i, kind], { code: 'E_CONFIG_INVALID_VALUE', value: expr, message: `\`${kind}\` must be a schedule expression (when the window opens)`, allowed: 'a cron expression or phrase, e.g. "0 9 * * mon-fri"' });
    }
    let timezone = jobTimezone;
    if (entry['timezone'] !== undefined) {
      if (typeof entry['timezone'] === 'string' && isValidTimezone(entry['timezone'])) timezone = entry['timezone'];
      else report([i, 'timezone'], { code: 'E_TIMEZONE', value: entry['timezone'], message: 'unknown timezone', allowed: 'an IANA timezone name such as `UTC` or `Europe/Berlin`' });
    }
    const durationMs = duration(entry['duration']);
    if (entry['duration'] === undefined) {
      report([i], { code: 'E_CONFIG_MISSING_KEY', value: entry, message: 'a window needs `duration` (how long it stays open after each start)', allowed: DURATION_ALLOWED, hint: WINDOW_EXAMPLE });
    } else if (durationMs === null) {
      report([i, 'duration'], { code: 'E_DURATION', value: entry['duration'], message: 'not a positive duration', allowed: DURATION_ALLOWED, hint: 'e.g. `8h` or `64h`' });
    }
    const name = entry['name'];
    if (name !== undefined && typeof name !== 'string') report([i, 'name'], { code: 'E_CONFIG_INVALID_VALUE', value: name, message: '`name` must be a string' });
    if (kind && typeof expr === 'string' && expr.trim() !== '' && problems.size === before) {
      try {
        parseSchedule(expr, { timezone });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        for (const p of e.problems) {
          report([i, kind], { code: p.code, value: expr, message: `${kind} ${JSON.stringify(expr)}: ${p.message}`, ...(p.allowed ? { allowed: p.allowed } : {}), ...(p.hint ? { hint: p.hint } : {}) });
        }
      }
    }
    if (problems.size === before && kind && typeof expr === 'string' && durationMs !== null) {
      out.push({ kind, schedule: expr.trim(), durationMs, timezone, name: typeof name === 'string' ? name : null });
    }
  });
  return out;
}

function resolveDependencyWindow(src: Sourced<unknown>, problems: ProblemList): number | null {
  // The field schema already parsed it (a duration in ms).
  return typeof src.value === 'number' && src.value > 0 ? src.value : (reporter(problems, src.origin)([], { code: 'E_DURATION', value: src.value, message: 'not a positive duration', allowed: DURATION_ALLOWED }), null);
}

function resolveDependencies(src: Sourced<unknown>, defaultWindow: number | null, problems: ProblemList): DependencyConfig[] {
  const report = reporter(problems, src.origin);
  const list = typeof src.value === 'string' ? [src.value] : Array.isArray(src.value) ? src.value : [];
  const sub = (i: number): FieldPath => (typeof src.value === 'string' ? [] : [i]);
  const out: DependencyConfig[] = [];
  const seen = new Set<string>();
  list.forEach((entry: unknown, i) => {
    let job: unknown = entry;
    let windowMs = defaultWindow;
    if (isRecord(entry)) {
      for (const key of Object.keys(entry)) {
        if ((DEPENDENCY_KEYS as readonly string[]).includes(key)) continue;
        report([...sub(i), key], { code: 'E_CONFIG_UNKNOWN_KEY', at: 'key', message: `unknown key \`${key}\` in a dependency`, allowed: DEPENDENCY_KEYS.join(', '), hint: 'depends_on: [{ job: build, window: 1h }]' });
      }
      job = entry['job'];
      if (entry['window'] !== undefined) {
        windowMs = duration(entry['window']);
        if (windowMs === null) report([...sub(i), 'window'], { code: 'E_DURATION', value: entry['window'], message: 'not a positive duration', allowed: DURATION_ALLOWED, hint: 'e.g. `1h`' });
      }
    }
    if (typeof job !== 'string' || job.trim() === '') {
      report(sub(i), { code: 'E_CONFIG_INVALID_VALUE', value: entry, message: 'a dependency names a job: `build` or `{ job: build, window: 1h }`', hint: 'depends_on: [build]' });
      return;
    }
    if (seen.has(job)) {
      report(sub(i), { code: 'E_CONFIG_DUPLICATE', value: job, message: `\`${job}\` is listed twice in depends_on` });
      return;
    }
    seen.add(job);
    out.push({ job, windowMs });
  });
  return out;
}

function resolveWaves(input: SchedulingInput, problems: ProblemList): string[][] {
  const { regions, waves } = input;
  if (regions && waves) {
    problems.at(waves.origin, { code: 'E_CONFIG_CONFLICT', at: 'key', message: 'both `regions` and `waves` are set', allowed: '`regions: [a, b]` (one region per wave) or `waves: [[a], [b, c]]`', hint: 'keep one of them' });
    return [];
  }
  const src = waves ?? regions;
  if (!src || !Array.isArray(src.value)) return [];
  const report = reporter(problems, src.origin);
  const lists: unknown[][] = waves ? (src.value as unknown[]).map((w) => (Array.isArray(w) ? w : [])) : (src.value as unknown[]).map((r) => [r]);
  const seen = new Set<string>();
  const out: string[][] = [];
  lists.forEach((wave, w) => {
    if (wave.length === 0) {
      report([w], { code: 'E_CONFIG_INVALID_VALUE', value: wave, message: 'a wave needs at least one region', hint: 'waves: [[us-east1], [europe-west1, asia-east1]]' });
      return;
    }
    const names: string[] = [];
    wave.forEach((region, r) => {
      const at: FieldPath = waves ? [w, r] : [w];
      if (typeof region !== 'string' || !REGION.test(region)) {
        report(at, { code: 'E_CONFIG_INVALID_VALUE', value: region, message: 'not a region name', allowed: 'letters, digits, `_`, `.` and `-`, starting with a letter or digit', hint: 'e.g. `us-east1`' });
      } else if (seen.has(region)) {
        report(at, { code: 'E_CONFIG_DUPLICATE', value: region, message: `region \`${region}\` is listed twice: each region deploys once per run` });
      } else {
        seen.add(region);
        names.push(region);
      }
    });
    if (names.length) out.push(names);
  });
  return out;
}

/**
 * Cross-job checks on `depends_on`: every name is a job of this config, the graph has no cycle
 * (a job waiting for itself, directly or through others, would never run).
 * `originOf(job)` is where that job's `depends_on` was written.
 */
export function checkDependencyGraph(
  jobs: readonly JobConfig[],
  originOf: (job: string) => Origin | undefined,
  problems: ProblemList,
  /** Every job name in the config, also of jobs that failed to compile (they are not "unknown"). */
  names: readonly string[] = jobs.map((j) => j.name),
): void {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const entryPath = (job: JobConfig, dep: string): FieldPath => {
    const raw = job.extra?.depends_on;
    if (!Array.isArray(raw)) return [];
    const i = raw.findIndex((e) => e === dep || (isRecord(e) && e['job'] === dep));
    return i < 0 ? [] : isRecord(raw[i]) ? [i, 'job'] : [i];
  };
  const report = (job: JobConfig, dep: string, body: Parameters<ProblemList['at']>[1]): void => {
    const origin = originOf(job.name);
    if (origin) problems.at(origin, body, entryPath(job, dep));
    else problems.at({ kind: 'default' }, body, [job.name, 'depends_on']);
  };
  for (const job of jobs) {
    for (const d of job.dependsOn ?? []) {
      if (!names.includes(d.job)) {
        const guess = didYouMean(d.job, names);
        report(job, d.job, { code: 'E_CONFIG_UNKNOWN_JOB', value: d.job, message: `\`${job.name}\` depends on \`${d.job}\`, which is not a job in this config`, allowed: names.join(', '), ...(guess ? { hint: guess } : {}) });
      }
    }
  }
  for (const cycle of findCycles(jobs, byName)) {
    const first = byName.get(cycle[0]!)!;
    report(first, cycle[1]!, {
      code: 'E_CONFIG_DEPENDENCY_CYCLE',
      value: cycle.join(' → '),
      message: `depends_on forms a cycle: ${cycle.join(' → ')}; none of these jobs could ever start`,
      hint: 'remove one of the dependencies in the cycle',
    });
  }
}

/** Each cycle once, as a path that starts and ends at the same job (first in config order). */
function findCycles(jobs: readonly JobConfig[], byName: ReadonlyMap<string, JobConfig>): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const d of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(d.job)) continue;
      const s = state.get(d.job);
      if (s === 'visiting') cycles.push([...stack.slice(stack.indexOf(d.job)), d.job]);
      else if (s === undefined) visit(d.job);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const j of jobs) if (!state.has(j.name)) visit(j.name);
  return cycles;
}
