// One racer for sqlite-threads.test.ts. For each task it opens its own connection to the file,
// waits at the barrier with the other racers, claims or advances once, and reports the result.
import { parentPort } from 'node:worker_threads';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export interface RaceTask {
  readonly path: string;
  readonly index: number;
  readonly barrier: SharedArrayBuffer;
  readonly racers: number;
  readonly op: 'claim' | 'advance';
  readonly occurrenceId: string;
  readonly cursorMs: number;
}

async function run(task: RaceTask): Promise<boolean> {
  const store = new SqliteStore(task.path);
  try {
    const counter = new Int32Array(task.barrier);
    // The last to arrive wakes everyone, so the writes start together.
    if (Atomics.add(counter, 0, 1) + 1 === task.racers) Atomics.notify(counter, 0);
    else while (Atomics.load(counter, 0) < task.racers) Atomics.wait(counter, 0, Atomics.load(counter, 0), 1000);
    if (task.op === 'claim') {
      const r = await store.claim({
        occurrenceId: task.occurrenceId, owner: `w${task.index}`, runId: `r${task.index}`, nowMs: task.cursorMs,
        leaseMs: 30_000, targetLock: true, jobExclusive: true,
      });
      return r.ok;
    }
    const next = task.cursorMs + 60_000;
    const r = await store.advance('web', task.cursorMs, next, [
      { job: 'web', nominalMs: next, kind: 'scheduled', trigger: 'on_time', state: 'pending', target: 't', dueMs: next, reason: `w${task.index}` },
    ], task.cursorMs);
    return r.applied;
  } finally {
    await store.close();
  }
}

parentPort?.on('message', (task: RaceTask) => {
  run(task).then(
    (ok) => parentPort?.postMessage({ ok }),
    (error: unknown) => parentPort?.postMessage({ error: String(error) }),
  );
});
