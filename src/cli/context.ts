import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import type { Config, ConfigFlags, JobConfig } from '../config/types.js';
import { UsageError } from '../errors/usage-error.js';
import { systemClock } from '../scheduler/system-clock.js';
import type { Clock } from '../scheduler/clock.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';
import type { CliIO } from './io.js';

/** The config-related flag values a command parsed (see CONFIG_OPTIONS). */
export interface ConfigFlagValues {
  readonly config?: string;
  readonly 'schedule-config'?: string;
  readonly state?: string;
  readonly store?: string;
}

export async function loadCliConfig(values: ConfigFlagValues, io: CliIO, overrides: Omit<ConfigFlags, 'state' | 'store'> = {}): Promise<Config> {
  if (values.config !== undefined && values['schedule-config'] !== undefined && values.config !== values['schedule-config']) {
    throw new UsageError('--config and --schedule-config name the same thing; give one of them');
  }
  const file = values.config ?? values['schedule-config'] ?? null;
  return loadConfig({
    file,
    cwd: io.cwd,
    env: io.env,
    flags: {
      ...overrides,
      ...(values.state !== undefined ? { state: values.state } : {}),
      ...(values.store !== undefined ? { store: values.store } : {}),
    },
  });
}

export function clockOf(io: CliIO): Clock {
  return io.clock ?? systemClock;
}

/** Opens the config's store for the duration of `fn`, closing it whatever happens. */
export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config.store);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * withStore for commands that only read (status, history, why). A SQLite ledger that does not
 * exist yet reads as an empty one, held in memory, with a note on stderr naming the path:
 * looking must not create the state directory or the file (a typo in --state would otherwise
 * leave a new empty ledger behind). A path that could never hold a ledger (a file where a folder
 * must be) is still refused, as by every other command.
 */
export async function withReadStore<T>(config: Config, io: CliIO, fn: (store: Store) => Promise<T>): Promise<T> {
  const { kind, location } = config.store;
  if (kind === 'sqlite' && location !== ':memory:' && !existsSync(location) && nearestIsFolder(dirname(resolve(location)))) {
    io.stderr.write(`shipclock: no ledger at ${location} yet (nothing has run with this state); showing an empty one\n`);
    return withStore({ ...config, store: { kind, location: ':memory:' } }, fn);
  }
  return withStore(config, fn);
}

/** Whether the nearest existing folder on the way up from `dir` is a folder (not a file). */
function nearestIsFolder(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d)) return statSync(d).isDirectory();
    if (dirname(d) === d) return false;
  }
}

/** The job a command names, or the only job; a UsageError listing the jobs otherwise. */
export function pickJob(config: Config, name: string | undefined, command: string): JobConfig {
  if (name === undefined) {
    if (config.jobs.length === 1) return config.jobs[0]!;
    throw new UsageError(`${command}: name a job; this config has ${config.jobs.length}: ${config.jobs.map((j) => j.name).join(', ')}`);
  }
  const job = config.jobs.find((j) => j.name === name);
  if (!job) {
    throw new UsageError(`${command}: no job named ${JSON.stringify(name)}; jobs in ${config.file ?? 'the config'}: ${config.jobs.map((j) => j.name).join(', ')}`);
  }
  return job;
}

/** Who is acting, for the ledger: `cli:<user>@<host>`. */
export function actor(io: CliIO): string {
  return `cli:${io.env.USER ?? io.env.LOGNAME ?? 'unknown'}`;
}
