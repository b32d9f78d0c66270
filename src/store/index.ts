// The store's public surface. Re-exports only.
export type * from './types.js';
export { LIVE_STATES, RAN_STATES } from './types.js';
export { SqliteStore } from './sqlite-store.js';
export { PostgresStore } from './postgres-store.js';
export type { PgSessionOptions } from './pg-session.js';
export { openStore } from './open-store.js';
export { StoreError, type StoreErrorCode } from './store-error.js';
export { checkSchema, type SchemaReport } from './schema-check.js';
export { measureClockSkew } from './clock-skew.js';
