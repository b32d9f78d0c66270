import type { Config, JobConfig } from '../config/types.js';
import type { DeployContext } from '../providers/types.js';

/** A deploy context for `--dry-run`: the values a real run would get, with placeholder ids. */
export function planContext(config: Config, job: JobConfig, nowMs: number): DeployContext {
  const runId = 'run-DRY-RUN';
  return {
    runId,
    job: job.name,
    nominalTime: new Date(nowMs),
    attempt: 1,
    fence: 0,
    env: { SHIPCLOCK_RUN_ID: runId, SHIPCLOCK_FENCE: '0', SHIPCLOCK_NOMINAL_TIME: new Date(nowMs).toISOString(), SHIPCLOCK_JOB: job.name },
    signal: new AbortController().signal,
    log: () => undefined,
    stateDir: config.stateDir,
  };
}
