// Public surface of the config module. Re-exports only; modules are inert on import.
export { loadConfig } from './load-config.js';
export { describeConfig, formatConfigSummary, formatDuration } from './describe-config.js';
export type { ConfigSummary, JobSummary } from './describe-config.js';
export { DEFAULT_CONFIG_FILE, DEFAULT_JOB_NAME, DEFAULT_STATE_DIR, JOB_DEFAULTS } from './defaults.js';
export { redactStoreLocation } from './storage-location.js';
export type {
  Config,
  ConfigFlags,
  JobConfig,
  JobExtra,
  LoadConfigInput,
  NotificationsConfig,
  ProviderConfig,
  SmtpConfig,
  StoreConfig,
  RetryConfig,
  CatchUpConfig,
  OverlapPolicy,
  CatchUpMode,
} from './types.js';
