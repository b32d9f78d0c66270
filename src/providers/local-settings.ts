/**
 * Settings of the `local` provider, as written beside `provider: local` in a job block.
 * Validation only; `resolveLocalSettings` resolves paths and durations once, in `create()`.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { healthSettingsSchema, resolveHealth, type HealthCheck } from './health-settings.js';
import { commandArraySetting, envSetting, stringEnv } from './shell-settings.js';

export const DEFAULT_KEEP = 5;

export const localSettingsSchema = z.strictObject({
  /** The app folder to deploy; relative to the config file's folder. */
  source: z.string({ error: 'expected the app folder to deploy, e.g. "./app"' }).min(1, 'the source folder is empty'),
  /** Run in the new release folder before it goes live, e.g. ["npm", "ci"]. */
  build: commandArraySetting('["npm", "ci"]').optional(),
  /** Where releases live; default `<state dir>/releases/<job>`. `current` is a symlink inside it. */
  releases_dir: z.string().min(1).optional(),
  /** Run in the new release folder after `current` points at it, e.g. ["./restart.sh"]. */
  restart: commandArraySetting('["./restart.sh"]').optional(),
  health: healthSettingsSchema.optional(),
  /** Releases kept (the live one always is). */
  keep: z.number().int().min(1, 'keep at least 1 release').max(1000).optional(),
  /** Extra environment for `build` and `restart`. */
  env: envSetting.optional(),
});

export type LocalSettings = z.infer<typeof localSettingsSchema>;

export interface ResolvedLocalSettings {
  readonly source: string;
  readonly build: readonly string[] | null;
  /** Absolute, or null for the default under the run's state dir. */
  readonly releasesDir: string | null;
  readonly restart: readonly string[] | null;
  readonly health: HealthCheck | null;
  readonly keep: number;
  readonly env: Readonly<Record<string, string>>;
}

export function resolveLocalSettings(s: LocalSettings, baseDir: string): ResolvedLocalSettings {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  return Object.freeze({
    source: abs(s.source),
    build: s.build ? Object.freeze([...s.build]) : null,
    releasesDir: s.releases_dir === undefined ? null : abs(s.releases_dir),
    restart: s.restart ? Object.freeze([...s.restart]) : null,
    health: resolveHealth(s.health),
    keep: s.keep ?? DEFAULT_KEEP,
    env: Object.freeze(stringEnv(s.env)),
  });
}

/** `<stateDir>/releases/<job>` unless the settings name a folder. */
export function releasesDirFor(s: ResolvedLocalSettings, stateDir: string, job: string): string {
  return s.releasesDir ?? join(resolve(stateDir), 'releases', job.replace(/[^A-Za-z0-9._-]/g, '_'));
}
