// Numbered, append-only. Never edit a migration that has landed: add the next number, and add
// the same number to ../sqlite/ so both backends keep one schema (src/store/schema-check.ts).
import { m0001 } from './0001-initial.js';

export const POSTGRES_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [m0001];
