/**
 * The ledger and coordination store (DESIGN.md §4, §7). One contract, two implementations
 * (SQLite for one node, PostgreSQL for several instances), one conformance suite.
 * All instants are epoch milliseconds. Callers pass `nowMs` explicitly: the store never reads
 * a clock of its own, so the scheduler's injected clock (or the database's) decides.
 */

/** Terminal states of an occurrence that ran, or never started; `pending`/`running` are live. */
export type OccurrenceState =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timed_out'
  | 'cancelled'
  | 'interrupted'
  | 'skipped_overlap'
  | 'missed'
  | 'coalesced'
  | 'paused'
  | 'blocked_window'
  | 'blocked_dependency'
  | 'superseded'
  | 'skipped_dst_gap';

export const LIVE_STATES: readonly OccurrenceState[] = ['pending', 'running'];
export const RAN_STATES: readonly OccurrenceState[] = ['succeeded', 'failed', 'timed_out', 'cancelled', 'interrupted'];

/** Why an occurrence exists: its schedule, a person, or a backfill. Part of its identity. */
export type OccurrenceKind = 'scheduled' | 'manual' | 'backfill';

/** How it came to start: on time, late after downtime, after a resume, … */
export type OccurrenceTrigger = 'on_time' | 'catch_up' | 'resume' | 'manual' | 'backfill';

export interface Occurrence {
  readonly id: string;
  readonly job: string;
  readonly nominalMs: number;
  readonly kind: OccurrenceKind;
  readonly trigger: OccurrenceTrigger;
  readonly state: OccurrenceState;
  readonly reason: string | null;
  readonly target: string;
  /** When it may start: nominal time plus deterministic jitter. */
  readonly dueMs: number;
  /** For a row that stands for a whole span of never-started times (e.g. a month of missed seconds). */
  readonly spanEndMs: number | null;
  readonly spanCount: number | null;
  readonly createdMs: number;
  readonly startedMs: number | null;
  readonly endedMs: number | null;
  readonly runId: string | null;
  /** Fencing token: 0 until first claimed, +1 on every claim or takeover. */
  readonly fence: number;
  readonly owner: string | null;
  readonly leaseUntilMs: number | null;
  readonly attempts: number;
  readonly errorClass: string | null;
  readonly message: string | null;
  readonly requestedBy: string | null;
  /** Manual runs with `--force` bypass overlap and the target lock. */
  readonly force: boolean;
  readonly detail: Readonly<Record<string, unknown>> | null;
}

export interface NewOccurrence {
  readonly job: string;
  readonly nominalMs: number;
  readonly kind: OccurrenceKind;
  readonly trigger: OccurrenceTrigger;
  readonly state: OccurrenceState;
  readonly reason?: string | null;
  readonly target: string;
  readonly dueMs: number;
  readonly spanEndMs?: number | null;
  readonly spanCount?: number | null;
  readonly requestedBy?: string | null;
  readonly force?: boolean;
  readonly detail?: Readonly<Record<string, unknown>> | null;
}

export interface AdvanceItem {
  readonly job: string;
  readonly expectCursorMs: number;
  readonly newCursorMs: number;
  readonly occurrences: readonly NewOccurrence[];
}

export interface AdvanceResult {
  readonly applied: boolean;
  readonly inserted: readonly Occurrence[];
}

export interface Attempt {
  readonly occurrenceId: string;
  readonly number: number;
  readonly fence: number;
  readonly owner: string | null;
  readonly startedMs: number;
  readonly endedMs: number | null;
  /** null while the attempt runs. */
  readonly outcome: string | null;
  readonly errorClass: string | null;
  readonly message: string | null;
  readonly handleId: string | null;
  readonly handle: Readonly<Record<string, unknown>> | null;
  readonly logPath: string | null;
}

export interface JobRecord {
  readonly name: string;
  /** Hash of the job's timing fields (schedule, timezone, dst, offset, jitter). */
  readonly timingHash: string;
  /** Every nominal time ≤ cursor has been decided (has a row, or was deliberately passed). */
  readonly cursorMs: number;
  readonly paused: boolean;
  readonly pausedNote: string | null;
  readonly pausedBy: string | null;
  readonly pausedAtMs: number | null;
  readonly pausedUntilMs: number | null;
  readonly createdMs: number;
  readonly updatedMs: number;
}

export interface StoreEvent {
  readonly id: number;
  readonly atMs: number;
  readonly job: string | null;
  readonly occurrenceId: string | null;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>> | null;
}

export interface OccurrenceFilter {
  readonly job?: string;
  readonly states?: readonly OccurrenceState[];
  readonly kinds?: readonly OccurrenceKind[];
  /** Nominal time ≥ fromMs. */
  readonly fromMs?: number;
  /** Nominal time < toMs. */
  readonly toMs?: number;
  readonly limit?: number;
  /** `desc` (newest first, default) or `asc`. */
  readonly order?: 'asc' | 'desc';
}

export type ClaimResult =
  | { readonly ok: true; readonly occurrence: Occurrence }
  | { readonly ok: false; readonly reason: 'state' | 'target' | 'job'; readonly blocker: Occurrence | null };

export interface ClaimRequest {
  readonly occurrenceId: string;
  readonly owner: string;
  readonly runId: string;
  readonly nowMs: number;
  readonly leaseMs: number;
  /** Refuse when another live run holds the same target (its lease not expired). */
  readonly targetLock: boolean;
  /** Refuse when another run of the same job is live (overlap `skip`/queue policies). */
  readonly jobExclusive: boolean;
}

export interface SettleRequest {
  readonly state: OccurrenceState;
  readonly reason?: string | null;
  readonly nowMs: number;
  readonly errorClass?: string | null;
  readonly message?: string | null;
  /** Only settle when the occurrence is in one of these states (default: pending). */
  readonly from?: readonly OccurrenceState[];
  /** Only settle when the fence still matches (a stale runner is refused). */
  readonly fence?: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface Store extends AsyncDisposable {
  readonly backend: 'sqlite' | 'postgres';
  /** Apply numbered migrations not yet applied (under a lock). */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Register a job or update its timing hash; a new job or a timing change sets cursor = nowMs. */
  syncJob(name: string, timingHash: string, nowMs: number): Promise<JobRecord>;
  getJob(name: string): Promise<JobRecord | null>;
  /** The records of these jobs (those that exist), in one read: a tick plans many jobs at once. */
  getJobs(names: readonly string[]): Promise<JobRecord[]>;
  listJobs(): Promise<JobRecord[]>;
  setPaused(
    name: string,
    pause: { paused: boolean; note?: string | null; by?: string | null; untilMs?: number | null; nowMs: number },
  ): Promise<JobRecord>;
  /** Move the cursor without recording occurrences (e.g. `resume` without catch-up). */
  setCursor(name: string, cursorMs: number, nowMs: number): Promise<void>;
  /**
   * Forget a job that left the config: its row (cursor, pause) goes, its ledger history stays.
   * Refused (false) while it has live occurrences. A job that comes back starts from now, and
   * the unique key on occurrences still keeps a time that already ran from running again.
   */
  deleteJob(name: string): Promise<boolean>;

  /**
   * Record decided occurrences and advance the job's cursor in one transaction, only if the
   * cursor is still `expectCursorMs` (so two instances cannot both decide the same times).
   * Rows that already exist (same job, kind, nominal time) are left alone.
   */
  advance(
    job: string,
    expectCursorMs: number,
    newCursorMs: number,
    occurrences: readonly NewOccurrence[],
    nowMs: number,
  ): Promise<{ readonly applied: boolean; readonly inserted: readonly Occurrence[] }>;
  /**
   * `advance` for many jobs in one transaction, results in the items' order. Each item applies
   * only if its job's cursor is still the expected one (as it is read once every job row is
   * locked, in one order); where another instance moved it first, applied is false and the
   * caller re-reads the cursor on its next tick. Each job appears at most once per call
   * (a repeated job is refused with a TypeError, nothing recorded).
   */
  advanceMany(items: readonly AdvanceItem[], nowMs: number): Promise<readonly AdvanceResult[]>;
  /** Insert one occurrence (manual, backfill); null when one already exists for that key. */
  insertOccurrence(o: NewOccurrence, nowMs: number): Promise<Occurrence | null>;

  /** pending → running with a new fence and a lease, atomically with the lock checks. */
  claim(req: ClaimRequest): Promise<ClaimResult>;
  /** Extend a lease; false when the fence no longer matches (someone took the run over). */
  heartbeat(occurrenceId: string, fence: number, leaseUntilMs: number): Promise<boolean>;
  /** Move an occurrence to a state (conditionally); false when the condition failed. */
  settle(occurrenceId: string, req: SettleRequest): Promise<boolean>;

  beginAttempt(
    occurrenceId: string,
    a: { number: number; fence: number; owner: string | null; startedMs: number; logPath: string | null },
  ): Promise<void>;
  recordHandle(occurrenceId: string, number: number, handle: { id: string; details?: Readonly<Record<string, unknown>> }): Promise<void>;
  endAttempt(
    occurrenceId: string,
    number: number,
    end: { endedMs: number; outcome: string; errorClass: string | null; message: string | null },
  ): Promise<void>;

  getOccurrence(id: string): Promise<Occurrence | null>;
  findOccurrence(job: string, nominalMs: number, kind?: OccurrenceKind): Promise<Occurrence | null>;
  /** The occurrence whose nominal time equals `atMs`, or a span row covering it. */
  findCovering(job: string, atMs: number): Promise<Occurrence | null>;
  listOccurrences(filter?: OccurrenceFilter): Promise<Occurrence[]>;
  listAttempts(occurrenceId: string): Promise<Attempt[]>;
  /** Pending occurrences with dueMs ≤ nowMs, oldest due first. */
  duePending(nowMs: number, limit?: number): Promise<Occurrence[]>;
  /** Earliest dueMs among pending occurrences, or null. */
  nextPendingDue(): Promise<number | null>;
  /** Live (pending or running) occurrences, optionally of one job. */
  live(job?: string): Promise<Occurrence[]>;
  /** Live occurrences of any of these jobs, in one read (oldest due first). */
  liveOf(jobs: readonly string[]): Promise<Occurrence[]>;
  /** Running occurrences whose lease expired before nowMs (their runner died). */
  expiredRunning(nowMs: number): Promise<Occurrence[]>;
  /** Latest occurrence of a job in one of these states (e.g. the last run). */
  latest(job: string, states?: readonly OccurrenceState[]): Promise<Occurrence | null>;

  appendEvent(e: { atMs: number; job?: string | null; occurrenceId?: string | null; type: string; data?: Readonly<Record<string, unknown>> | null }): Promise<void>;
  listEvents(filter?: { job?: string; type?: string; fromMs?: number; toMs?: number; limit?: number }): Promise<StoreEvent[]>;

  /** A named lease (e.g. the single-node scheduler lock); true when this owner holds it now. */
  acquireLock(name: string, owner: string, untilMs: number, nowMs: number, info?: Readonly<Record<string, unknown>>): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;
  lockHolder(name: string): Promise<{ owner: string; untilMs: number; info: Readonly<Record<string, unknown>> | null } | null>;
}
