import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config, JobConfig } from '../config/types.js';
import { runDeploy } from '../runner/run-deploy.js';
import type { RunRequest, RunResult } from '../runner/types.js';
import type { Clock } from '../scheduler/clock.js';
import { SchedulerEmitter } from '../scheduler/events.js';
import { executeRun } from '../scheduler/execute-run.js';
import { requestRun } from '../scheduler/operations.js';
import { decideStart } from '../scheduler/start-due.js';
import { LIVE_STATES, type Occurrence, type Store } from '../store/types.js';
import { providerFor } from './compose.js';

export interface DeployNowOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: Config;
  readonly job: JobConfig;
  readonly by: string;
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** Receives the run's events (progress lines, attempts) as they happen. */
  readonly events?: SchedulerEmitter;
  readonly deploy?: (req: RunRequest) => Promise<RunResult>;
  /** How often to re-check while waiting for a busy target or another process's run. */
  readonly pollMs?: number;
}

/**
 * Deploys a job now, in this process, as a `manual` occurrence in the ledger: it obeys the
 * overlap policy and the target lock unless forced, and waits while the target is busy. If a
 * running scheduler happens to claim the occurrence first, this waits for that run's outcome:
 * either way the run happens exactly once and is recorded.
 */
export async function deployNow(opts: DeployNowOptions): Promise<Occurrence> {
  const occ = await requestRun(opts.store, opts.job, { nowMs: opts.clock.now(), by: opts.by, force: opts.force ?? false });
  opts.events?.emit('occurrence:recorded', { occurrence: occ });
  return runHere(opts, occ);
}

/**
 * Runs a pending occurrence in this process (waiting while the target is busy) and returns it
 * in its final state. Shared by `deploy` and `backfill --execute`.
 */
export async function runHere(opts: Omit<DeployNowOptions, 'by' | 'force'>, pendingOcc: Occurrence): Promise<Occurrence> {
  const { store, clock, job } = opts;
  const events = opts.events ?? new SchedulerEmitter();
  const pollMs = opts.pollMs ?? 1_000;
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let occ = pendingOcc;
  let warned = false;

  for (;;) {
    const current = await store.getOccurrence(occ.id);
    if (!current) throw new Error(`occurrence ${occ.id} vanished from the ledger`);
    if (!LIVE_STATES.includes(current.state)) return current;
    if (current.state === 'pending') {
      const decision = await decideStart({ store, clock, events, cancelRun: () => undefined }, job, current);
      if (decision.action === 'start') {
        const claim = await store.claim({
          occurrenceId: current.id,
          owner,
          runId: `run-${randomUUID()}`,
          nowMs: clock.now(),
          leaseMs: opts.config.leaseMs,
          targetLock: decision.targetLock,
          jobExclusive: decision.jobExclusive,
        });
        if (claim.ok) {
          occ = claim.occurrence;
          await executeRun(
            {
              store,
              clock,
              events,
              stateDir: opts.config.stateDir,
              owner,
              leaseMs: opts.config.leaseMs,
              heartbeatMs: opts.config.heartbeatMs,
              deploy: opts.deploy ?? runDeploy,
              provider: (j) => providerFor(j, opts.config),
            },
            job,
            occ,
            opts.signal ?? new AbortController().signal,
          );
          continue;
        }
        if (claim.reason !== 'state' && !warned) {
          warned = true;
          events.emit('warning', { code: 'W_TARGET_BUSY', message: waitingMessage(claim.blocker, job), job: job.name });
        }
      }
    }
    if (opts.signal?.aborted && current.state === 'pending') {
      await store.settle(current.id, { state: 'cancelled', reason: 'the requester stopped waiting before the run could start', nowMs: clock.now() });
      continue;
    }
    await clock.sleepUntil(clock.now() + pollMs, opts.signal);
  }
}

function waitingMessage(blocker: Occurrence | null, job: JobConfig): string {
  if (!blocker) return `waiting for target ${job.target}`;
  return `waiting: target ${blocker.target} is busy with ${blocker.job} (run ${blocker.runId ?? blocker.id})`;
}
