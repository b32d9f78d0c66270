// One instance of the several-instances figure (forked 3 times by run.ts, all on one database).
// shipclock: the real Scheduler on the PostgreSQL store (no single-node lock: instances share
// the work through the ledger). pg-boss: its schedules, one queue and one worker per schedule.
import PgBoss from 'pg-boss';
import { arg, reply } from '../lib/child.js';
import { jobConfig, jobSet } from '../lib/jobs.js';
import { shipclock } from '../lib/shipclock.js';
import { PostgresStore } from '../../src/store/postgres-store.js';

export interface InstanceRun {
  readonly lib: 'shipclock' | 'pg-boss';
  readonly instance: number;
  readonly loadMs: number;
  readonly loadedBeforeWindow: boolean;
  /** Every start in this instance: job name and (start − scheduled time) in ms. */
  readonly starts: readonly { job: string; lateMs: number }[];
}

const lib = arg('lib', 'shipclock') as 'shipclock' | 'pg-boss';
// --minute: shipclock gets pg-boss's set instead (every job due at the minute boundary start-at).
const minute = process.argv.includes('--minute');
const url = arg('url', '');
const instance = Number(arg('instance', '0'));
const startAt = Number(arg('start-at', '0'));
const windowMs = Number(arg('window-ms', '20000'));
const count = Number(arg('jobs', '10000'));
const burst = Number(arg('burst', '500'));
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

void reply(async (): Promise<InstanceRun> => {
  const t0 = performance.now();
  const starts: { job: string; lateMs: number }[] = [];
  if (lib === 'shipclock') {
    const burstAt = minute ? startAt : startAt + Math.floor(windowMs / 2 / 1000) * 1000;
    const specs = jobSet({ count, burst: minute ? count : burst, burstAt, spreadFrom: startAt, spreadMs: 3_600_000 });
    const store = new PostgresStore(url);
    const s = await shipclock(
      specs.map((sp) => jobConfig(sp)),
      { store, owner: `instance-${instance}` },
    );
    await s.scheduler.start();
    const loadMs = performance.now() - t0;
    const loadedBeforeWindow = Date.now() < startAt;
    await sleepUntil(startAt + windowMs + 3_000);
    await s.dispose();
    await store.close();
    for (const st of s.provider.starts) starts.push({ job: st.job, lateMs: st.startMs - st.nominalMs });
    return { lib, instance, loadMs, loadedBeforeWindow, starts };
  }
  // pg-boss: schedules and queues were created by run.ts; each instance works every queue.
  // Its cron monitor and workers poll as fast as pg-boss allows (1 s and 0.5 s).
  const boss = new PgBoss({ connectionString: url, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1, max: 10 });
  boss.on('error', () => undefined);
  await boss.start();
  for (let i = 0; i < count; i++) {
    const name = `sched-${i}`;
    await boss.work(name, { pollingIntervalSeconds: 0.5 }, async () => {
      starts.push({ job: name, lateMs: Date.now() - startAt });
    });
  }
  const loadMs = performance.now() - t0;
  const loadedBeforeWindow = Date.now() < startAt;
  await sleepUntil(startAt + windowMs + 3_000);
  await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  return { lib, instance, loadMs, loadedBeforeWindow, starts };
});
