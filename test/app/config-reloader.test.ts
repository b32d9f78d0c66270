/**
 * Live reload: a bad config is refused whole and the running one kept; a good one is applied with
 * a diff; a non-timing edit fires nothing; editing the file on disk triggers the reload.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigReloader } from '../../src/app/config-reloader.js';
import { loadConfig } from '../../src/config/index.js';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

async function setup(yaml: string) {
  const h = await createHarness({ yaml, start: at('2026-01-05T09:58:00Z'), durationMs: 1_000 });
  const file = join(h.dir, 'shipclock.yaml');
  const lines: string[] = [];
  const reports = new EventEmitter();
  const reloader = new ConfigReloader({
    current: h.config,
    load: () => loadConfig({ file, cwd: h.dir, env: {}, flags: {} }),
    apply: async (next) => {
      h.scheduler.setJobs(next.jobs);
      await h.scheduler.syncJobs();
      h.scheduler.poke();
    },
    report: (line) => {
      lines.push(line);
      reports.emit('line', line);
    },
  });
  return { h, file, lines, reloader, reports };
}

test('an invalid config on reload is refused with its errors and the running jobs keep running', async () => {
  const { h, file, lines, reloader } = await setup(oneJob('schedule: "0 * * * *"'));
  await using _ = h;
  await h.scheduler.start();
  writeFileSync(file, oneJob('shedule: "*/5 * * * *"'));
  assert.equal(await reloader.reload(), 'refused');
  assert.match(lines.at(-1)!, /reload refused; the running config is kept/);
  assert.match(lines.at(-1)!, /shipclock\.yaml:\d+:\d+.*shedule/s);
  await h.clock.advanceTo(at('2026-01-05T10:00:30Z'));
  assert.deepEqual(h.provider.receipts.map((r) => r.nominal), ['2026-01-05T10:00:00.000Z'], 'the old schedule still applies');
});

test('a valid reload prints the diff; a description edit fires nothing; a schedule edit applies from now', async () => {
  const { h, file, lines, reloader } = await setup(oneJob('schedule: "0 * * * *"\ndescription: one'));
  await using _ = h;
  await h.scheduler.start();
  writeFileSync(file, oneJob('schedule: "0 * * * *"\ndescription: two'));
  assert.equal(await reloader.reload(), 'applied');
  assert.match(lines.at(-1)!, /~ job job: description \(no timing change: nothing fires\)/);
  await h.clock.advance(30_000);
  assert.equal(h.provider.receipts.length, 0);

  writeFileSync(file, oneJob('schedule: "*/5 * * * *"\ndescription: two'));
  assert.equal(await reloader.reload(), 'applied');
  assert.match(lines.at(-1)!, /schedule.*timing changed: applies from now/);
  await h.clock.advanceTo(at('2026-01-05T10:05:30Z'));
  assert.deepEqual(h.provider.receipts.map((r) => r.nominal), ['2026-01-05T10:00:00.000Z', '2026-01-05T10:05:00.000Z']);
  assert.equal(await reloader.reload(), 'unchanged');
});

test('editing the file on disk triggers the reload (fs watch)', async () => {
  const { h, file, reloader, reports } = await setup(oneJob('schedule: "0 * * * *"'));
  await using _ = h;
  reloader.watchFile(file);
  try {
    const reported = new Promise<void>((resolve) => reports.on('line', (l: string) => l.includes('+ job other') && resolve()));
    writeFileSync(file, `${oneJob('schedule: "0 * * * *"')}  other:\n    provider: shell\n    command: ["true"]\n`);
    await reported;
    assert.ok(reloader.config.jobs.some((j) => j.name === 'other'));
  } finally {
    reloader.close();
  }
});
