// Public library surface. Re-exports only; modules are inert on import.
export type { Schedule, ScheduleOptions, DstPolicy } from './calendar/types.js';
export { parseSchedule, explainSchedule, formatExplain, formatInZone, isValidTimezone, parseDuration } from './calendar/index.js';
export type { Clock } from './scheduler/clock.js';
export { systemClock } from './scheduler/system-clock.js';
export { Scheduler } from './scheduler/scheduler.js';
export type { SchedulerOptions } from './scheduler/scheduler.js';
export type { SchedulerEvents } from './scheduler/events.js';
export { loadConfig } from './config/index.js';
export type { Config, JobConfig } from './config/types.js';
export type { Store, Occurrence, OccurrenceState, Attempt } from './store/types.js';
export { openStore } from './store/open-store.js';
export type { Provider, DeployContext, DeployHandle, PollResult, ErrorClass } from './providers/types.js';
export type { ProviderDefinition } from './providers/definition.js';
export { runDeploy } from './runner/run-deploy.js';
export { createScheduler } from './app/compose.js';
export { main } from './cli/main.js';
export { ShipclockError, UsageError, InputError } from './errors/index.js';
export { DeployError } from './providers/deploy-error.js';
