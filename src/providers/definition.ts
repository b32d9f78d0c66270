import type { z } from 'zod';
import type { Provider } from './types.js';

/**
 * How a provider plugs in: its kind, the zod schema of its settings (the config module
 * validates a job's provider block with it, so errors carry file:line:col like every other
 * field), aliases from the original command line (`gcp`, `aws`, `azure`), and a factory.
 */
export interface ProviderDefinition<S = unknown> {
  readonly kind: string;
  /** Other names accepted for `provider:` / `--provider` (e.g. `gcp` for `gcp-cloud-run`). */
  readonly aliases?: readonly string[];
  /** One line for `--help` and docs. */
  readonly summary: string;
  /** Validates the provider's settings (the keys beside `provider:` in a job block). */
  readonly settingsSchema: z.ZodType<S>;
  /** Names of settings whose values are secrets (redacted in plans, logs and the ledger). */
  readonly secretFields?: readonly string[];
  create(settings: S, options?: ProviderCreateOptions): Provider;
}

/** Where a provider is created from. */
export interface ProviderCreateOptions {
  /**
   * Folder that relative paths in the settings (`cwd`, `source`, `releases_dir`) resolve
   * against: the config file's folder. Default: the process's working directory.
   */
  readonly baseDir?: string;
}
