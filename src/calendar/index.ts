// Public surface of the calendar. Re-exports only; every module is pure and inert on import.
export type { Schedule, ScheduleOptions, DstPolicy } from './types.js';
export type { FireKind } from './cron-schedule.js';
export type { Explanation, ExplainedFire, ExplainedTransition } from './explain.js';
export { parseSchedule } from './parse-schedule.js';
export { isValidTimezone, suggestTimezone } from './timezone.js';
export { explainSchedule, formatExplain } from './explain.js';
export { formatInZone } from './format-in-zone.js';
export { parseDuration } from '../util/duration.js';
