// Figure 4, ledger throughput: occurrences recorded per second by the real stores, SQLite (WAL,
// synchronous=FULL) and PostgreSQL (embedded, default durability: every commit flushed).
// Usage: npx tsx bench/ledger/run.ts [--runs 3] [--rows 20000] [--backends sqlite,postgres]
// Modes: advance() with batches of 100 (a catch-up decision: one transaction per job), advance()
// with one occurrence (what the loop does when a job fires), and insertOccurrence() one by one
// (manual runs, backfill). Each mode starts on a fresh, migrated, empty ledger.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { arg } from '../lib/child.js';
import { machine, machineLine } from '../lib/machine.js';
import { startPostgres, type BenchPostgres } from '../lib/postgres.js';
import { table, writeResults } from '../lib/results.js';
import { tempDir } from '../lib/shipclock.js';
import { fmt, median } from '../lib/stats.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { NewOccurrence, Store } from '../../src/store/types.js';

const runs = Number(arg('runs', '3'));
const rows = Number(arg('rows', '20000'));
const backends = arg('backends', 'sqlite,postgres').split(',');
const JOBS = 100;
const T0 = Date.UTC(2026, 0, 1);

const occ = (job: string, i: number): NewOccurrence => ({
  job,
  nominalMs: T0 + i * 1000,
  kind: 'scheduled',
  trigger: 'on_time',
  state: 'pending',
  target: job,
  dueMs: T0 + i * 1000,
});

interface Mode {
  readonly name: string;
  /** Records `rows` occurrences; returns how many it recorded. */
  run(store: Store, rows: number): Promise<number>;
}

const batch = (size: number): Mode => ({
  name: `advance(), batches of ${size}`,
  async run(store, n) {
    let done = 0;
    const cursors = new Map<string, number>();
    for (let b = 0; done < n; b++) {
      const job = `job-${b % JOBS}`;
      const from = cursors.get(job) ?? 0;
      const list = Array.from({ length: size }, (_, k) => occ(job, from + k + 1));
      const cur = (await store.getJob(job))!.cursorMs;
      const r = await store.advance(job, cur, T0 + (from + size) * 1000, list, T0);
      if (!r.applied) throw new Error('advance not applied');
      done += r.inserted.length;
      cursors.set(job, from + size);
    }
    return done;
  },
});

const insertOne: Mode = {
  name: 'insertOccurrence(), one by one',
  async run(store, n) {
    let done = 0;
    for (let i = 0; i < n; i++) if (await store.insertOccurrence(occ(`job-${i % JOBS}`, i), T0)) done++;
    return done;
  },
};

const modes: { mode: Mode; share: number }[] = [
  { mode: batch(100), share: 1 },
  { mode: batch(1), share: 0.25 },
  { mode: insertOne, share: 0.25 },
];

async function open(backend: string, pgServer: BenchPostgres | null): Promise<{ store: Store; drop(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'ledger.db'));
    await store.migrate();
    return { store, drop: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const store = new PostgresStore(await pgServer!.createDatabase());
  await store.migrate();
  return { store, drop: () => store.close() };
}

const pgServer = backends.includes('postgres') ? await startPostgres() : null;
const results: { backend: string; mode: string; rows: number; ms: number; perSecond: number }[] = [];
try {
  for (let r = 0; r < runs; r++) {
    for (const backend of backends) {
      for (const { mode, share } of modes) {
        const { store, drop } = await open(backend, pgServer);
        for (let j = 0; j < JOBS; j++) await store.syncJob(`job-${j}`, 'h', T0);
        const n = Math.round(rows * share);
        const t0 = performance.now();
        const done = await mode.run(store, n);
        const ms = performance.now() - t0;
        await drop();
        results.push({ backend, mode: mode.name, rows: done, ms, perSecond: (done / ms) * 1000 });
        console.error(`run ${r + 1}/${runs} ${backend} ${mode.name}: ${done} rows in ${ms.toFixed(0)} ms = ${((done / ms) * 1000).toFixed(0)}/s`);
      }
    }
  }
} finally {
  await pgServer?.stop();
}

const m = machine();
const summary = backends.flatMap((backend) =>
  modes.map(({ mode }) => ({ backend, mode: mode.name, perSecond: median(results.filter((x) => x.backend === backend && x.mode === mode.name).map((x) => x.perSecond)) })),
);
const file = writeResults('ledger', { machine: m, runs, rows, summary, results });
console.log(`\n${machineLine(m)}; occurrences recorded per second, median of ${runs} runs\n`);
console.log(table(['store', 'mode', 'occurrences/s'], summary.map((s) => [s.backend, s.mode, fmt(s.perSecond, 0)])));
console.log(`\nraw: ${file}`);
