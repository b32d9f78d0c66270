// The SQLite store with truly simultaneous writers: worker threads, each with its own
// connection to one file (as a `shipclock run` and a `shipclock trigger` process would be).
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { T0, seedPending } from './conformance/fixture.js';
import type { RaceTask } from './sqlite-race-worker.js';

const RACERS = 4;
// The racer is TypeScript: register tsx inside the worker before importing it.
const BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(
  new URL('./sqlite-race-worker.ts', import.meta.url).href,
)}); })`;

let workers: Worker[] = [];
let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipclock-race-'));
  workers = Array.from({ length: RACERS }, () => new Worker(BOOT, { eval: true }));
});
after(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  await rm(dir, { recursive: true, force: true });
});

async function race(path: string, op: RaceTask['op'], occurrenceId: string, cursorMs: number): Promise<boolean[]> {
  const barrier = new SharedArrayBuffer(4);
  return Promise.all(
    workers.map(
      (w, index) =>
        new Promise<boolean>((resolve, reject) => {
          w.once('message', (m: { ok?: boolean; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m.ok === true)));
          w.once('error', reject);
          const task: RaceTask = { path, index, barrier, racers: RACERS, op, occurrenceId, cursorMs };
          w.postMessage(task);
        }),
    ),
  );
}

describe('SQLite store: simultaneous writers on one file', () => {
  it(`${RACERS} threads claiming one occurrence at once: exactly one wins`, async () => {
    const path = join(dir, 'claims.db');
    const store = new SqliteStore(path);
    try {
      await store.migrate();
      const ids = await seedPending(store, [T0, T0 + 60_000, T0 + 120_000, T0 + 180_000], { job: 'web', target: 't' });
      for (const [i, id] of ids.entries()) {
        const wins = await race(path, 'claim', id, T0 + i * 100_000);
        assert.equal(wins.filter(Boolean).length, 1, `one winner for occurrence ${i}`);
        assert.equal((await store.getOccurrence(id))?.fence, 1);
        await store.settle(id, { state: 'succeeded', from: ['running'], nowMs: T0 });
      }
    } finally {
      await store.close();
    }
  });

  it(`${RACERS} threads advancing one cursor at once: exactly one applies`, async () => {
    const path = join(dir, 'advance.db');
    const store = new SqliteStore(path);
    try {
      await store.migrate();
      await store.syncJob('web', 'h', T0);
      let cursor = T0;
      for (let round = 0; round < 4; round++) {
        const applied = await race(path, 'advance', '', cursor);
        assert.equal(applied.filter(Boolean).length, 1, `round ${round}`);
        cursor += 60_000;
        assert.equal((await store.getJob('web'))?.cursorMs, cursor);
        assert.equal((await store.listOccurrences({ job: 'web', fromMs: cursor, toMs: cursor + 1 })).length, 1);
      }
    } finally {
      await store.close();
    }
  });
});
