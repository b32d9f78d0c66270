/**
 * The store conformance suite: one set of behaviours every Store backend must show, run by
 * test/store/sqlite.test.ts and test/store/postgres.test.ts against real databases.
 */
import { describe } from 'node:test';
import { advanceTests } from './conformance/advance.js';
import { claimTests } from './conformance/claims.js';
import { concurrencyTests } from './conformance/concurrency.js';
import { eventAndLockTests } from './conformance/events-locks.js';
import type { MakeStore } from './conformance/fixture.js';
import { jobTests } from './conformance/jobs.js';
import { queryTests } from './conformance/queries.js';
import { schemaTests } from './conformance/schema.js';

export type { MakeStore, StoreFixture } from './conformance/fixture.js';

export function describeStoreConformance(name: string, makeStore: MakeStore): void {
  describe(`store conformance: ${name}`, () => {
    jobTests(makeStore);
    advanceTests(makeStore);
    claimTests(makeStore);
    queryTests(makeStore);
    eventAndLockTests(makeStore);
    schemaTests(makeStore);
    concurrencyTests(makeStore);
  });
}
