export { ShipclockError } from './shipclock-error.js';
export { UsageError } from './usage-error.js';
export { InputError, formatProblem, formatProblems } from './input-error.js';
export type { Problem, SourcePosition } from './input-error.js';
