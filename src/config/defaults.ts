/**
 * Built-in defaults (DESIGN.md §6). The only place they are written down: downstream code
 * reads resolved values from `Config` and never applies a default of its own.
 */
import type { JobValues } from './job-layer.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const DEFAULT_CONFIG_FILE = 'shipclock.yaml';
export const DEFAULT_STATE_DIR = '.shipclock';
export const DEFAULT_SQLITE_FILE = 'shipclock.db';
export const DEFAULT_JOB_NAME = 'default';
export const DEFAULT_SHUTDOWN_GRACE_MS = 5 * MINUTE;
/** A claimed run's lease and its heartbeat (DESIGN.md §6), and the range `lease`/`heartbeat` may be set in. */
export const DEFAULT_LEASE_MS = 30 * SECOND;
export const DEFAULT_HEARTBEAT_MS = 10 * SECOND;
export const MIN_LEASE_MS = 5 * SECOND;
export const MAX_LEASE_MS = HOUR;
export const MIN_HEARTBEAT_MS = SECOND;
export const DEFAULT_SMTP_PORT = 587;
export const DEFAULT_SMTPS_PORT = 465;

/** Job values when neither the file, `defaults:`, env nor flags say otherwise. */
export const JOB_DEFAULTS: Readonly<Omit<JobValues, 'schedule' | 'target' | 'description' | 'depends_on' | 'windows' | 'regions' | 'waves' | 'idempotent' | 'on_failure' | 'dependency_window'>> = {
  timezone: 'UTC',
  dstGap: 'shift',
  dstRepeat: 'once',
  offsetMs: 0,
  retryOnFailure: true,
  maxRetries: 3,
  backoffBaseMs: 30 * SECOND,
  backoffCapMs: 10 * MINUTE,
  timeoutMs: 30 * MINUTE,
  overlap: 'skip',
  queueCap: 10,
  catchUp: 'latest',
  catchUpWindowMs: 1 * HOUR,
  maxCatchUp: 100,
  jitterMs: 0,
  notificationsOff: false,
  email: [],
  // Failures are what people want to hear about; successes only when they ask.
  onSuccess: false,
  onFailure: true,
  webhooks: [],
};
