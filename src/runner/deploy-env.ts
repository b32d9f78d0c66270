/**
 * The variables every deploy process sees, so a deploy can tell which run it belongs to and
 * downstream systems can refuse a stale runner (its fence is lower than the newest one seen).
 */
import type { RunRequest } from './types.js';

export function deployEnv(req: RunRequest, attempt: number): Readonly<Record<string, string>> {
  const env: Record<string, string> = {
    ...req.env,
    SHIPCLOCK_RUN_ID: req.runId,
    SHIPCLOCK_JOB: req.job.name,
    SHIPCLOCK_NOMINAL_TIME: req.nominalTime.toISOString(),
    SHIPCLOCK_FENCE: String(req.fence),
    SHIPCLOCK_ATTEMPT: String(attempt),
  };
  if (req.region !== undefined) env['SHIPCLOCK_REGION'] = req.region;
  return Object.freeze(env);
}
