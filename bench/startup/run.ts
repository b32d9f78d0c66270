// Figure 3, startup and catch-up: 10,000 daily jobs in the store, the scheduler stopped a day ago.
// Usage: npx tsx bench/startup/run.ts [--runs 3] [--jobs 10000] [--libs a,b]
// Each run prepares a fresh ledger (jobs registered with their cursor 24 h back, as if the
// scheduler had stopped then), then times a cold start in a new process.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, runChild } from '../lib/child.js';
import { jobConfig, jobSet } from '../lib/jobs.js';
import { machine, machineLine } from '../lib/machine.js';
import { LIBS, VERSIONS, type Lib } from '../lib/peers.js';
import { table, writeResults } from '../lib/results.js';
import { tempDir } from '../lib/shipclock.js';
import { fmt, median, ratio } from '../lib/stats.js';
import { timingHash } from '../../src/scheduler/timing-hash.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { StartupRun } from './worker.js';

const runs = Number(arg('runs', '3'));
const jobs = Number(arg('jobs', '10000'));
const only = arg('libs', LIBS.join(',')).split(',') as Lib[];
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));
// --prof DIR: a CPU profile of each child (node --cpu-prof); read it with bench/lib/profile-top.ts.
const prof = arg('prof', '');

/** A ledger as the scheduler left it `downMs` ago: every job registered, cursor at the stop. */
async function downtimeLedger(dir: string, stoppedAt: number): Promise<void> {
  const store = new SqliteStore(join(dir, 'ledger.db'));
  await store.migrate();
  const specs = jobSet({ count: jobs, burst: 0, burstAt: stoppedAt, spreadFrom: stoppedAt, spreadMs: 86_400_000 });
  for (const sp of specs) await store.syncJob(sp.name, timingHash(jobConfig(sp)), stoppedAt);
  await store.close();
}

const results: StartupRun[] = [];
for (let r = 0; r < runs; r++) {
  for (const lib of only) {
    const dir = tempDir();
    // Stopped a day ago; each job's one daily time falls somewhere in the downtime.
    const stoppedAt = Math.floor(Date.now() / 1000) * 1000 - 86_400_000 + 60_000;
    if (lib === 'shipclock') await downtimeLedger(dir, stoppedAt);
    const res = await runChild<StartupRun>(worker, ['--lib', lib, '--dir', dir, '--jobs', String(jobs), '--stopped-at', String(stoppedAt)], {
      timeoutMs: 300_000,
      execArgv: prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : [],
    });
    rmSync(dir, { recursive: true, force: true });
    results.push(res);
    console.error(
      `run ${r + 1}/${runs} ${lib}: ready ${res.readyMs.toFixed(0)} ms` +
        (res.decidedMs === null ? '' : `, decisions recorded +${res.decidedMs.toFixed(0)} ms (${res.recorded} rows), first tick +${res.tickMs!.toFixed(0)} ms, ${res.catchUpRuns} catch-up runs`),
    );
  }
}

const m = machine();
const summary = only.map((lib) => {
  const mine = results.filter((x) => x.lib === lib);
  const readyMs = median(mine.map((x) => x.readyMs));
  const decidedMs = median(mine.map((x) => x.decidedMs ?? Number.NaN));
  return {
    lib,
    readyMs,
    decidedMs,
    totalMs: lib === 'shipclock' ? readyMs + decidedMs : readyMs,
    tickMs: median(mine.map((x) => x.tickMs ?? Number.NaN)),
    recorded: median(mine.map((x) => x.recorded)),
    catchUpRuns: median(mine.map((x) => x.catchUpRuns)),
  };
});
const ours = summary.find((s) => s.lib === 'shipclock');
const rows = summary.map((s) => [
  VERSIONS[s.lib],
  fmt(s.readyMs, 0),
  s.lib === 'shipclock' ? fmt(s.totalMs, 0) : 'no catch-up',
  s.lib === 'shipclock' ? `${s.recorded} rows, ${s.catchUpRuns} catch-up runs` : '-',
  ours && s.lib !== 'shipclock' ? ratio(s.readyMs, ours.readyMs) : '',
]);
const file = writeResults('startup', { machine: m, runs, jobs, summary, results });
console.log(`\n${machineLine(m)}; ${jobs} daily jobs, restarted after 24 h down, median of ${runs} runs (ms)\n`);
console.log(table(['library', 'ready', 'ready + catch-up decided', 'recorded', 'ready ratio (peer/shipclock)'], rows));
console.log(`\nraw: ${file}`);
