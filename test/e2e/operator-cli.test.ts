/**
 * Operator commands against a running scheduler, all as real processes: `run` in the
 * background; `pause`, `resume`, `trigger`, `backfill` and `why` from other processes through the
 * SQLite ledger; a live reload on SIGHUP. Waits on the processes' output, never a fixed sleep.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, startShipclock } from '../helpers/process.js';

const config = (schedule: string, description: string): string => `deployments:
  web:
    schedule: "${schedule}"
    description: ${description}
    provider: shell
    command: ["sh", "-c", "echo deployed $SHIPCLOCK_RUN_ID"]
`;

test('pause, trigger, resume, why and backfill on a running scheduler; SIGHUP reload', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-ops-'));
  const file = join(dir, 'shipclock.yaml');
  writeFileSync(file, config('*/2s', 'one'));
  const cli = (...args: string[]): string => execFileSync(process.execPath, [BIN, ...args, '-c', file], { cwd: dir, encoding: 'utf8' });
  const run = startShipclock(['run', '-c', file], { cwd: dir });
  try {
    await run.waitFor(/web {2}succeeded/);
    assert.match(cli('pause', 'web', '--note', 'freeze'), /web: paused \(freeze\)/);
    await run.waitFor(/web {2}paused .*paused by cli:.*: freeze/);
    const triggered = JSON.parse(cli('trigger', 'web', '--json')) as { occurrence_id: string; scheduler_running: boolean };
    assert.equal(triggered.scheduler_running, true);
    await run.waitFor(/web {2}started run-.* \[manual\]/);
    cli('resume', 'web');
    const history = JSON.parse(cli('history', 'web', '--json', '--limit', '1000')) as { kind: string; state: string; nominal_time: string }[];
    assert.ok(history.some((o) => o.kind === 'manual'), 'the manual run is in the ledger');
    const paused = history.find((o) => o.state === 'paused')!;
    assert.match(cli('why', 'web', paused.nominal_time), /paused by cli:.*: freeze/);
    const backfill = JSON.parse(cli('backfill', 'web', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T00:00:10Z', '--json')) as { dry_run: boolean; times: string[] };
    assert.equal(backfill.dry_run, true);
    assert.equal(backfill.times.length, 5);

    writeFileSync(file, config('*/2s', 'two'));
    run.child.kill('SIGHUP');
    await new Promise<void>((resolve) => {
      const check = (): void => void (/config reloaded:\n {2}~ job web: description \(no timing change: nothing fires\)/.test(run.stderr) && resolve());
      run.child.stderr!.on('data', check);
      check();
    });
  } finally {
    run.child.kill('SIGTERM');
  }
  assert.equal(await run.exited, 0);
});
