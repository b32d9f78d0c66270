// Public library surface. Re-exports only; modules are inert on import.
export type { Schedule, ScheduleOptions, DstPolicy } from './calendar/types.js';
export type { Clock } from './scheduler/clock.js';
export type { Provider, DeployContext, DeployHandle, PollResult, ErrorClass } from './providers/types.js';
export type { Config, JobConfig } from './config/types.js';
export { ShipclockError, UsageError, InputError } from './errors/index.js';
export { DeployError } from './providers/deploy-error.js';
