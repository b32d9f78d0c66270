import type { JobConfig } from '../config/types.js';
import type { Provider } from '../providers/types.js';
import type { RunRequest, RunResult } from '../runner/types.js';
import type { Occurrence, Store } from '../store/types.js';
import type { Clock } from './clock.js';
import type { SchedulerEmitter } from './events.js';
import { persist } from './persist.js';
import { secretValuesFromSettings } from '../providers/redact.js';
import { findProvider } from '../providers/registry.js';
import { describeWaves, isWavesResult, runWaves } from './waves.js';

export interface ExecuteDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: SchedulerEmitter;
  readonly stateDir: string;
  readonly owner: string;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  readonly deploy: (req: RunRequest) => Promise<RunResult>;
  readonly provider: (job: JobConfig) => Provider;
}

/**
 * Runs one claimed occurrence to its end: the runner makes the attempts, every step is written
 * to the ledger as it happens, the lease is heartbeated, and the final state is recorded with
 * the fence, so a runner that lost its lease cannot overwrite the run's new owner.
 */
export async function executeRun(deps: ExecuteDeps, job: JobConfig, occ: Occurrence, signal: AbortSignal): Promise<RunResult> {
  const { store, clock, events } = deps;
  const runId = occ.runId ?? occ.id;
  const fence = occ.fence;
  const lateMs = Math.max(0, clock.now() - occ.dueMs);
  events.emit('run:started', { occurrence: occ, runId, lateMs });

  // The runner stops when the caller aborts or when the lease is lost to another instance.
  const stop = new AbortController();
  const forward = (): void => stop.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  const heartbeat = heartbeatLoop(deps, occ.id, fence, stop);

  // A job with regions deploys wave by wave, one runner call per region (waves.ts).
  const waves = job.waves ?? [];
  const deploy = (req: RunRequest): Promise<RunResult> => (waves.length > 0 ? runWaves(deps.deploy, req, waves) : deps.deploy(req));
  let result: RunResult;
  try {
    result = await deploy({
      runId,
      job,
      nominalTime: new Date(occ.nominalMs),
      fence,
      stateDir: deps.stateDir,
      provider: deps.provider(job),
      // Secret provider settings (tokens, passwords, secret env values) are redacted from logs
      // and from every message the ledger keeps.
      secrets: secretValuesFromSettings(job.provider.settings, findProvider(job.provider.kind)?.secretFields ?? []),
      clock,
      firstAttempt: occ.attempts + 1,
      signal: stop.signal,
      hooks: {
        attemptStarted: (a) =>
          persist(deps, () => store.beginAttempt(occ.id, { number: a.number, fence, owner: deps.owner, startedMs: a.startedAt, logPath: a.logPath })),
        handleRecorded: (n, h) => persist(deps, () => store.recordHandle(occ.id, n, h)),
        attemptFinished: async (a) => {
          await persist(deps, () =>
            store.endAttempt(occ.id, a.number, { endedMs: a.endedAt, outcome: a.outcome, errorClass: a.errorClass, message: a.message }),
          );
          events.emit('run:attempt', { occurrence: occ, attempt: a });
        },
        retrying: (info) => events.emit('run:retrying', { occurrence: occ, ...info }),
        logLine: (attempt, line) => events.emit('run:log', { occurrence: occ, attempt, line }),
      },
    });
  } finally {
    signal.removeEventListener('abort', forward);
    heartbeat.stop();
  }

  const last = result.attempts.at(-1);
  await persist(deps, () =>
    store.settle(occ.id, {
      state: result.outcome,
      from: ['running'],
      fence,
      nowMs: clock.now(),
      errorClass: result.errorClass,
      message: result.message,
      reason: isWavesResult(result) ? describeWaves(result) : describeOutcome(result),
      detail: isWavesResult(result) ? { regions: result.regions } : last?.handle ? { handle: last.handle } : undefined,
    }),
  );
  const settled = (await persist(deps, () => store.getOccurrence(occ.id))) ?? occ;
  events.emit('run:finished', { occurrence: settled, result });
  return result;
}

function describeOutcome(r: RunResult): string {
  const n = r.attempts.length;
  const tries = `${n} attempt${n === 1 ? '' : 's'}`;
  switch (r.outcome) {
    case 'succeeded':
      return `deployed (${tries}; the provider confirmed this deploy)`;
    case 'timed_out':
      return `stopped by the run timeout after ${tries}`;
    case 'cancelled':
      return `cancelled after ${tries}`;
    case 'interrupted':
      return `interrupted by shutdown after ${tries}`;
    default:
      return `failed after ${tries}${r.errorClass ? ` (${r.errorClass})` : ''}`;
  }
}

/** Renews the lease until stopped; aborts the run if the fence was taken over. */
function heartbeatLoop(deps: ExecuteDeps, occurrenceId: string, fence: number, run: AbortController): { stop(): void } {
  const done = new AbortController();
  void (async () => {
    while (!done.signal.aborted) {
      await deps.clock.sleepUntil(deps.clock.now() + deps.heartbeatMs, done.signal);
      if (done.signal.aborted) return;
      try {
        const held = await deps.store.heartbeat(occurrenceId, fence, deps.clock.now() + deps.leaseMs);
        if (!held) {
          deps.events.emit('warning', { code: 'W_LEASE_LOST', message: `lease on ${occurrenceId} lost (fence ${fence}); stopping this runner` });
          run.abort('interrupted');
          return;
        }
      } catch (error) {
        deps.events.emit('store:error', { error });
      }
    }
  })();
  return { stop: () => done.abort() };
}
