// shipclock as a user runs it on one node: the real Scheduler, calendar, runner and SQLite
// ledger (WAL) in a temp dir, the real system clock; only the deploy is the no-op provider.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileJob } from '../../src/app/compose.js';
import type { JobConfig } from '../../src/config/types.js';
import { runDeploy } from '../../src/runner/run-deploy.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { systemClock } from '../../src/scheduler/system-clock.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { NoopProvider } from './noop-provider.js';

export interface Shipclock {
  readonly scheduler: Scheduler;
  readonly provider: NoopProvider;
  readonly store: Store;
  readonly dir: string;
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'shipclock-bench-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A scheduler over `jobs` on a (new or existing) SQLite ledger in `dir`. Not started. */
export async function shipclock(jobs: readonly JobConfig[], o: { dir?: string; store?: Store; owner?: string } = {}): Promise<Shipclock> {
  const dir = o.dir ?? tempDir();
  const store = o.store ?? new SqliteStore(join(dir, 'ledger.db'));
  await store.migrate();
  const provider = new NoopProvider();
  const scheduler = new Scheduler({
    store,
    clock: systemClock,
    jobs,
    stateDir: dir,
    compile: compileJob,
    deploy: runDeploy,
    provider: () => provider,
    ...(o.owner ? { owner: o.owner } : {}),
  });
  return {
    scheduler,
    provider,
    store,
    dir,
    async dispose() {
      await scheduler.stop({ force: true }).catch(() => undefined);
      if (!o.store) await store.close();
      if (!o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
