// One run of the startup figure, in a fresh process: a restart on a ledger left a day ago.
// shipclock: start() (lock, job sync, orphan recovery) = ready; then the first tick decides every
// time missed during the day (catch-up runs or `missed` rows) and starts the catch-up runs.
// Peers keep no ledger: their "ready" is creating the same jobs; they do not see the missed day.
import { join } from 'node:path';
import { arg, reply } from '../lib/child.js';
import { jobConfig, jobSet } from '../lib/jobs.js';
import { loadPeer, type Lib } from '../lib/peers.js';
import { shipclock } from '../lib/shipclock.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export interface StartupRun {
  readonly lib: Lib;
  /** Process start (module loaded) → scheduler ready (ms). */
  readonly readyMs: number;
  /** Ready → every catch-up decision recorded in the ledger (ms); null for peers. */
  readonly decidedMs: number | null;
  /** Ready → the first tick done, catch-up runs claimed and launched (ms); null for peers. */
  readonly tickMs: number | null;
  readonly recorded: number;
  readonly catchUpRuns: number;
}

const lib = arg('lib', 'shipclock') as Lib;
const dir = arg('dir', '');
const count = Number(arg('jobs', '10000'));
const stoppedAt = Number(arg('stopped-at', '0'));

void reply(async (): Promise<StartupRun> => {
  const specs = jobSet({ count, burst: 0, burstAt: stoppedAt, spreadFrom: stoppedAt, spreadMs: 86_400_000 });
  const t0 = performance.now();
  if (lib !== 'shipclock') {
    const stop = loadPeer(lib, specs, () => undefined);
    const readyMs = performance.now() - t0;
    stop();
    return { lib, readyMs, decidedMs: null, tickMs: null, recorded: 0, catchUpRuns: 0 };
  }
  const store = new SqliteStore(join(dir, 'ledger.db'));
  const s = await shipclock(
    specs.map((sp) => jobConfig(sp)),
    { dir, store },
  );
  let recorded = 0;
  let lastRecorded = 0;
  s.scheduler.events.on('occurrence:recorded', () => {
    recorded++;
    lastRecorded = performance.now();
  });
  await s.scheduler.start({ loop: false });
  const ready = performance.now();
  await s.scheduler.tick();
  const ticked = performance.now();
  await s.scheduler.idle();
  const catchUpRuns = s.provider.starts.length;
  await s.dispose();
  await store.close();
  return { lib, readyMs: ready - t0, decidedMs: lastRecorded - ready, tickMs: ticked - ready, recorded, catchUpRuns };
});
