// One library, one run of the memory and idle-CPU figure, in its own process (forked by run.ts).
// Loads the job set (nothing due for hours), then measures resident memory and the CPU time the
// process uses while it waits.
import { arg, reply } from '../lib/child.js';
import { jobConfig, jobSet } from '../lib/jobs.js';
import { loadPeer, type Lib } from '../lib/peers.js';
import { shipclock } from '../lib/shipclock.js';

export interface MemoryRun {
  readonly lib: Lib;
  readonly jobs: number;
  readonly loadMs: number;
  /** Resident set once settled: loaded, a full GC, 3 s for the allocator to return freed pages, another GC (MB). */
  readonly rssMb: number;
  /** Resident set right after loading and a first full GC, before freed pages are returned (MB). */
  readonly rssAtLoadMb: number;
  readonly heapUsedMb: number;
  /** Largest RSS seen during the idle window, MB. */
  readonly rssPeakMb: number;
  /** user + system CPU time used during the idle window, ms. */
  readonly idleCpuMs: number;
  readonly idleMs: number;
  readonly fired: number;
}

const lib = arg('lib', 'shipclock') as Lib;
const count = Number(arg('jobs', '100000'));
const idleMs = Number(arg('idle-ms', '60000'));
// The idle window starts this long after loading ends, for every library: V8 keeps collecting
// and shrinking the heap for several seconds after a big load, which is not idle work.
const settleMs = Number(arg('settle-ms', '20000'));
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

void reply(async (): Promise<MemoryRun> => {
  // First fire 10 minutes out, the rest spread over the next 23 hours: nothing is due while we measure.
  const from = Math.ceil(Date.now() / 1000) * 1000 + 10 * 60_000;
  const specs = jobSet({ count, burst: 0, burstAt: from, spreadFrom: from, spreadMs: 23 * 3_600_000 });
  let fired = 0;
  const t0 = performance.now();
  let stop: () => Promise<void>;
  if (lib === 'shipclock') {
    const s = await shipclock(specs.map((sp) => jobConfig(sp)));
    await s.scheduler.start();
    stop = () => s.dispose();
    s.scheduler.events.on('run:started', () => fired++);
  } else {
    const stopPeer = loadPeer(lib, specs, () => fired++);
    stop = async () => stopPeer();
  }
  const loadMs = performance.now() - t0;
  // Let start-up work (first tick, timer set-up) finish before measuring.
  await sleep(2_000);
  gc();
  const atLoad = process.memoryUsage.rss();
  // Loading leaves garbage that a GC frees at once but V8 and malloc hand back to the OS over
  // the next seconds; a scheduler runs for weeks, so what stays resident is the figure. Every
  // library gets the same wait, and the idle window starts after it (no one-off collections).
  await sleep(3_000);
  gc();
  await sleep(1_000);
  const mem = process.memoryUsage();
  await sleep(Math.max(0, settleMs - (performance.now() - t0 - loadMs)));
  let rssPeak = mem.rss;
  const watch = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 1_000);
  const cpu0 = process.cpuUsage();
  await sleep(idleMs);
  const cpu = process.cpuUsage(cpu0);
  clearInterval(watch);
  await stop();
  return {
    lib,
    jobs: count,
    loadMs,
    rssMb: mem.rss / 2 ** 20,
    rssAtLoadMb: atLoad / 2 ** 20,
    heapUsedMb: mem.heapUsed / 2 ** 20,
    rssPeakMb: rssPeak / 2 ** 20,
    idleCpuMs: (cpu.user + cpu.system) / 1000,
    idleMs,
    fired,
  };
});
