/**
 * A large catch-up is recorded in several transactions, each of at most 1,000 jobs and 5,000
 * occurrences, so another instance waiting for those job rows never waits past PostgreSQL's
 * lock_timeout. Real SQLite ledger; the proxy only counts the calls (labelled spy).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdvanceItem, Store } from '../../src/store/types.js';
import { at, configFromYaml, createHarness, oneJob } from '../helpers/scheduler-harness.js';

test('catch-up after 3 h for 60 minutely jobs: every time recorded once, in chunks of at most 5,000 rows', async () => {
  const jobs = Array.from({ length: 60 }, (_, i) => `  j${i}:\n    schedule: "* * * * *"\n    provider: shell\n    command: ["true"]\n    catch_up: none`).join('\n');
  const calls: { jobs: number; rows: number }[] = [];
  const spy = (real: Store): Store =>
    new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'advanceMany' || typeof value !== 'function') return value;
        return (items: readonly AdvanceItem[], nowMs: number) => {
          calls.push({ jobs: items.length, rows: items.reduce((n, i) => n + i.occurrences.length, 0) });
          return (value as Store['advanceMany']).call(target, items, nowMs);
        };
      },
    });
  await using h = await createHarness({ yaml: `deployments:\n${jobs}\n`, start: at('2026-01-05T09:00:30Z'), wrapStore: spy });
  await h.scheduler.start();
  await h.outage(at('2026-01-05T09:00:40Z'), at('2026-01-05T12:00:30Z'));
  await h.clock.advance(10_000);
  const catchUp = calls.filter((c) => c.rows > 60);
  const total = catchUp.reduce((n, c) => n + c.rows, 0);
  assert.ok(catchUp.length >= 3, `catch-up in ${catchUp.length} calls: ${JSON.stringify(catchUp)}`);
  assert.ok(catchUp.every((c) => c.rows <= 5_000 && c.jobs <= 1_000), JSON.stringify(catchUp));
  const ledger = await h.ledger();
  // 09:01 … 12:00 for each job: 180 times each, every one recorded once.
  const between = ledger.filter((o) => o.nominalMs >= at('2026-01-05T09:01:00Z') && o.nominalMs <= at('2026-01-05T12:00:00Z'));
  assert.equal(between.length, 60 * 180);
  assert.equal(new Set(between.map((o) => `${o.job}@${o.nominalMs}`)).size, between.length);
  assert.equal(total, 60 * 180);
});

test('a reload while a pass records its plans: the job is planned again by its new schedule, not left waiting on the old one', async () => {
  let gate: Promise<void> | null = null;
  let open = (): void => undefined;
  let held = (): void => undefined;
  const heldNow = new Promise<void>((r) => (held = r));
  const gated = (real: Store): Store =>
    new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'advanceMany' || typeof value !== 'function') return value;
        return async (items: readonly AdvanceItem[], nowMs: number) => {
          // The plan is committed; its answer reaches the scheduler only once the gate opens.
          const results = await (value as Store['advanceMany']).call(target, items, nowMs);
          if (gate) {
            held();
            await gate;
          }
          return results;
        };
      },
    });
  await using h = await createHarness({ yaml: oneJob('schedule: "0 * * * *"'), start: at('2026-01-05T09:59:50Z'), durationMs: 1_000, wrapStore: gated });
  await h.scheduler.start();
  gate = new Promise<void>((r) => (open = r));
  // The 10:00 pass has recorded its plan, but not yet taken in the answer, when the config
  // changes to every 5 minutes (setJobs, then syncJobs, as a reload does).
  const pass = h.clock.advanceTo(at('2026-01-05T10:00:00Z'));
  await heldNow;
  const edited = await configFromYaml(oneJob('schedule: "*/5 * * * *"'), h.dir);
  h.scheduler.setJobs(edited.jobs);
  await h.scheduler.syncJobs();
  gate = null;
  open();
  await pass;
  await h.clock.advanceTo(at('2026-01-05T10:10:30Z'));
  assert.deepEqual(
    h.provider.receipts.map((r) => r.nominal),
    ['2026-01-05T10:00:00.000Z', '2026-01-05T10:05:00.000Z', '2026-01-05T10:10:00.000Z'],
    'the new schedule fires at 10:05 and 10:10, not first at 11:00',
  );
});
