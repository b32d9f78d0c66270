/**
 * A job's provider: its kind looked up in the registry, its settings validated with the
 * provider's own zod schema, and every issue pointed back at the line where the setting (or
 * the `provider:` line, for a missing one) was written.
 */
import { z } from 'zod';
import { findProvider, providerDefinitions } from '../providers/registry.js';
import type { ProviderConfig } from './types.js';
import { closest, didYouMean } from './did-you-mean.js';
import { JOB_KEYS } from './job-fields.js';
import type { SettingEntry, Sourced } from './job-layer.js';
import type { Origin, ProblemList } from './problem-list.js';
import { mapZodIssues } from './zod-issues.js';
import type { FieldPath } from './yaml-source.js';

export function knownProviderNames(): string[] {
  return providerDefinitions().flatMap((d) => [d.kind, ...(d.aliases ?? [])]);
}

/** Unwraps optional/default/nullable/pipe wrappers to reach the object or array inside. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else break;
  }
  return s;
}

/** The sub-schema at `path`, or undefined when it cannot be followed. */
export function schemaAt(schema: z.ZodType, path: FieldPath): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const seg of path) {
    if (!s) return undefined;
    const u = unwrap(s);
    if (u instanceof z.ZodObject && typeof seg === 'string') s = u.shape[seg] as z.ZodType | undefined;
    else if (u instanceof z.ZodArray && typeof seg === 'number') s = u.element as z.ZodType;
    else if (u instanceof z.ZodRecord) s = u.valueType as z.ZodType;
    else return undefined;
  }
  return s;
}

/** Keys of the object schema at `path`; undefined when it is not a plain object schema. */
export function objectKeys(schema: z.ZodType, path: FieldPath = []): string[] | undefined {
  const s = schemaAt(schema, path);
  const u = s ? unwrap(s) : undefined;
  return u instanceof z.ZodObject ? Object.keys(u.shape) : undefined;
}

export interface ProviderInput {
  readonly kind: Sourced<string> | undefined;
  readonly settings: ReadonlyMap<string, SettingEntry>;
  /** Settings given on the command line (`flags.settings`), over the file's. */
  readonly flagSettings: Readonly<Record<string, unknown>> | undefined;
  /** The job block, for problems with no better place. */
  readonly jobOrigin: Origin;
  /** Where the settings are written in the file (null for a job built from flags alone). */
  readonly settingsBase: FieldPath | null;
  /** What a missing setting points at: the `provider:` line, or the job's key. */
  readonly missingAnchor: { readonly path: FieldPath; readonly at: 'key' | 'value' } | null;
  readonly jobName: string;
}

export function resolveProvider(input: ProviderInput, problems: ProblemList): ProviderConfig | undefined {
  const { kind, settings } = input;
  if (!kind) {
    reportMisspelt(settings, problems, []);
    problems.at(input.jobOrigin, {
      code: 'E_CONFIG_NO_PROVIDER',
      message: `job \`${input.jobName}\` has no provider: shipclock does not know how to deploy it`,
      allowed: knownProviderNames().join(', ') || 'the provider kinds in src/providers/registry.ts',
      hint: 'add `provider: shell` and `command: ["./deploy.sh"]` beside `schedule:`, or pass --provider',
      at: 'key',
    });
    return undefined;
  }

  const def = findProvider(kind.value);
  if (!def) {
    reportMisspelt(settings, problems, []);
    const known = knownProviderNames();
    problems.at(kind.origin, {
      code: 'E_CONFIG_UNKNOWN_PROVIDER',
      value: kind.value,
      message: `unknown provider \`${kind.value}\``,
      allowed: known.join(', ') || 'none registered yet',
      ...withHint(didYouMean(kind.value, known)),
    });
    return undefined;
  }

  const schema = def.settingsSchema as z.ZodType;
  const providerKeys = objectKeys(schema);
  const merged = new Map<string, SettingEntry & { origin: Origin }>();
  for (const [k, e] of settings) merged.set(k, { ...e, origin: { kind: 'file', path: e.path } });
  for (const [k, v] of Object.entries(input.flagSettings ?? {})) merged.set(k, { value: v, path: [k], origin: { kind: 'flag', flag: `--provider ${kind.value}` } });

  const obj: Record<string, unknown> = {};
  for (const [key, entry] of merged) {
    if (providerKeys && !providerKeys.includes(key)) {
      problems.at(entry.origin, {
        code: 'E_CONFIG_UNKNOWN_KEY',
        at: 'key',
        message: `unknown key \`${key}\` (not a job key, nor a setting of provider \`${def.kind}\`)`,
        allowed: `job keys (${JOB_KEYS.join(', ')}) or \`${def.kind}\` settings (${providerKeys.join(', ')})`,
        ...withHint(didYouMean(key, [...JOB_KEYS, ...providerKeys])),
      });
      continue;
    }
    obj[key] = entry.value;
  }

  const result = schema.safeParse(obj);
  if (!result.success) {
    const mapped = mapZodIssues(result.error.issues, {
      raw: obj,
      describe: (p) => {
        const d = schemaAt(schema, p)?.description;
        return d ? { allowed: d } : undefined;
      },
      knownKeys: (p) => (p.length === 0 ? [...JOB_KEYS, ...(providerKeys ?? [])] : objectKeys(schema, p)),
      secretKeys: def.secretFields ?? [],
      schemaMessages: true,
    });
    for (const m of mapped) {
      const head = m.path[0];
      const entry = typeof head === 'string' ? merged.get(head) : undefined;
      if (entry) {
        problems.at(entry.origin, m.body, m.path.slice(1));
        continue;
      }
      // A missing setting: name the field it should be, point at the `provider:` line.
      const message = m.body.code === 'E_CONFIG_MISSING_KEY' && typeof head === 'string' ? `provider \`${def.kind}\` needs \`${head}\`` : m.body.message;
      if (input.settingsBase) {
        const anchor = input.missingAnchor;
        const pos = anchor ? problems.source?.locate(anchor.path, anchor.at) : undefined;
        problems.atPosition([...input.settingsBase, ...m.path], pos, { ...m.body, message });
      } else {
        problems.at(kind.origin, { ...m.body, message }, m.path);
      }
    }
    return undefined;
  }
  return { kind: def.kind, settings: result.data as Record<string, unknown> };
}

/** With no usable provider, keys close to a job key are still reported as misspellings. */
function reportMisspelt(settings: ReadonlyMap<string, SettingEntry>, problems: ProblemList, extra: readonly string[]): void {
  for (const [key, entry] of settings) {
    const guess = closest(key, [...JOB_KEYS, ...extra]);
    if (!guess) continue;
    problems.atPath(entry.path, {
      code: 'E_CONFIG_UNKNOWN_KEY',
      at: 'key',
      message: `unknown key \`${key}\``,
      allowed: JOB_KEYS.join(', '),
      hint: `did you mean \`${guess}\`?`,
    });
  }
}

function withHint(hint: string | undefined): { hint?: string } {
  return hint ? { hint } : {};
}
