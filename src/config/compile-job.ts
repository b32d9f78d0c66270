/**
 * Stages 2 and 3 of a job: merge its layers (built-in defaults < top-level `timezone` <
 * `defaults:` < the job block < flags), then compile: parse the schedule with the calendar
 * (pointing its problems at the column inside the YAML scalar), validate the provider's
 * settings, and check values that depend on each other.
 */
import { parseSchedule } from '../calendar/index.js';
import { InputError } from '../errors/input-error.js';
import { validateWebhooks } from '../notify/webhook-config.js';
import type { JobConfig, JobExtra, NotificationsConfig } from './types.js';
import { JOB_DEFAULTS } from './defaults.js';
import type { FlagValues } from './flag-values.js';
import { EXTRA_KEYS } from './job-fields.js';
import type { BlockLayer, JobLayer, JobValues, SettingEntry, Sourced } from './job-layer.js';
import type { Origin, ProblemList } from './problem-list.js';
import { findProvider } from '../providers/registry.js';
import { resolveProvider } from './provider-settings.js';
import { resolveSchedulingKeys } from './scheduling-keys.js';
import { formatPath, parsePath, type Position } from './yaml-source.js';

export interface JobInput {
  readonly name: string;
  /** The job block's key (`deployments.web`, `deployment`), or a flag when built from flags. */
  readonly origin: Origin;
  readonly block: BlockLayer;
  readonly defaults: BlockLayer;
  readonly topTimezone: Sourced<string> | undefined;
  /** Flags, when they apply to this job. */
  readonly flags: FlagValues | undefined;
  readonly source: JobConfig['source'];
}

type Layers = readonly JobLayer[];

function pick<K extends keyof JobValues>(layers: Layers, key: K): Sourced<JobValues[K]> | undefined {
  for (const l of layers) if (l[key] !== undefined) return l[key] as Sourced<JobValues[K]>;
  return undefined;
}

function get<K extends keyof typeof JOB_DEFAULTS>(layers: Layers, key: K): JobValues[K] {
  const found = pick(layers, key);
  // Not `??`: null is a real value (`timeout: none`).
  return (found !== undefined ? found.value : JOB_DEFAULTS[key]) as JobValues[K];
}

/** `notes` collects notices only the merge can see (a value written but overridden). */
export function compileJob(input: JobInput, problems: ProblemList, notes: string[] = []): JobConfig | undefined {
  const before = problems.size;
  const f = input.flags;
  const flagLayer: JobLayer = {
    ...(f?.schedule ? { schedule: f.schedule } : {}),
    ...(f?.timezone ? { timezone: f.timezone } : {}),
    ...(f?.maxRetries ? { maxRetries: f.maxRetries } : {}),
    ...(f?.timeoutMs ? { timeoutMs: f.timeoutMs } : {}),
  };
  const topLayer: JobLayer = input.topTimezone ? { timezone: input.topTimezone } : {};
  // Highest precedence first.
  const layers: Layers = [flagLayer, input.block.values, input.defaults.values, topLayer];

  const timezone = get(layers, 'timezone');
  const dst = { gap: get(layers, 'dstGap'), repeat: get(layers, 'dstRepeat') };
  const offsetMs = get(layers, 'offsetMs');

  const schedule = pick(layers, 'schedule');
  if (schedule?.value) checkSchedule(schedule as Sourced<string>, { timezone, dst, offsetMs, hashKey: input.name }, problems);

  // A flag for --max-retries is explicit: it wins over `retry_on_failure: false` in the file.
  const retryOnFailure = get(layers, 'retryOnFailure');
  const maxRetries = f?.maxRetries ? f.maxRetries.value : retryOnFailure ? get(layers, 'maxRetries') : 0;
  const written = pick(layers, 'maxRetries');
  if (!f?.maxRetries && !retryOnFailure && written && written.value > 0) {
    notes.push(`job \`${input.name}\`: max_retries: ${written.value} has no effect because retry_on_failure is false`);
  }
  const baseMs = get(layers, 'backoffBaseMs');
  const capMs = get(layers, 'backoffCapMs');
  if (baseMs > capMs) {
    const at = pick(layers, 'backoffCapMs')?.origin ?? pick(layers, 'backoffBaseMs')?.origin ?? input.origin;
    problems.at(at, {
      code: 'E_CONFIG_INVALID_VALUE',
      value: { base: baseMs, cap: capMs },
      message: 'retry_backoff.cap is smaller than retry_backoff.base',
      allowed: 'cap >= base',
      hint: 'retry_backoff: { base: 30s, cap: 10m }',
    });
  }

  // Missing settings are named where they belong: beside (or inside) the job's own
  // `provider:` when it has one, else in the job block.
  const jobPath = input.origin.kind === 'file' ? input.origin.path : null;
  const own = !f?.provider && input.block.providerKind?.origin.kind === 'file' ? input.block.providerKind.origin : undefined;
  const kind = f?.provider ?? input.block.providerKind ?? input.defaults.providerKind;
  const provider = resolveProvider(
    {
      kind,
      settings: providerSettings(input, kind?.value),
      flagSettings: f?.settings,
      jobOrigin: input.origin,
      jobName: input.name,
      settingsBase: own ? (input.block.settingsBase ?? jobPath) : jobPath,
      missingAnchor: own ? { path: own.path, at: 'value' } : jobPath ? { path: jobPath, at: 'key' } : null,
    },
    problems,
  );

  const notifications = compileNotifications(layers, problems);
  const extra: Record<string, unknown> = {};
  for (const key of EXTRA_KEYS) {
    const v = pick(layers, key);
    if (v !== undefined) extra[key] = v.value;
  }
  // Deploy windows, dependencies, regions (scheduling-keys.ts); cross-job checks run in load-config.
  const scheduling = resolveSchedulingKeys(
    { windows: pick(layers, 'windows'), depends_on: pick(layers, 'depends_on'), on_failure: pick(layers, 'on_failure'), dependency_window: pick(layers, 'dependency_window'), regions: pick(layers, 'regions'), waves: pick(layers, 'waves') },
    timezone,
    problems,
  );

  const jitter = pick(layers, 'jitterMs');
  if (jitter && jitter.value > 0 && schedule?.value && problems.size === before) {
    // A jitter as long as the gap between fire times would push each start past the next time.
    const gap = shortestGap(schedule.value, { timezone, dst, offsetMs, hashKey: input.name });
    if (gap !== null && jitter.value >= gap) {
      problems.at(jitter.origin, {
        code: 'E_CONFIG_JITTER',
        value: `${jitter.value / 1000}s`,
        message: `jitter must be shorter than the time between fire times of ${JSON.stringify(schedule.value)} (${gap / 1000}s at the closest)`,
        allowed: `a duration below ${gap / 1000}s`,
      });
    }
  }

  if (problems.size > before || !provider) return undefined;
  return {
    name: input.name,
    schedule: schedule?.value ?? null,
    timezone,
    dst,
    offsetMs,
    description: pick(layers, 'description')?.value ?? null,
    provider,
    target: pick(layers, 'target')?.value ?? input.name,
    retry: { maxRetries, baseMs, capMs },
    timeoutMs: get(layers, 'timeoutMs'),
    overlap: get(layers, 'overlap'),
    queueCap: get(layers, 'queueCap'),
    catchUp: { mode: get(layers, 'catchUp'), windowMs: get(layers, 'catchUpWindowMs'), max: get(layers, 'maxCatchUp') },
    jitterMs: get(layers, 'jitterMs'),
    notifications,
    ...(input.source ? { source: input.source } : {}),
    extra: extra as JobExtra,
    ...scheduling,
  };
}

/**
 * The job's settings over those of `defaults:`, unless `defaults:` names a different provider
 * kind than the job ends up with (its settings would then mean nothing). Settings in a
 * `defaults:` without a kind apply to every job, and are refused where they do not fit.
 */
function providerSettings(input: JobInput, kind: string | undefined): ReadonlyMap<string, SettingEntry> {
  const defaultsKind = input.defaults.providerKind?.value;
  const canonical = (k: string): string => findProvider(k)?.kind ?? k;
  if (defaultsKind !== undefined && kind !== undefined && canonical(defaultsKind) !== canonical(kind)) return input.block.settings;
  return new Map([...input.defaults.settings, ...input.block.settings]);
}

function compileNotifications(layers: Layers, problems: ProblemList): NotificationsConfig | null {
  const off = pick(layers, 'notificationsOff');
  const fields = ['email', 'onSuccess', 'onFailure', 'webhooks'] as const;
  // `notifications: null` in the job beats anything in `defaults:` below it.
  const offIndex = off ? layers.findIndex((l) => l.notificationsOff !== undefined) : Infinity;
  const live = layers.filter((_, i) => i < offIndex);
  if (!fields.some((k) => pick(live, k) !== undefined)) return null;
  const webhooks = pick(live, 'webhooks');
  if (webhooks && webhooks.origin.kind === 'file') {
    const base = webhooks.origin.path;
    for (const p of validateWebhooks(webhooks.value, formatPath(base))) {
      const { path, ...body } = p;
      problems.atPath(path ? parsePath(path) : base, body);
    }
  }
  return {
    email: pick(live, 'email')?.value ?? [],
    onSuccess: pick(live, 'onSuccess')?.value ?? JOB_DEFAULTS.onSuccess,
    onFailure: pick(live, 'onFailure')?.value ?? JOB_DEFAULTS.onFailure,
    webhooks: webhooks?.value ?? [],
  };
}

interface ScheduleArgs {
  timezone: string;
  dst: { gap: 'shift' | 'skip'; repeat: 'once' | 'both' };
  offsetMs: number;
  hashKey: string;
}

/** The shortest time between consecutive fire times over the next 500 fires (from 2000-01-01). */
function shortestGap(expr: string, args: ScheduleArgs): number | null {
  const schedule = parseSchedule(expr, args);
  if (schedule.intervalMs !== undefined) return schedule.intervalMs;
  let gap: number | null = null;
  let t = schedule.nextMs(Date.UTC(2000, 0, 1));
  for (let i = 0; i < 500 && t !== null; i++) {
    const n = schedule.nextMs(t);
    if (n === null) break;
    gap = gap === null ? n - t : Math.min(gap, n - t);
    t = n;
  }
  return gap;
}

/** Parses the schedule now, so a bad one is refused with the config, at its column. */
function checkSchedule(schedule: Sourced<string>, args: ScheduleArgs, problems: ProblemList): void {
  try {
    parseSchedule(schedule.value, args);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    for (const p of e.problems) {
      const body = {
        code: p.code,
        message: `schedule ${JSON.stringify(schedule.value)}: ${p.message}`,
        value: p.value ?? schedule.value,
        ...(p.allowed ? { allowed: p.allowed } : {}),
        ...(p.hint ? { hint: p.hint } : {}),
      };
      if (schedule.origin.kind === 'file') {
        problems.atPosition(schedule.origin.path, columnInScalar(problems, schedule.origin.path, p.col), body);
      } else {
        const excerpt = p.col ? `  ${schedule.value}\n  ${' '.repeat(p.col - 1)}^` : undefined;
        const path = schedule.origin.kind === 'flag' ? schedule.origin.flag : 'schedule';
        problems.adopt([{ ...body, path, ...(excerpt ? { excerpt } : {}) }]);
      }
    }
  }
}

/** The file position of column `col` (1-based) of the expression written at `path`. */
function columnInScalar(problems: ProblemList, path: readonly (string | number)[], col: number | undefined): Position | undefined {
  const src = problems.source;
  if (!src) return undefined;
  const scalar = src.scalarAt(path);
  if (!scalar || !scalar.singleLine || col === undefined) return src.locate(path);
  return src.positionAt(scalar.offset + (scalar.quoted ? 1 : 0) + col - 1);
}
