// Figure 1, firing lateness: 10,000 jobs on one node, 500 of them due in the same second.
// Usage: npx tsx bench/lateness/run.ts [--runs 3] [--jobs 10000] [--burst 500] [--window-ms 20000]
// Each library runs the same job set in its own child process, one after the other.
import { fileURLToPath } from 'node:url';
import { arg } from '../lib/child.js';
import { runChild } from '../lib/child.js';
import { machine, machineLine } from '../lib/machine.js';
import { LIBS, VERSIONS, type Lib } from '../lib/peers.js';
import { writeResults, table } from '../lib/results.js';
import { fmt, median, ratio } from '../lib/stats.js';
import type { LatenessRun } from './worker.js';

const runs = Number(arg('runs', '3'));
const jobs = arg('jobs', '10000');
const burst = arg('burst', '500');
const windowMs = Number(arg('window-ms', '20000'));
const leadMs = Number(arg('lead-ms', '15000'));
const only = arg('libs', LIBS.join(',')).split(',') as Lib[];
// --prof DIR: each child writes a CPU profile of its firing window there (bench/lib/profile-top.ts reads it).
const prof = arg('prof', '');
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));

const results: LatenessRun[] = [];
for (let r = 0; r < runs; r++) {
  for (const lib of only) {
    const startAt = Math.ceil((Date.now() + leadMs) / 1000) * 1000;
    const res = await runChild<LatenessRun>(
      worker,
      ['--lib', lib, '--start-at', String(startAt), '--window-ms', String(windowMs), '--jobs', jobs, '--burst', burst, ...(prof ? ['--prof', prof] : [])],
      { timeoutMs: leadMs + windowMs + 120_000, execArgv: [] },
    );
    results.push(res);
    console.error(
      `run ${r + 1}/${runs} ${lib}: load ${res.loadMs.toFixed(0)} ms${res.loadedBeforeWindow ? '' : ' (LATE: window opened before load finished)'}, ` +
        `fired ${res.fired}/${res.expected}, p50 ${res.all.p50} p99 ${res.all.p99} max ${res.all.max} ms; burst p99 ${res.burst.p99} max ${res.burst.max}; others p99 ${res.others.p99}`,
    );
  }
}

const m = machine();
const summary = only.map((lib) => {
  const mine = results.filter((x) => x.lib === lib);
  return {
    lib,
    p50: median(mine.map((x) => x.all.p50)),
    p99: median(mine.map((x) => x.all.p99)),
    max: median(mine.map((x) => x.all.max)),
    burstP99: median(mine.map((x) => x.burst.p99)),
    othersP99: median(mine.map((x) => x.others.p99)),
    fired: median(mine.map((x) => x.fired)),
    expected: median(mine.map((x) => x.expected)),
    loadMs: median(mine.map((x) => x.loadMs)),
  };
});
const ours = summary.find((s) => s.lib === 'shipclock');
const rows = summary.map((s) => [
  VERSIONS[s.lib],
  fmt(s.p50, 0),
  fmt(s.p99, 0),
  fmt(s.max, 0),
  fmt(s.burstP99, 0),
  fmt(s.othersP99, 0),
  `${s.fired}/${s.expected}`,
  fmt(s.loadMs, 0),
  ours && s.lib !== 'shipclock' ? `${ratio(s.p99, ours.p99)}` : '',
]);
const file = writeResults('lateness', { machine: m, runs, jobs: Number(jobs), burst: Number(burst), windowMs, summary, results });
console.log(`\n${machineLine(m)}; ${jobs} jobs, ${burst} due in one second, median of ${runs} runs (ms)\n`);
console.log(table(['library', 'p50', 'p99', 'max', 'p99 of the 500', 'p99 of the others', 'fired', 'load ms', 'p99 ratio (peer/shipclock)'], rows));
console.log(`\nraw: ${file}`);
