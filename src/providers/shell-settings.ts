/**
 * Settings of the `shell` provider, as written beside `provider: shell` in a job block.
 * Validation only (see health-settings.ts for why); `resolveShellSettings` resolves once.
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { healthSettingsSchema, resolveHealth, type HealthCheck } from './health-settings.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Env values may be written as YAML numbers or booleans (`PORT: 8080`); they reach the process as text. */
export const envSetting = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }))
  .superRefine((env, ctx) => {
    for (const name of Object.keys(env)) {
      if (!ENV_NAME.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          input: name,
          message: `\`${name}\` is not an environment variable name: use letters, digits and _, not starting with a digit (e.g. "API_URL")`,
        });
      }
    }
  });

/** A command as an argument array; `example` shows the shape in messages. */
export function commandArraySetting(example: string) {
  return z
    .array(z.string(), { error: `expected an argument array such as ${example}` })
    .min(1, 'the command needs at least the program to run')
    .refine((a) => a[0] !== '', 'the program (first element) is empty');
}

export const commandArray = commandArraySetting('["./deploy.sh", "--prod"]');

export const shellSettingsSchema = z
  .strictObject({
    /** Argument array (`["./deploy.sh", "--prod"]`); a single string only with `shell: true`. */
    command: z.union([commandArray, z.string().min(1, 'the command is empty')], {
      error: 'expected an argument array such as ["./deploy.sh", "--prod"], or a string with `shell: true`',
    }),
    /** Run `command` (a string) through `/bin/sh -c`. Off by default. */
    shell: z.boolean().optional(),
    env: envSetting.optional(),
    /** Working folder; relative to the config file's folder. */
    cwd: z.string().min(1).optional(),
    health: healthSettingsSchema.optional(),
    /** Exit codes that mean "try again" (e.g. 75, EX_TEMPFAIL): classed `transient`, so retried. */
    retry_exit_codes: z.array(z.number().int().min(1).max(255)).optional(),
  })
  .superRefine((s, ctx) => {
    if (typeof s.command === 'string' && s.shell !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        input: s.command,
        message:
          'a command written as one string runs through a shell: write it as an argument array, ' +
          'e.g. ["./deploy.sh", "--prod"], or set `shell: true` to run it with /bin/sh -c',
      });
    }
  });

export type ShellSettings = z.infer<typeof shellSettingsSchema>;

export interface ResolvedShellSettings {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly health: HealthCheck | null;
  readonly retryExitCodes: ReadonlySet<number>;
}

export function resolveShellSettings(s: ShellSettings, baseDir: string): ResolvedShellSettings {
  const argv = typeof s.command === 'string' ? ['/bin/sh', '-c', s.command] : [...s.command];
  return Object.freeze({
    argv: Object.freeze(argv),
    env: Object.freeze(stringEnv(s.env)),
    cwd: s.cwd === undefined ? baseDir : isAbsolute(s.cwd) ? s.cwd : resolve(baseDir, s.cwd),
    health: resolveHealth(s.health),
    retryExitCodes: new Set(s.retry_exit_codes ?? []),
  });
}

export function stringEnv(env: Readonly<Record<string, string | number | boolean>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) out[k] = String(v);
  return out;
}
