import type { Config } from '../config/types.js';
import { Redactor, secretValuesFromSettings } from '../providers/redact.js';
import { findProvider } from '../providers/registry.js';

/**
 * A second net for everything the API sends: the runner redacts logs and messages as it writes
 * them, but a reason or message that reached the ledger some other way (a provider error, an
 * older version) must not leak either. Knows every job's secret settings, the API token, and the
 * common credential patterns.
 */
export function apiRedactor(config: Config, token: string | null): Redactor {
  const secrets: string[] = token ? [token] : [];
  for (const job of config.jobs) {
    const def = findProvider(job.provider.kind);
    secrets.push(...secretValuesFromSettings(job.provider.settings, def?.secretFields ?? []));
  }
  return new Redactor(secrets);
}

/** Every string in a JSON-shaped value, redacted (keys are ours and stay as they are). */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redactor)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redactor);
    return out as T;
  }
  return value;
}
