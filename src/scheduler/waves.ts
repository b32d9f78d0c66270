/**
 * Cross-region waves (DESIGN.md §6): a job with `regions:` or `waves:` deploys wave after wave,
 * the regions of one wave in parallel, and halts after the first wave in which any region did
 * not succeed. Each region is one runner call (its own attempts, retries and log files) with
 * `region` set, so the provider sees `ctx.region` and the deploy `SHIPCLOCK_REGION`.
 *
 * Recording: every region's attempts are attempt rows of the one occurrence, numbered in the
 * order they start (a region's attempt messages start with `region NAME:`); the per-region
 * outcome goes into the occurrence's `detail.regions` (shown by `history --json` as `regions`).
 * The run succeeds only if every region succeeded. The job's `timeout` bounds the whole run:
 * each region gets what is left of it.
 */
import type { AttemptResult, RunHooks, RunOutcome, RunRequest, RunResult } from '../runner/types.js';

export type RegionState = RunOutcome | 'not_started';

export interface RegionOutcome {
  readonly region: string;
  /** 1-based wave number. */
  readonly wave: number;
  readonly outcome: RegionState;
  /** Attempt numbers (the occurrence's attempt rows) this region used. */
  readonly attempts: readonly number[];
  readonly error_class: string | null;
  readonly message: string | null;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  /** Per-region run id: `<run id>.<region>` (SHIPCLOCK_RUN_ID of that region's deploy). */
  readonly run_id: string;
}

export interface WavesResult extends RunResult {
  readonly regions: readonly RegionOutcome[];
}

type Deploy = (req: RunRequest) => Promise<RunResult>;

const iso = (ms: number): string => new Date(ms).toISOString();
/** Which outcome stands for the run when regions differ: a stop from outside wins. */
const SEVERITY: readonly RunOutcome[] = ['interrupted', 'cancelled', 'timed_out', 'failed'];

export async function runWaves(deploy: Deploy, base: RunRequest, waves: readonly (readonly string[])[]): Promise<WavesResult> {
  const { clock, job } = base;
  const startedAt = clock.now();
  const deadline = job.timeoutMs === null ? null : startedAt + job.timeoutMs;
  // Attempt rows are numbered per occurrence; a takeover continues after the rows it found.
  let counter = (base.firstAttempt ?? 1) - 1;
  const attempts: AttemptResult[] = [];
  const outcomes: RegionOutcome[] = [];
  let halted: RegionOutcome[] | null = null;

  for (const [w, regions] of waves.entries()) {
    if (halted === null && deadline !== null && clock.now() >= deadline) halted = [];
    if (halted !== null || base.signal?.aborted) {
      for (const region of regions) outcomes.push(notStarted(base.runId, region, w + 1));
      continue;
    }
    const results = await Promise.all(
      regions.map(async (region): Promise<RegionOutcome> => {
        const numbers = new Map<number, number>();
        const global = (n: number): number => numbers.get(n) ?? n;
        const hooks: RunHooks = regionHooks(base.hooks, region, (n) => {
          numbers.set(n, ++counter);
          return counter;
        }, global);
        const remaining = deadline === null ? null : Math.max(1, deadline - clock.now());
        const result = await deploy({ ...base, job: { ...job, timeoutMs: remaining }, runId: `${base.runId}.${region}`, region, firstAttempt: 1, hooks });
        for (const a of result.attempts) attempts.push({ ...a, number: global(a.number), message: prefixed(region, a.message) });
        return {
          region,
          wave: w + 1,
          outcome: result.outcome,
          attempts: result.attempts.map((a) => global(a.number)),
          error_class: result.errorClass,
          message: result.message,
          started_at: iso(result.startedAt),
          ended_at: iso(result.endedAt),
          run_id: `${base.runId}.${region}`,
        };
      }),
    );
    outcomes.push(...results);
    const bad = results.filter((r) => r.outcome !== 'succeeded');
    if (bad.length > 0) halted = bad;
  }

  const bad = outcomes.filter((r) => r.outcome !== 'succeeded' && r.outcome !== 'not_started');
  const outcome: RunOutcome =
    outcomes.every((r) => r.outcome === 'succeeded') ? 'succeeded' : (SEVERITY.find((s) => bad.some((r) => r.outcome === s)) ?? (base.signal?.aborted ? 'cancelled' : 'timed_out'));
  const first = bad[0];
  attempts.sort((a, b) => a.number - b.number);
  return Object.freeze({
    outcome,
    attempts: Object.freeze(attempts),
    errorClass: first?.error_class as RunResult['errorClass'] ?? (outcome === 'timed_out' ? 'timeout' : outcome === 'succeeded' ? null : 'cancelled'),
    message: outcome === 'succeeded' ? null : bad.length ? bad.map((r) => `region ${r.region}: ${r.message ?? r.outcome}`).join('; ') : 'the run timeout passed before the next wave',
    startedAt,
    endedAt: clock.now(),
    regions: Object.freeze(outcomes),
  });
}

/** The occurrence's reason for a run in waves, e.g. "deployed to 3 regions in 2 waves". */
export function describeWaves(r: WavesResult): string {
  const waves = new Set(r.regions.map((x) => x.wave)).size;
  if (r.outcome === 'succeeded') return `deployed to ${r.regions.length} region${r.regions.length === 1 ? '' : 's'} in ${waves} wave${waves === 1 ? '' : 's'} (${r.attempts.length} attempts; the provider confirmed each)`;
  const failed = r.regions.filter((x) => x.outcome !== 'succeeded' && x.outcome !== 'not_started');
  const skipped = r.regions.filter((x) => x.outcome === 'not_started').map((x) => x.region);
  const at = failed[0]?.wave;
  return (
    `${r.outcome} in wave ${at ?? '?'}: ${failed.map((x) => `${x.region} ${x.outcome}`).join(', ') || 'timeout before the wave'}` +
    (skipped.length ? `; halted, not deployed: ${skipped.join(', ')}` : '')
  );
}

export function isWavesResult(r: RunResult): r is WavesResult {
  return Array.isArray((r as Partial<WavesResult>).regions);
}

function notStarted(runId: string, region: string, wave: number): RegionOutcome {
  return { region, wave, outcome: 'not_started', attempts: [], error_class: null, message: null, started_at: null, ended_at: null, run_id: `${runId}.${region}` };
}

function prefixed(region: string, message: string | null): string | null {
  return message === null ? null : `region ${region}: ${message}`;
}

/** The ledger hooks of the run, with this region's attempt numbers mapped to the occurrence's. */
function regionHooks(hooks: RunHooks | undefined, region: string, allocate: (n: number) => number, global: (n: number) => number): RunHooks {
  return {
    attemptStarted: (a) => hooks?.attemptStarted?.({ ...a, number: allocate(a.number) }),
    handleRecorded: (n, h) => hooks?.handleRecorded?.(global(n), { ...h, details: { ...h.details, region } }),
    attemptFinished: (a) => hooks?.attemptFinished?.({ ...a, number: global(a.number), message: prefixed(region, a.message) }),
    retrying: (info) => hooks?.retrying?.(info),
    logLine: (n, line) => hooks?.logLine?.(global(n), `[${region}] ${line}`),
  };
}
