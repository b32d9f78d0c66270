import { dirname } from 'node:path';
import { parseSchedule } from '../calendar/index.js';
import type { Schedule } from '../calendar/types.js';
import type { Config, JobConfig } from '../config/types.js';
import { ShipclockError } from '../errors/shipclock-error.js';
import { findProvider } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import { runDeploy } from '../runner/run-deploy.js';
import type { Clock } from '../scheduler/clock.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { Store } from '../store/types.js';
import type { StoreConfig } from '../config/types.js';
import { openStore } from '../store/open-store.js';
import { StoreError } from '../store/store-error.js';

/** Compiles a job's schedule with the job's own timezone, DST policy, offset and `H` seed. */
export function compileJob(job: JobConfig): Schedule {
  if (job.schedule === null) throw new ShipclockError('E_NO_SCHEDULE', `job ${job.name} has no schedule`, { exitCode: 2 });
  return parseSchedule(job.schedule, { timezone: job.timezone, dst: job.dst, offsetMs: job.offsetMs, hashKey: job.name });
}

/** Relative paths in provider settings (`source: ./app`) are relative to the config file. */
export function baseDirOf(config: Config): string {
  return config.file ? dirname(config.file) : process.cwd();
}

/** Builds the job's provider from the registry (settings were validated with the config). */
export function providerFor(job: JobConfig, config: Config): Provider {
  const def = findProvider(job.provider.kind);
  if (!def) throw new ShipclockError('E_PROVIDER_UNKNOWN', `unknown provider ${job.provider.kind} for job ${job.name}`, { exitCode: 2 });
  return def.create(job.provider.settings, { baseDir: baseDirOf(config) });
}

/** The production scheduler for a config: the real calendar, runner and providers. */
export function createScheduler(config: Config, deps: { store: Store; clock: Clock; owner?: string }): Scheduler {
  return new Scheduler({
    store: deps.store,
    clock: deps.clock,
    jobs: config.jobs,
    stateDir: config.stateDir,
    compile: compileJob,
    deploy: runDeploy,
    provider: (job) => providerFor(job, config),
    shutdownGraceMs: config.shutdownGraceMs,
    leaseMs: config.leaseMs,
    heartbeatMs: config.heartbeatMs,
    maxConcurrentRuns: config.maxConcurrentRuns,
    ...(deps.owner ? { owner: deps.owner } : {}),
  });
}

/**
 * Opens the store, waiting for a PostgreSQL that is down rather than giving up: an instance
 * started during a database outage (or with it, by the same init system) must come up on its
 * own once the database does. Backs off 1 s → 30 s, reports each failure; errors that waiting
 * cannot fix (a wrong password, a missing database, a bad URL) are thrown at once.
 */
export async function openStoreWithRetry(
  config: StoreConfig,
  deps: { clock: Clock; signal?: AbortSignal; onRetry?: (error: StoreError, delayMs: number) => void; giveUpAfterMs?: number },
): Promise<Store> {
  let delay = 1_000;
  const deadline = deps.giveUpAfterMs === undefined ? Infinity : deps.clock.now() + deps.giveUpAfterMs;
  for (;;) {
    try {
      return await openStore(config);
    } catch (error) {
      const retryable = error instanceof StoreError && error.transient && config.kind === 'postgres';
      if (!retryable || deps.signal?.aborted || deps.clock.now() + delay > deadline) throw error;
      deps.onRetry?.(error, delay);
      await deps.clock.sleepUntil(deps.clock.now() + delay, deps.signal);
      if (deps.signal?.aborted) throw error;
      delay = Math.min(delay * 2, 30_000);
    }
  }
}
