/**
 * Where shipclock keeps its state: the state directory (defaults < file < SHIPCLOCK_STATE <
 * --state) and the store (SQLite file in the state dir by default; file < SHIPCLOCK_STORE or
 * DATABASE_URL < --store). Paths in the file are relative to the file's folder; paths from env
 * and flags are relative to the current folder, as a shell user expects.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { StoreConfig } from './types.js';
import { DEFAULT_SQLITE_FILE, DEFAULT_STATE_DIR } from './defaults.js';
import type { Sourced } from './job-layer.js';
import type { Origin, ProblemList } from './problem-list.js';

export interface StorageInput {
  /** Folder of the config file, or the current folder without one. */
  readonly baseDir: string;
  readonly cwd: string;
  readonly fileStateDir: Sourced<string> | undefined;
  readonly fileStore: Sourced<string> | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flagState: string | undefined;
  readonly flagStore: string | undefined;
}

const POSTGRES = /^postgres(ql)?:\/\//i;
const OTHER_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

export function resolveStorage(input: StorageInput, problems: ProblemList): { stateDir: string; store: StoreConfig } | undefined {
  const { env, cwd } = input;
  const envState = nonEmpty(env['SHIPCLOCK_STATE']);
  const flagState = nonEmpty(input.flagState);
  const stateDir = flagState
    ? resolve(cwd, flagState)
    : envState
      ? resolve(cwd, envState)
      : input.fileStateDir
        ? resolve(input.baseDir, input.fileStateDir.value)
        : join(input.baseDir, DEFAULT_STATE_DIR);

  // DATABASE_URL is a common, shared name: use it only when it names PostgreSQL.
  const dbUrl = nonEmpty(env['DATABASE_URL']);
  const candidates: { value: string | undefined; origin: Origin; base: string }[] = [
    { value: nonEmpty(input.flagStore), origin: { kind: 'flag', flag: '--store' }, base: cwd },
    { value: nonEmpty(env['SHIPCLOCK_STORE']), origin: { kind: 'env', name: 'SHIPCLOCK_STORE' }, base: cwd },
    { value: dbUrl && POSTGRES.test(dbUrl) ? dbUrl : undefined, origin: { kind: 'env', name: 'DATABASE_URL' }, base: cwd },
    { value: input.fileStore?.value, origin: input.fileStore?.origin ?? { kind: 'default' }, base: input.baseDir },
  ];
  const chosen = candidates.find((c) => c.value !== undefined);
  if (!chosen?.value) return { stateDir, store: { kind: 'sqlite', location: join(stateDir, DEFAULT_SQLITE_FILE) } };

  const text = chosen.value;
  if (POSTGRES.test(text)) {
    try {
      new URL(text);
    } catch {
      problems.at(chosen.origin, { code: 'E_CONFIG_STORE', secret: true, message: 'the PostgreSQL URL cannot be parsed', allowed: 'postgres://user@host:5432/database' });
      return undefined;
    }
    return { stateDir, store: { kind: 'postgres', location: text } };
  }
  if (OTHER_URL.test(text)) {
    problems.at(chosen.origin, {
      code: 'E_CONFIG_STORE',
      value: text.replace(/\/\/[^@/]*@/, '//***@'),
      message: 'unsupported store',
      allowed: 'a SQLite file path, or a postgres:// (postgresql://) URL',
      hint: 'leave `store` out to use <state dir>/shipclock.db',
    });
    return undefined;
  }
  return { stateDir, store: { kind: 'sqlite', location: isAbsolute(text) ? text : resolve(chosen.base, text) } };
}

/** A store location safe to print: the password of a URL is replaced by `***`. */
export function redactStoreLocation(store: StoreConfig): string {
  if (store.kind !== 'postgres') return store.location;
  try {
    const u = new URL(store.location);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://***';
  }
}
