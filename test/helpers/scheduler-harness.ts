/**
 * Scheduler acceptance harness: the real Scheduler, the real calendar, the real runner and a
 * real SQLite ledger in a temp dir, driven by the FakeClock. The only stand-in is the deploy
 * itself: `SleepJob`, the scenario corpus's `sleep-job(d)`, an in-process provider that
 * "deploys" for d ms of fake time and appends a receipt (occurrence, fence, start, end), so
 * duplicates and overlaps can be checked from outside, as the corpus prescribes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileJob } from '../../src/app/compose.js';
import { loadConfig } from '../../src/config/index.js';
import type { Config, JobConfig } from '../../src/config/types.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from '../../src/providers/types.js';
import { runDeploy } from '../../src/runner/run-deploy.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Occurrence, OccurrenceState, Store } from '../../src/store/types.js';
import { FakeClock } from './fake-clock.js';

export interface Receipt {
  readonly job: string;
  readonly nominal: string;
  readonly runId: string;
  readonly fence: number;
  readonly start: number;
  end: number | null;
  outcome: 'succeeded' | 'failed' | 'stopped' | null;
}

/** sleep-job(d): runs for `durationMs` of fake time; `fail` makes every attempt fail with a class. */
export class SleepJob implements Provider {
  readonly kind = 'sleep-job';
  readonly receipts: Receipt[] = [];
  constructor(
    private readonly clock: FakeClock,
    public durationMs: number,
    public fail: null | { errorClass: 'transient' | 'invalid' | 'unhealthy'; message: string } = null,
  ) {}

  plan(): readonly string[] {
    return [`sleep ${this.durationMs}ms`];
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const receipt: Receipt = {
      job: ctx.job,
      nominal: ctx.nominalTime.toISOString(),
      runId: ctx.runId,
      fence: ctx.fence,
      start: this.clock.now(),
      end: null,
      outcome: null,
    };
    this.receipts.push(receipt);
    return { id: `sleep-${this.receipts.length}`, details: { index: this.receipts.length - 1 } };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const receipt = this.receipts[handle.details!.index as number]!;
    await this.clock.sleepUntil(receipt.start + this.durationMs, ctx.signal);
    receipt.end = this.clock.now();
    if (ctx.signal.aborted) {
      receipt.outcome = 'stopped';
      return { state: 'failed', errorClass: 'cancelled', message: 'stopped' };
    }
    if (this.fail) {
      receipt.outcome = 'failed';
      return { state: 'failed', errorClass: this.fail.errorClass, message: this.fail.message };
    }
    receipt.outcome = 'succeeded';
    return { state: 'succeeded' };
  }
}

export interface Harness extends AsyncDisposable {
  readonly clock: FakeClock;
  readonly store: SqliteStore;
  readonly config: Config;
  readonly job: (name?: string) => JobConfig;
  readonly provider: SleepJob;
  scheduler: Scheduler;
  readonly dir: string;
  /** A new Scheduler on the same store and clock (a restart). */
  restart(config?: Config): Scheduler;
  /**
   * Runs the scheduler until `downAt`, stops it, lets the clock jump to `upAt` with nothing
   * running (an outage), and starts a new scheduler on the same ledger.
   */
  outage(downAt: number, upAt: number): Promise<Scheduler>;
  ledger(job?: string): Promise<Occurrence[]>;
  states(job?: string): Promise<Record<string, OccurrenceState>>;
}

/** Loads `yaml` through the real config loader (provider settings are placeholders). */
export async function configFromYaml(yaml: string, dir: string): Promise<Config> {
  const file = join(dir, 'shipclock.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ file, cwd: dir, env: {}, flags: {} });
}

export async function createHarness(options: {
  yaml: string;
  start: number | Date;
  durationMs?: number;
  pollIntervalMs?: number;
  /** What the scheduler sees of the ledger: a fault-injecting proxy in the store-fault tests (h.store stays the real one). */
  wrapStore?: (store: Store) => Store;
}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-sched-'));
  const config = await configFromYaml(options.yaml, dir);
  const clock = new FakeClock(options.start);
  const store = new SqliteStore(join(dir, 'ledger.db'));
  await store.migrate();
  const provider = new SleepJob(clock, options.durationMs ?? 5_000);
  const seen = options.wrapStore?.(store) ?? store;
  const make = (cfg: Config): Scheduler =>
    new Scheduler({
      store: seen,
      clock,
      jobs: cfg.jobs,
      stateDir: dir,
      compile: compileJob,
      deploy: runDeploy,
      provider: () => provider,
      shutdownGraceMs: cfg.shutdownGraceMs,
      leaseMs: cfg.leaseMs,
      heartbeatMs: cfg.heartbeatMs,
      maxConcurrentRuns: cfg.maxConcurrentRuns,
      // Fire times wake the loop on their own; the poll only picks up other processes' actions.
      // A long poll keeps multi-day fake-time runs fast.
      pollIntervalMs: options.pollIntervalMs ?? 30_000,
    });
  const h: Harness = {
    clock,
    store,
    config,
    dir,
    provider,
    job: (name) => config.jobs.find((j) => name === undefined || j.name === name)!,
    scheduler: make(config),
    restart(cfg = config) {
      h.scheduler = make(cfg);
      return h.scheduler;
    },
    async outage(downAt, upAt) {
      await clock.advanceTo(downAt);
      await clock.runUntil(h.scheduler.stop());
      await clock.jumpTo(upAt);
      const s = h.restart();
      await s.start();
      return s;
    },
    async ledger(job) {
      return store.listOccurrences({ ...(job ? { job } : {}), order: 'asc', limit: 100_000 });
    },
    async states(job) {
      const out: Record<string, OccurrenceState> = {};
      for (const o of await h.ledger(job)) out[`${o.kind === 'scheduled' ? '' : `${o.kind}:`}${new Date(o.nominalMs).toISOString()}`] = o.state;
      return out;
    },
    async [Symbol.asyncDispose]() {
      await h.scheduler.stop({ force: true }).catch(() => undefined);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export const at = (iso: string): number => Date.parse(iso);

/** YAML for one job named `job` with the given extra keys (indented under it). */
export function oneJob(keys: string): string {
  const body = keys
    .trim()
    .split('\n')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return `deployments:\n  job:\n    provider: shell\n    command: ["true"]\n${body}\n`;
}
