// Numbered, append-only. Never edit a migration that has landed: add the next number.
import { m0001 } from './0001-initial.js';

export const SQLITE_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [m0001];
