/**
 * The resolved, validated, frozen configuration (defaults < file < env < flags). Every duration
 * is in milliseconds; every field has its final value: code downstream never applies defaults.
 */
import type { DstPolicy } from '../calendar/types.js';

export type OverlapPolicy = 'skip' | 'queue_one' | 'queue_all' | 'cancel_running' | 'allow';
export type CatchUpMode = 'latest' | 'all' | 'none';

export interface RetryConfig {
  /** Retries after the first attempt (0 = one attempt only). */
  readonly maxRetries: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export interface CatchUpConfig {
  readonly mode: CatchUpMode;
  /** Only occurrences at most this old are caught up; older ones are recorded `missed`. */
  readonly windowMs: number;
  /** Cap on runs for mode `all`. */
  readonly max: number;
}

export interface EmailNotification {
  readonly to: readonly string[];
}

export interface NotificationsConfig {
  readonly email: readonly string[];
  readonly onSuccess: boolean;
  readonly onFailure: boolean;
  /** Raw webhook entries, validated by the notify module. */
  readonly webhooks: readonly Readonly<Record<string, unknown>>[];
}

/** Provider settings: `kind` plus that provider's own validated fields. */
export interface ProviderConfig {
  readonly kind: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface JobConfig {
  readonly name: string;
  /** Schedule expression as written; null for a job that only deploys when asked. */
  readonly schedule: string | null;
  readonly timezone: string;
  readonly dst: DstPolicy;
  /** Interval alignment offset from the Unix epoch. */
  readonly offsetMs: number;
  readonly description: string | null;
  readonly provider: ProviderConfig;
  /** Lock name: one deploy per target at a time. Defaults to the job name. */
  readonly target: string;
  readonly retry: RetryConfig;
  /** Hard limit per run; null only when the user wrote `timeout: none`. */
  readonly timeoutMs: number | null;
  readonly overlap: OverlapPolicy;
  /** Queue cap for `queue_all`. */
  readonly queueCap: number;
  readonly catchUp: CatchUpConfig;
  readonly jitterMs: number;
  readonly notifications: NotificationsConfig | null;
  /** Where in the config file this job was defined (for messages). */
  readonly source?: { readonly file: string; readonly line: number; readonly col: number };
  /**
   * Raw values of `depends_on`, `windows`, `regions`, `waves`, `idempotent`, keyed as written
   * in YAML. The config checks their basic shape only; the scheduling work gives them meaning.
   */
  readonly extra?: JobExtra;
  /**
   * Deploy windows, dependencies and regions, resolved by `scheduling-keys.ts` (DESIGN.md §6).
   * Optional so hand-built configs (tests, tools) need not spell them; the loader always sets
   * them, and the scheduler reads a missing one as empty (no windows, no dependencies, no waves).
   */
  readonly windows?: readonly DeployWindowConfig[];
  readonly dependsOn?: readonly DependencyConfig[];
  /** What a failed dependency does to this job's occurrence; `block` when not written. */
  readonly onFailure?: DependencyFailurePolicy;
  /** Regions in deploy order: each wave in turn, regions of one wave in parallel. Empty: no regions. */
  readonly waves?: readonly (readonly string[])[];
}

/** `allow` / `deny` entry of `windows:`: opens at each fire of `schedule` and lasts `durationMs`. */
export interface DeployWindowConfig {
  readonly kind: 'allow' | 'deny';
  readonly schedule: string;
  readonly durationMs: number;
  /** The entry's own `timezone`, else the job's. */
  readonly timezone: string;
  /** `name:` as written, for messages; null when unnamed. */
  readonly name: string | null;
}

export type DependencyFailurePolicy = 'block' | 'skip' | 'continue';

export interface DependencyConfig {
  readonly job: string;
  /**
   * null: the dependency's occurrence for the same nominal time must succeed. A duration: its
   * latest successful run with a nominal time in [nominal - window, nominal] counts.
   */
  readonly windowMs: number | null;
}

/** Scheduling-semantics keys kept raw (shape-checked) until their module validates them. */
export interface JobExtra {
  /** A job name or a list of job names / `{ job, ... }` records. */
  readonly depends_on?: string | readonly (string | Readonly<Record<string, unknown>>)[];
  /** A list of `{ allow | deny, ... }` records. */
  readonly windows?: readonly Readonly<Record<string, unknown>>[];
  readonly regions?: readonly string[];
  readonly waves?: readonly (readonly string[])[];
  readonly idempotent?: boolean;
  readonly on_failure?: string;
  readonly dependency_window?: number;
}

export interface StoreConfig {
  readonly kind: 'sqlite' | 'postgres';
  /** SQLite: file path. PostgreSQL: connection URL. */
  readonly location: string;
}

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string | null;
  /** Name of the environment variable holding the password (never the password itself). */
  readonly passwordEnv: string | null;
  readonly from: string;
}

export interface Config {
  /** Absolute path of the config file, or null when built from flags alone. */
  readonly file: string | null;
  readonly stateDir: string;
  readonly store: StoreConfig;
  readonly jobs: readonly JobConfig[];
  /** SIGTERM grace for running deploys. */
  readonly shutdownGraceMs: number;
  /** How long a claimed run stays claimed without a heartbeat, and how often it heartbeats. */
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  /** At most this many runs at once in one scheduler process (null: no limit); the rest wait their turn. */
  readonly maxConcurrentRuns: number | null;
  readonly smtp: SmtpConfig | null;
  /** Base URL of the dashboard, for links in notifications. */
  readonly dashboardUrl: string | null;
  /** Notes for the operator, e.g. "notifications are validated but not yet delivered". */
  readonly notices: readonly string[];
}

/**
 * Command-line overrides, as the CLI parsed them (strings where the user typed a value; the
 * config module validates them like file values). Flags beat env, env beats the file.
 */
export interface ConfigFlags {
  /** `--schedule`: replaces the schedule of the selected (or only) job. */
  readonly schedule?: string;
  /** `--tz` (the flag's name on the command line): for the selected job, or every job when none is selected. */
  readonly timezone?: string;
  /** `--provider`: replaces the provider kind (the file's provider settings are kept). */
  readonly provider?: string;
  /** `--max-retries`: an integer >= 0. */
  readonly maxRetries?: string | number;
  /** `--state`: state directory (relative to the current folder). */
  readonly state?: string;
  /** `--store`: SQLite file path or postgres:// URL. */
  readonly store?: string;
  /** `--timeout`: a duration (`30m`) or `none`. */
  readonly timeout?: string;
  /** Job the overrides apply to (`deploy JOB`); it must exist in the file. */
  readonly job?: string;
  /** Provider settings from the command line, merged over the file's (e.g. `{ command: [...] }`). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface LoadConfigInput {
  /** Config file as the user named it (`-c`), or null to look for `shipclock.yaml` in `cwd`. */
  readonly file: string | null;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags: ConfigFlags;
}
