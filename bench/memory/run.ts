// Figure 2, memory and idle CPU: 100,000 scheduled jobs loaded, nothing due for 10 minutes.
// Usage: npx tsx bench/memory/run.ts [--runs 3] [--jobs 100000] [--idle-ms 60000] [--libs a,b]
// Each library runs in its own child process (with --expose-gc, so RSS is read after a full GC).
import { fileURLToPath } from 'node:url';
import { arg, runChild } from '../lib/child.js';
import { machine, machineLine } from '../lib/machine.js';
import { LIBS, VERSIONS, type Lib } from '../lib/peers.js';
import { table, writeResults } from '../lib/results.js';
import { fmt, median, ratio } from '../lib/stats.js';
import type { MemoryRun } from './worker.js';

const runs = Number(arg('runs', '3'));
const jobs = arg('jobs', '100000');
const idleMs = Number(arg('idle-ms', '60000'));
const only = arg('libs', LIBS.join(',')).split(',') as Lib[];
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));

const results: MemoryRun[] = [];
const failures: { lib: Lib; error: string }[] = [];
for (let r = 0; r < runs; r++) {
  for (const lib of only) {
    try {
      const res = await runChild<MemoryRun>(worker, ['--lib', lib, '--jobs', jobs, '--idle-ms', String(idleMs)], {
        execArgv: ['--expose-gc'],
        timeoutMs: idleMs + 600_000,
      });
      results.push(res);
      console.error(
        `run ${r + 1}/${runs} ${lib}: load ${res.loadMs.toFixed(0)} ms, rss ${res.rssMb.toFixed(0)} MB (peak ${res.rssPeakMb.toFixed(0)}), ` +
          `heap ${res.heapUsedMb.toFixed(0)} MB, idle cpu ${res.idleCpuMs.toFixed(0)} ms / ${idleMs / 1000} s, fired ${res.fired}`,
      );
    } catch (error) {
      failures.push({ lib, error: String(error).slice(0, 500) });
      console.error(`run ${r + 1}/${runs} ${lib}: FAILED ${String(error).slice(0, 300)}`);
    }
  }
}

const m = machine();
const summary = only.map((lib) => {
  const mine = results.filter((x) => x.lib === lib);
  return {
    lib,
    runs: mine.length,
    rssMb: median(mine.map((x) => x.rssMb)),
    rssAtLoadMb: median(mine.map((x) => x.rssAtLoadMb)),
    rssPeakMb: median(mine.map((x) => x.rssPeakMb)),
    heapUsedMb: median(mine.map((x) => x.heapUsedMb)),
    idleCpuMs: median(mine.map((x) => x.idleCpuMs)),
    loadMs: median(mine.map((x) => x.loadMs)),
  };
});
const ours = summary.find((s) => s.lib === 'shipclock');
const rows = summary.map((s) => [
  VERSIONS[s.lib],
  fmt(s.rssMb, 0),
  fmt(s.rssAtLoadMb, 0),
  fmt(s.heapUsedMb, 0),
  fmt(s.idleCpuMs, 0),
  fmt((s.idleCpuMs / idleMs) * 100, 2),
  fmt(s.loadMs, 0),
  ours && s.lib !== 'shipclock' ? ratio(s.rssMb, ours.rssMb) : '',
  ours && s.lib !== 'shipclock' ? ratio(s.idleCpuMs, ours.idleCpuMs) : '',
]);
const file = writeResults('memory', { machine: m, runs, jobs: Number(jobs), idleMs, summary, results, failures });
console.log(`\n${machineLine(m)}; ${jobs} jobs loaded, nothing due, idle ${idleMs / 1000} s, median of ${runs} runs\n`);
console.log(
  table(['library', 'RSS MB (settled)', 'RSS MB (right after load + GC)', 'heap MB', `CPU ms / ${idleMs / 1000} s idle`, 'CPU %', 'load ms', 'RSS ratio', 'idle CPU ratio'], rows),
);
if (failures.length) console.log(`\nfailures: ${failures.map((f) => `${f.lib}: ${f.error.split('\n')[0]}`).join('; ')}`);
console.log(`\nraw: ${file}`);
