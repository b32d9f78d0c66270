// Figure 5, several instances: 3 processes on one PostgreSQL. shipclock with 10,000 jobs (500
// due in the same second) vs pg-boss schedules due at the same minute on the same server.
// Usage: npx tsx bench/instances/run.ts [--runs 1] [--jobs 10000] [--boss-schedules 100] [--libs shipclock,pg-boss]
// pg-boss's cron has a granularity of one minute and needs one queue (and one worker per
// instance) per schedule, so it gets its own, smaller set: every schedule due at one minute
// boundary, a burst like shipclock's 500. Lateness = handler start − scheduled time.
import { fileURLToPath } from 'node:url';
import PgBoss from 'pg-boss';
import { arg, runChild } from '../lib/child.js';
import { machine, machineLine } from '../lib/machine.js';
import { startPostgres } from '../lib/postgres.js';
import { table, writeResults } from '../lib/results.js';
import { fmt, median, ratio, spread } from '../lib/stats.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import type { InstanceRun } from './worker.js';

const runs = Number(arg('runs', '1'));
const jobs = Number(arg('jobs', '10000'));
const bossSchedules = Number(arg('boss-schedules', '100'));
const windowMs = Number(arg('window-ms', '20000'));
const leadMs = Number(arg('lead-ms', '60000'));
const INSTANCES = 3;
// shipclock-minute: shipclock on pg-boss's set (the like-for-like row).
type Variant = 'shipclock' | 'shipclock-minute' | 'pg-boss';
const only = arg('libs', 'shipclock,shipclock-minute,pg-boss').split(',') as Variant[];
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));
const hm = (t: number) => `${new Date(t).getUTCMinutes()} ${new Date(t).getUTCHours()} * * *`;

const server = await startPostgres();
const summary: Record<string, unknown>[] = [];
const raw: unknown[] = [];
try {
  for (let r = 0; r < runs; r++) {
    for (const lib of only) {
      const url = await server.createDatabase();
      let startAt: number;
      let n: number;
      if (lib !== 'pg-boss') {
        const store = new PostgresStore(url);
        await store.migrate();
        await store.close();
        startAt = lib === 'shipclock' ? Math.ceil((Date.now() + leadMs) / 1000) * 1000 : Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;
        n = lib === 'shipclock' ? jobs : bossSchedules;
      } else {
        // The next minute boundary at least leadMs away; queues and schedules made up front.
        startAt = Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;
        n = bossSchedules;
        const boss = new PgBoss({ connectionString: url, schedule: false, supervise: false, max: 4 });
        boss.on('error', () => undefined);
        await boss.start();
        for (let i = 0; i < n; i++) {
          await boss.createQueue(`sched-${i}`);
          await boss.schedule(`sched-${i}`, hm(startAt), {}, { tz: 'UTC' });
        }
        await boss.stop({ graceful: false, wait: true });
      }
      const children = Array.from({ length: INSTANCES }, (_, i) =>
        runChild<InstanceRun>(
          worker,
          [...(lib === 'shipclock-minute' ? ['--lib', 'shipclock', '--minute'] : ['--lib', lib]), '--url', url, '--instance', String(i), '--start-at', String(startAt), '--window-ms', String(windowMs), '--jobs', String(n), '--burst', '500'],
          { timeoutMs: leadMs + windowMs + 180_000 },
        ),
      );
      const res = await Promise.all(children);
      raw.push(res);
      const all = res.flatMap((x) => x.starts);
      const perJob = new Map<string, number>();
      for (const s of all) perJob.set(s.job, (perJob.get(s.job) ?? 0) + 1);
      const duplicates = [...perJob.values()].filter((c) => c > 1).length;
      // shipclock: only the window's jobs fire (daily times); pg-boss: all schedules, once.
      const st = spread(all.map((s) => s.lateMs));
      const row = {
        lib,
        run: r + 1,
        schedules: n,
        fired: perJob.size,
        perInstance: res.map((x) => x.starts.length),
        duplicates,
        loadMs: res.map((x) => Math.round(x.loadMs)),
        allLoaded: res.every((x) => x.loadedBeforeWindow),
        ...st,
      };
      summary.push(row);
      console.error(JSON.stringify(row));
    }
  }
} finally {
  await server.stop();
}

const m = machine();
const libs = [...new Set(summary.map((s) => s.lib as string))];
const med = (lib: string, k: string) => median(summary.filter((s) => s.lib === lib).map((s) => Number(s[k])));
const rows = libs.map((lib) => [
  lib === 'pg-boss' ? 'pg-boss@10.4.2' : 'shipclock',
  lib === 'shipclock' ? `${jobs} (500 in one second)` : `${bossSchedules} (all at one minute boundary)`,
  fmt(med(lib, 'p50'), 0),
  fmt(med(lib, 'p99'), 0),
  fmt(med(lib, 'max'), 0),
  String(med(lib, 'duplicates')),
  lib === 'pg-boss' ? ratio(med(lib, 'p99'), med('shipclock-minute', 'p99')) + ' (vs the same set)' : '',
]);
const file = writeResults('instances', { machine: m, runs, jobs, bossSchedules, windowMs, summary, raw });
console.log(`\n${machineLine(m)}; ${INSTANCES} instances on one PostgreSQL 17 (embedded), median of ${runs} runs (ms)\n`);
console.log(table(['library', 'schedules', 'p50', 'p99', 'max', 'duplicate starts', 'p99 ratio (peer/shipclock)'], rows));
console.log(`\nraw: ${file}`);
