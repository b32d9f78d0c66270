/**
 * Stage 1 of a job: one block as the user wrote it (a job under `deployments:`, the single
 * `deployment:` block, or `defaults:`), each key checked on its own so that one bad value does
 * not hide the others. The result is a layer of typed values, each remembering where it was
 * written; layers are merged over the built-in defaults in `compile-job.ts`.
 */
import type { OverlapPolicy, CatchUpMode } from './types.js';
import { EXTRA_KEYS, JOB_KEYS, JOB_ONLY_KEYS, NESTED_KEYS, describeJobField, fieldSchema, type JobKey } from './job-fields.js';
import { didYouMean } from './did-you-mean.js';
import type { Origin, ProblemList } from './problem-list.js';
import { mapZodIssues, valueAt } from './zod-issues.js';
import type { FieldPath } from './yaml-source.js';

export interface Sourced<T> {
  readonly value: T;
  readonly origin: Origin;
}

/** Flattened, typed job values: nested blocks (dst, retry_backoff, notifications) merge per key. */
export interface JobValues {
  schedule: string | null;
  timezone: string;
  dstGap: 'shift' | 'skip';
  dstRepeat: 'once' | 'both';
  offsetMs: number;
  description: string;
  target: string;
  retryOnFailure: boolean;
  maxRetries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  timeoutMs: number | null;
  overlap: OverlapPolicy;
  queueCap: number;
  catchUp: CatchUpMode;
  catchUpWindowMs: number;
  maxCatchUp: number;
  jitterMs: number;
  /** `notifications: null` written explicitly: none for this job, whatever the defaults say. */
  notificationsOff: boolean;
  email: string[];
  onSuccess: boolean;
  onFailure: boolean;
  webhooks: Record<string, unknown>[];
  depends_on: unknown;
  windows: unknown;
  regions: unknown;
  waves: unknown;
  idempotent: unknown;
  on_failure: unknown;
  dependency_window: unknown;
}

export type JobLayer = { -readonly [K in keyof JobValues]?: Sourced<JobValues[K]> };

/** A provider setting as written: its value and the path of its key. */
export interface SettingEntry {
  readonly value: unknown;
  readonly path: FieldPath;
}

export interface BlockLayer {
  readonly values: JobLayer;
  /** `provider:` of this block, if written. */
  readonly providerKind?: Sourced<string>;
  /** Keys that may be provider settings (siblings, or inside `provider: {kind, ...}`). */
  readonly settings: ReadonlyMap<string, SettingEntry>;
  /** Where this block's provider settings are written (the block, or its `provider:` mapping). */
  readonly settingsBase?: FieldPath;
  /** `name:` of the single `deployment:` block. */
  readonly name?: Sourced<unknown>;
}

/** Where each flattened value sits in the YAML block. */
const FLAT: readonly (readonly [keyof JobValues, JobKey, ...string[]])[] = [
  ['schedule', 'schedule'],
  ['timezone', 'timezone'],
  ['dstGap', 'dst', 'gap'],
  ['dstRepeat', 'dst', 'repeat'],
  ['offsetMs', 'offset'],
  ['description', 'description'],
  ['target', 'target'],
  ['retryOnFailure', 'retry_on_failure'],
  ['maxRetries', 'max_retries'],
  ['backoffBaseMs', 'retry_backoff', 'base'],
  ['backoffCapMs', 'retry_backoff', 'cap'],
  ['timeoutMs', 'timeout'],
  ['overlap', 'overlap'],
  ['queueCap', 'queue_cap'],
  ['catchUp', 'catch_up'],
  ['catchUpWindowMs', 'catch_up_window'],
  ['maxCatchUp', 'max_catch_up'],
  ['jitterMs', 'jitter'],
  ['email', 'notifications', 'email'],
  ['onSuccess', 'notifications', 'on_success'],
  ['onFailure', 'notifications', 'on_failure'],
  ['webhooks', 'notifications', 'webhooks'],
  ...EXTRA_KEYS.map((k) => [k, k] as const),
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ReadBlockOptions {
  /** `defaults:` refuses job-only keys. */
  readonly kind: 'job' | 'single' | 'defaults';
}

export function readBlock(raw: unknown, path: FieldPath, problems: ProblemList, opts: ReadBlockOptions): BlockLayer {
  const values: JobLayer = {};
  const settings = new Map<string, SettingEntry>();
  if (raw === null || raw === undefined) raw = {};
  if (!isRecord(raw)) {
    problems.atPath(path, {
      code: 'E_CONFIG_INVALID_VALUE',
      value: raw,
      message: `\`${String(path[path.length - 1])}\` must be a mapping of job settings`,
      allowed: 'schedule, timezone, provider and the other job keys',
      hint: 'deployment:\n    schedule: "0 2 * * *"\n    provider: shell\n    command: ["./deploy.sh"]',
    });
    return { values, settings };
  }

  let providerKind: Sourced<string> | undefined;
  let name: Sourced<unknown> | undefined;
  let objectProvider = false;

  for (const [key, value] of Object.entries(raw)) {
    const keyPath = [...path, key];
    if (key === 'name' && opts.kind === 'single') {
      name = { value, origin: { kind: 'file', path: keyPath } };
      continue;
    }
    if (!(JOB_KEYS as string[]).includes(key)) {
      settings.set(key, { value, path: keyPath });
      continue;
    }
    const jobKey = key as JobKey;
    if (opts.kind === 'defaults' && JOB_ONLY_KEYS.includes(jobKey)) {
      problems.atPath(keyPath, {
        code: 'E_CONFIG_NOT_A_DEFAULT',
        at: 'key',
        message: `\`${key}\` belongs to one job and cannot be set in \`defaults:\``,
        hint: `move \`${key}\` into the job that needs it`,
      });
      continue;
    }
    const result = fieldSchema(jobKey).safeParse(value);
    if (!result.success) {
      for (const m of mapZodIssues(result.error.issues, {
        raw: value,
        name: key,
        describe: (p) => describeJobField([key, ...p]),
        knownKeys: (p) => (p.length === 0 ? NESTED_KEYS[key] : undefined),
      })) {
        problems.atPath([...keyPath, ...m.path], m.body);
      }
      continue;
    }
    if (jobKey === 'provider') {
      const p = result.data as string | Record<string, unknown>;
      if (typeof p === 'string') {
        providerKind = { value: p, origin: { kind: 'file', path: keyPath } };
      } else {
        objectProvider = true;
        providerKind = { value: String(p['kind']), origin: { kind: 'file', path: [...keyPath, 'kind'] } };
        for (const [k, v] of Object.entries(p)) if (k !== 'kind') settings.set(k, { value: v, path: [...keyPath, k] });
      }
      continue;
    }
    if (jobKey === 'notifications' && result.data === null) {
      values.notificationsOff = { value: true, origin: { kind: 'file', path: keyPath } };
      continue;
    }
    for (const [field, top, ...sub] of FLAT) {
      if (top !== jobKey) continue;
      const v = sub.length ? valueAt(result.data, sub) : result.data;
      if (v === undefined) continue;
      const origin: Origin = { kind: 'file', path: [...keyPath, ...sub] };
      let out: unknown = v;
      if (field === 'schedule' && typeof v === 'number') out = String(v);
      if (field === 'webhooks') out = (v as unknown[]).map((w) => (typeof w === 'string' ? { url: w } : w));
      (values as Record<string, Sourced<unknown>>)[field] = { value: out, origin };
    }
  }

  if (objectProvider) {
    // With `provider: { kind, ... }`, settings live inside it; siblings are unknown keys.
    for (const [key, entry] of [...settings]) {
      if (entry.path.length === path.length + 1) {
        settings.delete(key);
        const hint = didYouMean(key, JOB_KEYS);
        problems.atPath(entry.path, {
          code: 'E_CONFIG_UNKNOWN_KEY',
          at: 'key',
          message: `unknown key \`${key}\``,
          allowed: JOB_KEYS.join(', '),
          hint: hint ?? 'provider settings go inside `provider: { kind: …, … }` when it is written as a mapping',
        });
      }
    }
  }

  return {
    values,
    settings,
    settingsBase: objectProvider ? [...path, 'provider'] : path,
    ...(providerKind ? { providerKind } : {}),
    ...(name ? { name } : {}),
  };
}
