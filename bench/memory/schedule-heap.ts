// Heap held per compiled schedule, the calendar alone (no scheduler, no store, no config).
// Usage: npx tsx bench/memory/schedule-heap.ts [--count 100000]
// Compiles `count` daily `S M H * * *` expressions the way figure 2 makes them (bench/lib/jobs.ts)
// and the way the scheduler compiles them (compileJob: the job name is the `H` seed), keeps them
// all alive, runs a full GC and reads heapUsed. Two sets, each in a fresh process (so one set's
// garbage and caches cannot blur the other's figure):
//   distinct: the figure-2 set, ~83,000 different (second, minute, hour) among 100,000 jobs;
//   repeated: 100 expressions under 100,000 job names, as a config of many similar jobs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseSchedule, type Schedule } from '../../src/calendar/index.js';
import { arg } from '../lib/child.js';
import { dailyAt } from '../lib/jobs.js';

const count = Number(arg('count', '100000'));
const set = arg('set', '');
const day = Date.UTC(2026, 0, 1);
const SETS: Record<string, (i: number) => string> = {
  distinct: (i) => dailyAt(day + Math.floor((i * 23 * 3_600_000) / count / 1000) * 1000),
  repeated: (i) => dailyAt(day + (i % 100) * 61_000),
};

if (set === '') {
  // Parent: one child per set, with --expose-gc so heapUsed is read after a full collection.
  for (const name of Object.keys(SETS)) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--set', name, '--count', String(count)], {
      stdio: 'inherit',
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
} else {
  await measure(set, SETS[set] ?? ((): never => { throw new Error(`unknown --set ${set}; one of ${Object.keys(SETS).join(', ')}`); })());
}

/** heapUsed once it settles: GC, let the concurrent sweeper finish, repeat while it still shrinks. */
async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
    const used = process.memoryUsage().heapUsed;
    if (used >= last - 1024) break;
    last = used;
  }
  return process.memoryUsage().heapUsed;
}

async function measure(label: string, exprAt: (i: number) => string): Promise<void> {
  // Through JSON so every string is flat before the first reading: a template literal is a tree
  // of cons strings that V8 flattens once the string is a map key, freeing memory mid-measurement.
  const exprs = JSON.parse(JSON.stringify(Array.from({ length: count }, (_, i) => exprAt(i)))) as string[];
  const names = JSON.parse(JSON.stringify(Array.from({ length: count }, (_, i) => `job-${i}`))) as string[];
  const kept: Schedule[] = new Array<Schedule>(count);
  const before = await heapAfterGc();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    kept[i] = parseSchedule(exprs[i] as string, { timezone: 'UTC', dst: { gap: 'shift', repeat: 'once' }, offsetMs: 0, hashKey: names[i] as string });
  }
  const ms = performance.now() - t0;
  const after = await heapAfterGc();
  // Use the schedules and the inputs after the reading, so they are certainly alive at it (V8
  // frees a local that is not used again, which would subtract the inputs from the figure).
  const alive = kept.every((s, i) => s.nextMs(day) !== null && s.source === exprs[i] && names[i] !== undefined);
  const distinct = new Set(kept).size;
  console.log(
    `${label}: ${count} schedules (${distinct} distinct objects), heap +${((after - before) / 2 ** 20).toFixed(1)} MB = ` +
      `${((after - before) / count).toFixed(0)} B per schedule (caches included), compile ${((ms * 1000) / count).toFixed(1)} µs each` +
      (alive ? '' : ' (some schedule answered null: check the set)'),
  );
}
