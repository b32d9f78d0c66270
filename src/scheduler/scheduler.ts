import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Schedule } from '../calendar/types.js';
import type { JobConfig } from '../config/types.js';
import type { Provider } from '../providers/types.js';
import type { RunRequest, RunResult } from '../runner/types.js';
import type { ClaimResult, JobRecord, NewOccurrence, Occurrence, Store } from '../store/types.js';
import type { Clock } from './clock.js';
import { fnv1a } from '../calendar/hash.js';
import { SchedulerEmitter } from './events.js';
import { executeRun } from './execute-run.js';
import { jitterFor } from './jitter.js';
import { persist } from './persist.js';
import { planOccurrences } from './plan-occurrences.js';
import { recoverOrphans, sweepOrphans } from './recover.js';
import { SchedulerLockedError } from './scheduler-locked-error.js';
import { decideStart } from './start-due.js';
import { timingHash } from './timing-hash.js';

export interface SchedulerOptions {
  readonly store: Store;
  readonly jobs: readonly JobConfig[];
  readonly clock: Clock;
  readonly stateDir: string;
  /** Compiles a job's schedule (the calendar's parseSchedule, bound to the job's options). */
  readonly compile: (job: JobConfig) => Schedule;
  readonly deploy: (req: RunRequest) => Promise<RunResult>;
  readonly provider: (job: JobConfig) => Provider;
  /** Instance id recorded on claims; default host:pid:random. */
  readonly owner?: string;
  /** Lease on a running occurrence (30 s) and its heartbeat (10 s). */
  readonly leaseMs?: number;
  readonly heartbeatMs?: number;
  /** How often the loop re-reads the store for operator actions (manual runs, pause). */
  readonly pollIntervalMs?: number;
  /** SIGTERM grace for running deploys (5 min). */
  readonly shutdownGraceMs?: number;
  /** Global cap on runs in flight in this process (null: none). Due work beyond it waits, in order. */
  readonly maxConcurrentRuns?: number | null;
  /**
   * Hold the store's single-scheduler lock (SQLite: one scheduler per state dir). With
   * PostgreSQL, instances share the work without it.
   */
  readonly exclusive?: boolean;
}

/** A backwards jump larger than this is a clock correction: the cursor follows the clock. */
const CORRECTION_MS = 3 * 3_600_000;
const SCHEDULER_LOCK = 'scheduler';
/**
 * The single-node lock's lease, whatever the runs' `lease`: a long run lease (rides out stalls
 * of a deploy's instance) must not also lock the state directory for that long after a crash.
 */
const SCHEDULER_LOCK_MS = 30_000;
/** Longest wait between passes while the store keeps failing (the poll interval if longer). */
const STORE_RETRY_CAP_MS = 15_000;
/**
 * Per advanceMany call (one transaction): at most this many jobs and occurrences. The rows stay
 * locked until it commits, and another instance waiting for them gives up after PostgreSQL's
 * lock_timeout (5 s): 1,000 jobs with 100 catch-up times each took ~7 s in one transaction.
 */
const ADVANCE_CHUNK_JOBS = 1_000;
const ADVANCE_CHUNK_ROWS = 5_000;

/** What planJob decided for one job, to be recorded with the others due in the same tick. */
interface JobPlan {
  readonly job: JobConfig;
  readonly schedule: Schedule;
  readonly rec: JobRecord;
  readonly newCursorMs: number;
  readonly occurrences: readonly NewOccurrence[];
}
/** Writes in flight at once against PostgreSQL (the pool holds 10 connections by default). */
const PG_PARALLEL = 8;

interface InFlight {
  readonly abort: AbortController;
  readonly done: Promise<unknown>;
}

/**
 * The loop: decides what is due (planOccurrences), records decisions in the ledger, applies
 * overlap and the target lock, and hands claimed occurrences to the runner. The only reader of
 * time is the injected clock; every wait is capped and re-checked.
 */
export class Scheduler implements AsyncDisposable {
  readonly events = new SchedulerEmitter();
  readonly owner: string;
  private readonly opts: Required<Omit<SchedulerOptions, 'owner'>>;
  private jobs = new Map<string, { job: JobConfig; schedule: Schedule | null; gapShadow: Schedule | null }>();
  private readonly inFlight = new Map<string, InFlight>();
  private sleeper: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private last: { now: number; mono: number | null } | null = null;
  /** Earliest wake-up asked for by an occurrence held by a deploy window or a dependency. */
  private gateWakeMs: number | null = null;
  /**
   * Per job, the first moment planJob can have anything to record: its next fire after the
   * cursor it last saw (plus jitter), or the end of a `pause --until`. A tick plans only jobs
   * whose moment has come, and nextWakeMs reads this map instead of every job's store row: with
   * 10,000 jobs, reading them all on each loop cost seconds (bench/README.md). A job missing
   * here is planned on the next tick; reloads, syncJobs and clock jumps clear the map. Operator
   * changes made elsewhere (pause, a cursor moved by another instance) are read from the store
   * when the job is planned, which is when they matter.
   */
  private readonly planAt = new Map<string, number>();
  /**
   * The smallest value in planAt, so a tick with nothing due skips the scan over all jobs
   * (after each run ends, poke() adds a tick). -Infinity: unknown, scan on the next tick.
   */
  private earliestPlanAt = -Infinity;
  private plansCleared = false;
  private lockRenewAtMs = -Infinity;

  constructor(options: SchedulerOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.opts = {
      leaseMs: 30_000,
      heartbeatMs: 10_000,
      pollIntervalMs: 1_000,
      shutdownGraceMs: 5 * 60_000,
      maxConcurrentRuns: null,
      exclusive: options.store.backend === 'sqlite',
      ...options,
    };
    this.setJobs(options.jobs);
  }

  /** Replace the job set (live reload). Timing changes move the cursor to now in syncJobs. */
  setJobs(jobs: readonly JobConfig[]): void {
    // Build the new set aside and swap it in: a tick in progress keeps the set it started with.
    const next = new Map<string, { job: JobConfig; schedule: Schedule | null; gapShadow: Schedule | null }>();
    for (const job of jobs) {
      const schedule = job.schedule === null ? null : this.opts.compile(job);
      const gapShadow =
        schedule?.kind === 'cron' && schedule.wallClock && job.dst.gap === 'skip' ? this.opts.compile({ ...job, dst: { ...job.dst, gap: 'shift' } }) : null;
      next.set(job.name, { job, schedule, gapShadow });
    }
    this.jobs = next;
    this.replanAll();
  }

  get runningCount(): number {
    return this.inFlight.size;
  }

  /**
   * Take the lock (single node), register jobs, recover orphaned runs, start the loop.
   * With `loop: false` nothing runs until the caller calls tick() (`run --once`, tests).
   */
  async start(options: { loop?: boolean } = {}): Promise<void> {
    const { store, clock } = this.opts;
    if (this.opts.exclusive) await this.takeLock();
    await this.syncJobs();
    await recoverOrphans({ store, clock, events: this.events, jobs: this.jobs, exclusive: this.opts.exclusive });
    this.events.emit('scheduler:started', { owner: this.owner, jobs: this.jobs.size });
    if (options.loop !== false) this.loop = this.runLoop();
  }

  async syncJobs(): Promise<void> {
    const now = this.opts.clock.now();
    this.replanAll(); // a timing change moves the cursor
    // All at once: with SQLite one transaction for every job (group commit), not one each.
    const { store } = this.opts;
    await this.allAtOnce([...this.jobs.values()], ({ job }) => store.syncJob(job.name, timingHash(job), now));
    // Jobs that left the config leave the store too (their history stays): no orphans pile up.
    const gone = (await store.listJobs()).filter((rec) => !this.jobs.has(rec.name));
    await this.allAtOnce(gone, (rec) => store.deleteJob(rec.name));
  }

  /** One pass: plan every job, then start what is due. Public so `run --once` and tests can step. */
  async tick(): Promise<void> {
    const now = this.opts.clock.now();
    this.detectJump(now);
    if (now >= this.earliestPlanAt) {
      this.plansCleared = false;
      const entries = [...this.jobs.values()];
      // Every job whose moment has come is planned at once (the plans are independent), and
      // their times are recorded in one advanceMany call: one transaction, where one per job
      // cost 500 commits (and, with PostgreSQL, 2,000 round trips) for 500 jobs due together.
      const due = this.spread(
        entries.filter(({ job, schedule }) => schedule !== null && (this.planAt.get(job.name) ?? now) <= now),
        (e) => e.job.name,
      );
      const records = new Map((await this.opts.store.getJobs(due.map((e) => e.job.name))).map((r) => [r.name, r]));
      const plans: JobPlan[] = [];
      await this.allAtOnce(due, async ({ job, schedule, gapShadow }) => {
        const plan = await this.planJob(job, schedule!, gapShadow, now, records.get(job.name) ?? null);
        if (plan) plans.push(plan);
      });
      // Every decided job's times in one call (one transaction per chunk), not one per job.
      for (const chunk of chunksOf(plans)) await this.recordPlans(chunk, now);
      let earliest = Infinity;
      for (const { job, schedule } of entries) if (schedule) earliest = Math.min(earliest, this.planAt.get(job.name) ?? -Infinity);
      // A reload or a clock jump during the scan: the minimum is unknown again.
      this.earliestPlanAt = this.plansCleared ? -Infinity : earliest;
    }
    if (!this.stopping) {
      // Runs whose lease expired lost their instance (kill -9, partition): settle or take over.
      const orphans = (await this.opts.store.expiredRunning(now)).filter((o) => !this.inFlight.has(o.id));
      if (orphans.length > 0) await sweepOrphans({ store: this.opts.store, clock: this.opts.clock, events: this.events, jobs: this.jobs }, orphans);
      await this.startDue(now);
    }
    this.events.emit('tick', { nowMs: now, lateMs: 0 });
  }

  /** Earliest moment anything may become due (a schedule fire or a pending occurrence). */
  async nextWakeMs(now: number): Promise<number> {
    let wake = now + this.opts.pollIntervalMs;
    wake = Math.min(wake, Math.max(now, this.earliestPlanAt));
    const pending = await this.opts.store.nextPendingDue();
    if (pending !== null && pending > now) wake = Math.min(wake, pending);
    // A deploy window opening, or a dependency wait running out (gates.ts).
    if (this.gateWakeMs !== null && this.gateWakeMs > now) wake = Math.min(wake, this.gateWakeMs);
    return wake;
  }

  /** Wake the loop now (an in-process trigger or reload). */
  poke(): void {
    this.sleeper?.abort();
  }

  /**
   * Graceful stop: no new starts; running deploys get `graceMs` to finish, then are recorded
   * `interrupted`. `force` skips the grace.
   */
  async stop(options: { graceMs?: number; force?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.sleeper?.abort();
    await this.loop;
    const { clock } = this.opts;
    const grace = options.force ? 0 : (options.graceMs ?? this.opts.shutdownGraceMs);
    if (this.inFlight.size > 0 && grace > 0) {
      const timer = new AbortController();
      const all = Promise.allSettled([...this.inFlight.values()].map((r) => r.done));
      await Promise.race([all.then(() => timer.abort()), clock.sleepUntil(clock.now() + grace, timer.signal)]);
      timer.abort();
    }
    for (const run of this.inFlight.values()) run.abort.abort('interrupted');
    await Promise.allSettled([...this.inFlight.values()].map((r) => r.done));
    if (this.opts.exclusive) await this.opts.store.releaseLock(SCHEDULER_LOCK, this.owner).catch(() => undefined);
    this.events.emit('scheduler:stopped', { owner: this.owner });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.stopping) await this.stop({ force: true });
  }

  /** Resolves when no run is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()].map((r) => r.done));
  }

  private async runLoop(): Promise<void> {
    const { clock } = this.opts;
    let failures = 0;
    while (!this.stopping) {
      let wake: number;
      try {
        await this.tick();
        if (this.opts.exclusive && this.lockDue(clock.now())) await this.takeLock();
        wake = await this.nextWakeMs(clock.now());
        failures = 0;
      } catch (error) {
        if (error instanceof SchedulerLockedError) {
          // Someone else took the state dir while this process stalled: stop starting runs.
          this.events.emit('warning', { code: error.code, message: error.message });
          this.stopping = true;
          return;
        }
        // The loop never dies silently: report, back off, and go on. While the store stays
        // down (a PostgreSQL restart, a failover) the wait doubles from the poll interval up to
        // 15 s: a dead database is not asked, nor the log written, every second, and a database
        // that comes back is used again within 15 s. An in-process trigger still wakes it.
        failures++;
        const retryInMs = this.retryDelayMs(failures);
        this.events.emit('store:error', { error, retryInMs, failures });
        wake = clock.now() + retryInMs;
      }
      if (this.stopping) return;
      this.sleeper = new AbortController();
      await clock.sleepUntil(wake, this.sleeper.signal);
      this.sleeper = null;
    }
  }

  /** The wait after the n-th pass in a row that failed: poll, 2x, 4x, … up to STORE_RETRY_CAP_MS. */
  private retryDelayMs(failures: number): number {
    const poll = this.opts.pollIntervalMs;
    return Math.min(poll * 2 ** Math.min(failures - 1, 20), Math.max(poll, STORE_RETRY_CAP_MS));
  }

  private async takeLock(): Promise<void> {
    const { store, clock } = this.opts;
    const now = clock.now();
    const ok = await store.acquireLock(SCHEDULER_LOCK, this.owner, now + SCHEDULER_LOCK_MS, now, { pid: process.pid, host: hostname() });
    if (!ok) {
      const holder = await store.lockHolder(SCHEDULER_LOCK);
      throw new SchedulerLockedError(holder?.owner ?? 'another process', holder?.untilMs ?? now);
    }
    this.lockRenewAtMs = now + SCHEDULER_LOCK_MS / 3;
  }

  /**
   * The lock is renewed a third of the way into its lease, not on every loop: an idle loop
   * then writes nothing for seconds at a time. A stall past the lease, or a clock jump either
   * way, makes it due at once, so losing the lock is noticed on the next loop as before.
   */
  private lockDue(now: number): boolean {
    return now >= this.lockRenewAtMs || now < this.lockRenewAtMs - SCHEDULER_LOCK_MS;
  }

  /**
   * A wall clock that moved more than 5 s against elapsed (monotonic) time jumped: an NTP step,
   * a manual change, a suspend. Without a monotonic source only backward moves are visible.
   */
  private detectJump(now: number): void {
    const mono = this.opts.clock.monotonic?.() ?? null;
    const last = this.last;
    this.last = { now, mono };
    if (last === null) return;
    const expected = mono !== null && last.mono !== null ? last.now + (mono - last.mono) : Math.max(now, last.now);
    const delta = now - expected;
    if (Math.abs(delta) <= 5_000) return;
    this.replanAll(); // re-plan every job against the new time (cursor corrections)
    this.events.emit('clock:jump', { fromMs: expected, toMs: now, deltaMs: delta, correction: -delta > CORRECTION_MS });
    void this.opts.store
      .appendEvent({ atMs: now, type: 'clock_jump', data: { fromMs: expected, toMs: now, deltaMs: delta } })
      .catch((error: unknown) => this.events.emit('store:error', { error }));
  }

  /**
   * Decides what happens to the job's times that came due (planOccurrences), or handles what
   * must come first (a registration, the end of `pause --until`, a clock correction). Returns
   * the plan to record, or null when there is nothing to record. `read`: the job's record as
   * the tick read it (with the others due), null if it had none.
   */
  private async planJob(job: JobConfig, schedule: Schedule, gapShadow: Schedule | null, now: number, read: JobRecord | null): Promise<JobPlan | null> {
    const { store } = this.opts;
    // A reload may have removed the job while this pass was under way: leave it gone.
    if (this.jobs.get(job.name)?.job !== job) return null;
    let rec = read ?? (await store.syncJob(job.name, timingHash(job), now));
    if (rec.paused && rec.pausedUntilMs !== null && now >= rec.pausedUntilMs) {
      rec = await store.setPaused(job.name, { paused: false, nowMs: now });
      await store.appendEvent({ atMs: now, job: job.name, type: 'resumed', data: { by: 'pause --until' } });
    }
    if (rec.cursorMs > now + CORRECTION_MS) {
      // The clock was far ahead (e.g. booted in 2098) and has been corrected: follow it.
      await store.setCursor(job.name, now, now);
      await store.appendEvent({ atMs: now, job: job.name, type: 'clock_correction', data: { cursorMs: rec.cursorMs, nowMs: now } });
      this.events.emit('clock:jump', { fromMs: rec.cursorMs, toMs: now, deltaMs: now - rec.cursorMs, correction: true });
      this.notePlanAt(job, schedule, now, rec);
      return null;
    }
    const pausedReason = rec.paused
      ? `paused${rec.pausedBy ? ` by ${rec.pausedBy}` : ''}${rec.pausedNote ? `: ${rec.pausedNote}` : ''}`
      : null;
    const plan = planOccurrences({ job, schedule, gapShadow, cursorMs: rec.cursorMs, nowMs: now, pausedReason });
    if (plan.newCursorMs === rec.cursorMs && plan.occurrences.length === 0) {
      this.notePlanAt(job, schedule, rec.cursorMs, rec);
      return null;
    }
    return { job, schedule, rec, newCursorMs: plan.newCursorMs, occurrences: plan.occurrences };
  }

  /** Records the plans' times and moves their cursors (store.advanceMany), then notes each job's next moment. */
  private async recordPlans(plans: readonly JobPlan[], now: number): Promise<void> {
    const results = await this.opts.store.advanceMany(
      plans.map((p) => ({ job: p.job.name, expectCursorMs: p.rec.cursorMs, newCursorMs: p.newCursorMs, occurrences: p.occurrences })),
      now,
    );
    plans.forEach((p, i) => {
      const r = results[i];
      // Not applied: another instance moved the cursor first; re-read it on the next tick. So
      // too when a reload replaced the job while this was recorded: plan it by its new config.
      if (r?.applied && this.jobs.get(p.job.name)?.job === p.job) this.notePlanAt(p.job, p.schedule, p.newCursorMs, p.rec);
      else this.planAt.delete(p.job.name);
      for (const occurrence of r?.inserted ?? []) this.events.emit('occurrence:recorded', { occurrence });
    });
  }

  /**
   * Independent store writes (registering or planning many jobs), issued together: with
   * SQLite they share one transaction (group commit); with PostgreSQL at most a pool's worth
   * run at once, so none waits past the pool's connect timeout behind thousands of others.
   */
  private allAtOnce<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
    return settleAll(items, fn, this.opts.store.backend === 'sqlite' ? Infinity : PG_PARALLEL);
  }

  /**
   * Instances sharing a PostgreSQL ledger see the same due work; taken in the same order they
   * would queue on the same rows, one after another. Each takes ties in its own order instead
   * (a hash of its owner id and the item), so they mostly work on different rows at once.
   * Callers sort by what must come first (rank, due time) after this; a single node keeps order.
   */
  private spread<T>(items: T[], key: (item: T) => string): T[] {
    if (this.opts.exclusive) return items;
    return items
      .map((item) => ({ item, h: fnv1a(`${this.owner}\u0000${key(item)}`) }))
      .sort((a, b) => a.h - b.h)
      .map((x) => x.item);
  }

  /** Forget every planAt: the next tick plans every job. */
  private replanAll(): void {
    this.planAt.clear();
    this.earliestPlanAt = -Infinity;
    this.plansCleared = true;
  }

  /** Records when planJob next has work for `job` (see planAt). */
  private notePlanAt(job: JobConfig, schedule: Schedule, cursorMs: number, rec: { paused: boolean; pausedUntilMs: number | null }): void {
    const t = schedule.nextMs(cursorMs);
    let at = t === null ? Infinity : t + jitterFor(job.name, t, job.jitterMs);
    if (rec.paused && rec.pausedUntilMs !== null) at = Math.min(at, rec.pausedUntilMs);
    this.planAt.set(job.name, at);
  }

  private async startDue(now: number): Promise<void> {
    const { store } = this.opts;
    // A person's explicit request goes first among what is due (pentaho#5391): the schedule's
    // own time then meets the overlap policy, not the other way round.
    this.gateWakeMs = null;
    // On-time scheduled work goes before catch-up and backfill, so a long catch-up yields to the
    // schedule (temporal#4332).
    const rank = (o: Occurrence): number => (o.kind === 'manual' ? 0 : o.kind === 'scheduled' && o.trigger === 'on_time' ? 1 : 2);
    const due = this.spread(await store.duePending(now), (o) => o.id).sort((a, b) => rank(a) - rank(b) || a.dueMs - b.dueMs || a.nominalMs - b.nominalMs);
    // Once a queued (catch-up, backfill) occurrence of a job has to wait, the later queued ones
    // of that job wait too: no need to ask the store again for each of them.
    const waiting = new Set<string>();
    // The live rows of every job, read once: a job's first decision in this pass uses them.
    // Once any occurrence of a job has been handled (claimed, settled, held), its entry is
    // dropped and later decisions for the job read the store again.
    const snapshot = new Map<string, Occurrence[]>();
    if (due.length > 1) {
      const jobs = [...new Set(due.map((d) => d.job))];
      for (const job of jobs) snapshot.set(job, []);
      for (const o of await store.liveOf(jobs)) snapshot.get(o.job)?.push(o);
    }
    const live = async (job: string): Promise<Occurrence[]> => snapshot.get(job) ?? (await store.live(job));
    // Claims are issued as they are decided and awaited together (group commit; see planJob),
    // then their runs launched together. A second due occurrence of a job already in the batch
    // is decided only after that claim has landed, so it sees the job's run.
    const claims: { job: JobConfig; claim: Promise<ClaimResult> }[] = [];
    const flush = async (): Promise<void> => {
      const batch = claims.splice(0);
      const results = await Promise.allSettled(batch.map((c) => c.claim));
      results.forEach((r, i) => {
        if (r.status === 'fulfilled' && r.value.ok) this.launch(batch[i]!.job, r.value.occurrence);
      });
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    };
    try {
      for (const occ of due) {
        if (this.stopping) break;
        await this.decideOne(occ, now, { waiting, live, claims, flush });
        snapshot.delete(occ.job);
      }
    } finally {
      // Whatever happened above, every claim that landed gets its run: a claimed occurrence
      // left unlaunched would sit `running` until its lease ran out and be recorded interrupted.
      await flush();
    }
  }

  private async decideOne(
    occ: Occurrence,
    now: number,
    pass: {
      waiting: Set<string>;
      live: (job: string) => Promise<Occurrence[]>;
      claims: { job: JobConfig; claim: Promise<ClaimResult> }[];
      flush: () => Promise<void>;
    },
  ): Promise<void> {
    const { store } = this.opts;
    const { waiting, live, claims, flush } = pass;
    // The global cap: what is due waits (pending, in order) until a run ends and pokes the loop.
    const cap = this.opts.maxConcurrentRuns;
    if (cap !== null && this.inFlight.size + claims.length >= cap) return;
    const queued = occ.trigger === 'catch_up' || occ.kind === 'backfill';
    if (queued && waiting.has(occ.job)) return;
    if (claims.some((c) => c.job.name === occ.job)) await flush();
    // PostgreSQL: a pool's worth at a time (see allAtOnce); their runs start as they land.
    if (store.backend !== 'sqlite' && claims.length >= PG_PARALLEL) await flush();
    const entry = this.jobs.get(occ.job);
    if (!entry) {
      await store.settle(occ.id, { state: 'cancelled', reason: `job ${occ.job} is no longer in the config`, nowMs: now });
      return;
    }
    const decision = await decideStart(
      {
        store,
        clock: this.opts.clock,
        events: this.events,
        cancelRun: (id) => this.inFlight.get(id)?.abort.abort('cancelled'),
        isScheduled: (name) => (this.jobs.get(name)?.schedule ?? null) !== null,
        live,
      },
      entry.job,
      occ,
    );
    if (decision.action === 'wait' && decision.untilMs !== undefined) this.gateWakeMs = Math.min(this.gateWakeMs ?? Infinity, decision.untilMs);
    if (decision.action === 'wait' && queued) waiting.add(occ.job);
    if (decision.action !== 'start') return;
    const claim = store.claim({
      occurrenceId: occ.id,
      owner: this.owner,
      runId: `run-${randomUUID()}`,
      nowMs: now,
      leaseMs: this.opts.leaseMs,
      targetLock: decision.targetLock,
      jobExclusive: decision.jobExclusive,
    });
    claim.catch(() => undefined); // awaited in flush(); never an unhandled rejection meanwhile
    claims.push({ job: entry.job, claim });
  }

  private launch(job: JobConfig, occ: Occurrence): void {
    const abort = new AbortController();
    const deps = {
      store: this.opts.store,
      clock: this.opts.clock,
      events: this.events,
      stateDir: this.opts.stateDir,
      owner: this.owner,
      leaseMs: this.opts.leaseMs,
      heartbeatMs: this.opts.heartbeatMs,
      deploy: this.opts.deploy,
      provider: this.opts.provider,
    };
    const done = executeRun(deps, job, occ, abort.signal)
      .catch(async (error: unknown) => {
        // A bug or a provider that threw past the runner: record it, never leave the row running.
        const message = error instanceof Error ? error.message : String(error);
        await persist(deps, () =>
          this.opts.store.settle(occ.id, { state: 'failed', from: ['running'], fence: occ.fence, nowMs: this.opts.clock.now(), errorClass: 'unknown', message }),
        );
      })
      .finally(() => {
        this.inFlight.delete(occ.id);
        this.poke(); // something finished: queued work may start now
      });
    this.inFlight.set(occ.id, { abort, done });
  }
}

/**
 * Runs `fn` over every item with at most `limit` in flight, waits for all of them, then throws
 * the first failure: no write is left running unobserved.
 */
async function settleAll<T>(items: readonly T[], fn: (item: T) => Promise<unknown>, limit: number): Promise<void> {
  const failures: unknown[] = [];
  const run = async (item: T): Promise<void> => {
    try {
      await fn(item);
    } catch (error) {
      failures.push(error);
    }
  };
  if (limit >= items.length) {
    await Promise.all(items.map(run));
  } else {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < items.length) await run(items[next++]!);
    };
    await Promise.all(Array.from({ length: limit }, lane));
  }
  if (failures.length > 0) throw failures[0];
}

/** The plans in order, cut where a chunk would pass ADVANCE_CHUNK_JOBS jobs or ADVANCE_CHUNK_ROWS occurrences. */
function chunksOf(plans: readonly JobPlan[]): JobPlan[][] {
  const out: JobPlan[][] = [];
  let chunk: JobPlan[] = [];
  let rows = 0;
  for (const p of plans) {
    if (chunk.length > 0 && (chunk.length >= ADVANCE_CHUNK_JOBS || rows + p.occurrences.length > ADVANCE_CHUNK_ROWS)) {
      out.push(chunk);
      chunk = [];
      rows = 0;
    }
    chunk.push(p);
    rows += p.occurrences.length;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}
