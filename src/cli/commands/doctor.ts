import { existsSync } from 'node:fs';
import { SKEW_WARN_MS } from '../../app/db-clock.js';
import { measureClockSkew } from '../../store/clock-skew.js';
import { PostgresStore } from '../../store/postgres-store.js';
import { checkSchema, type SchemaReport } from '../../store/schema-check.js';
import { SqliteStore } from '../../store/sqlite-store.js';
import { StoreError } from '../../store/store-error.js';
import type { Store } from '../../store/types.js';
import { CONFIG_OPTIONS, parse } from '../args.js';
import type { Command } from '../command.js';
import { clockOf, loadCliConfig } from '../context.js';
import { writeJson } from '../format.js';
import { EXIT_FAILED, EXIT_OK } from '../io.js';

interface Check {
  readonly name: 'connectivity' | 'schema' | 'clock' | 'scheduler_lock';
  readonly ok: boolean;
  readonly summary: string;
  readonly problems: readonly string[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the store: connectivity, schema drift, migrations, clock skew, scheduler lock',
  usage: `Usage: shipclock doctor [-c FILE] [--store URL] [--json]

Checks the store the config names, without changing it (no migration is applied):
  connectivity    the store opens; PostgreSQL answers (round trip measured)
  schema          applied migrations and live tables/columns against this build's (drift)
  clock           PostgreSQL: this machine's clock against the database's (warns at ≥ 60 s)
  scheduler lock  SQLite: which process holds the single-node scheduler lock, and until when

Exit 0 when healthy, 1 when a problem was found, 2 on bad usage.
--json prints { ok, backend, location, checks: [{ name, ok, summary, problems, detail }] }.
`,
  async run(args, io) {
    const { values } = parse('doctor', args, { ...CONFIG_OPTIONS, json: { type: 'boolean' } });
    const config = await loadCliConfig(values, io);
    const clock = clockOf(io);
    const now = (): number => clock.now();
    const { kind, location } = config.store;
    const checks: Check[] = [];
    let shownLocation = location;

    if (kind === 'sqlite' && location !== ':memory:' && !existsSync(location)) {
      checks.push({ name: 'connectivity', ok: false, summary: `no ledger at ${location}`, problems: [`${location} does not exist yet: it is created by the first \`shipclock run\` or \`deploy\``] });
    } else {
      // Opened without migrate(): the doctor reports pending migrations, it does not apply them.
      const store: Store = kind === 'postgres' ? new PostgresStore(location) : new SqliteStore(location);
      if (store instanceof PostgresStore) shownLocation = store.location; // password redacted
      try {
        const reachable = await connectivity(store, now);
        checks.push(reachable);
        if (reachable.ok) {
          checks.push(await schema(store));
          if (store.backend === 'postgres') checks.push(await skew(store, now));
          else checks.push(await schedulerLock(store, clock.now()));
        }
      } finally {
        await store.close().catch(() => undefined);
      }
    }

    const ok = checks.every((c) => c.ok);
    if (values.json) {
      writeJson(io, { ok, backend: kind, location: shownLocation, checks });
    } else {
      io.stdout.write(`shipclock doctor: ${kind} store ${shownLocation}\n`);
      for (const c of checks) {
        io.stdout.write(`  ${c.ok ? 'ok     ' : 'PROBLEM'}  ${c.name.replace('_', ' ')}: ${c.summary}\n`);
        for (const p of c.problems) io.stdout.write(`           - ${p}\n`);
      }
      io.stdout.write(ok ? 'healthy\n' : `${checks.reduce((n, c) => n + c.problems.length, 0)} problem(s) found\n`);
    }
    return ok ? EXIT_OK : EXIT_FAILED;
  },
};

async function connectivity(store: Store, now: () => number): Promise<Check> {
  const started = now();
  try {
    if (store instanceof PostgresStore) await store.databaseNowMs();
    else await store.listJobs().catch((e: unknown) => (isMissingTable(e) ? [] : Promise.reject(e)));
    const ms = now() - started;
    return { name: 'connectivity', ok: true, summary: store.backend === 'postgres' ? `answered in ${ms} ms` : 'opened', problems: [], detail: { roundTripMs: ms } };
  } catch (error) {
    const code = error instanceof StoreError ? error.code : 'E_STORE_UNAVAILABLE';
    const message = error instanceof Error ? error.message : String(error);
    const transient = error instanceof StoreError && error.transient;
    return {
      name: 'connectivity',
      ok: false,
      summary: 'cannot reach the store',
      problems: [`${code}: ${message}${transient ? ' (may be temporary: instances keep retrying)' : ''}`],
      detail: { code, transient },
    };
  }
}

/** A fresh SQLite file has no tables yet: that is "not migrated", reported by the schema check. */
function isMissingTable(error: unknown): boolean {
  return error instanceof StoreError && error.code === 'E_STORE_QUERY';
}

async function schema(store: Store): Promise<Check> {
  let report: SchemaReport;
  try {
    report = await checkSchema(store);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { name: 'schema', ok: false, summary: 'cannot read the schema', problems: [message] };
  }
  const applied = report.appliedVersions.length === 0 ? 'none' : report.appliedVersions.join(', ');
  // Extra columns are hand edits: shown, but not a reason to fail (schema-check.ts).
  return {
    name: 'schema',
    ok: report.ok,
    summary: `migrations applied: ${applied} (this build knows ${report.expectedVersions.join(', ')})${report.ok ? '; tables and columns as expected' : ''}`,
    problems: report.ok ? [] : report.problems,
    detail: {
      expectedVersions: report.expectedVersions,
      appliedVersions: report.appliedVersions,
      pendingVersions: report.pendingVersions,
      unknownVersions: report.unknownVersions,
      missingTables: report.missingTables,
      missingColumns: report.missingColumns,
      extraColumns: report.extraColumns,
      notes: report.ok ? report.problems : [],
    },
  };
}

async function skew(store: Store, now: () => number): Promise<Check> {
  try {
    const ms = (await measureClockSkew(store, now)) ?? 0;
    const ok = Math.abs(ms) < SKEW_WARN_MS;
    const words = `${(Math.abs(ms) / 1000).toFixed(1)} s ${ms >= 0 ? 'behind' : 'ahead of'} the database`;
    return {
      name: 'clock',
      ok,
      summary: `this machine is ${words}`,
      problems: ok ? [] : [`clock skew ${words} (≥ ${SKEW_WARN_MS / 1000} s): instances use the database's clock, but fix NTP on this machine`],
      detail: { skewMs: Math.round(ms), warnMs: SKEW_WARN_MS },
    };
  } catch (error) {
    return { name: 'clock', ok: false, summary: 'cannot measure', problems: [error instanceof Error ? error.message : String(error)] };
  }
}

async function schedulerLock(store: Store, now: number): Promise<Check> {
  try {
    const holder = await store.lockHolder('scheduler');
    if (!holder) return { name: 'scheduler_lock', ok: true, summary: 'free (no scheduler running on this state dir)', problems: [] };
    const live = holder.untilMs > now;
    const info = holder.info ?? {};
    const who = `${holder.owner}${typeof info['pid'] === 'number' ? ` (pid ${info['pid']}${typeof info['host'] === 'string' ? ` on ${info['host']}` : ''})` : ''}`;
    return {
      name: 'scheduler_lock',
      ok: true,
      summary: live
        ? `held by ${who} until ${new Date(holder.untilMs).toISOString()}`
        : `last held by ${who}; expired ${new Date(holder.untilMs).toISOString()} (free to take)`,
      problems: [],
      detail: { owner: holder.owner, untilMs: holder.untilMs, live, info },
    };
  } catch (error) {
    return { name: 'scheduler_lock', ok: false, summary: 'cannot read', problems: [error instanceof Error ? error.message : String(error)] };
  }
}
