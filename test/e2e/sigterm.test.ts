/**
 * SIGTERM during a deploy, with real processes: the running deploy gets the grace period, is
 * recorded `interrupted` when the grace runs out, its process tree is killed, and a restart does
 * not start that occurrence again.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, startShipclock } from '../helpers/process.js';

test('SIGTERM during a deploy records interrupted; restarting does not start it again', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-term-'));
  const pidFile = join(dir, 'deploy.pid');
  writeFileSync(
    join(dir, 'shipclock.yaml'),
    `shutdown_grace: 1s
deployments:
  slow:
    schedule: "*/2s"
    provider: shell
    command: ["sh", "-c", "echo $$ > ${pidFile}; echo started; sleep 60"]
    max_retries: 0
`,
  );
  const first = startShipclock(['run', '-c', join(dir, 'shipclock.yaml')], { cwd: dir });
  await first.waitFor(/slow {2}started run-/);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.match(first.stdout, /slow {2}interrupted/);

  const history = (): { nominal_time: string; state: string; attempts: { outcome: string }[] }[] =>
    JSON.parse(execFileSync(process.execPath, [BIN, 'history', '--json', '-c', join(dir, 'shipclock.yaml')], { cwd: dir, encoding: 'utf8' }));
  const before = history();
  assert.equal(before.length, 1);
  assert.equal(before[0]!.state, 'interrupted');
  assert.equal(before[0]!.attempts[0]!.outcome, 'interrupted');
  const { readFileSync } = await import('node:fs');
  const pid = Number(readFileSync(pidFile, 'utf8'));
  assert.throws(() => process.kill(pid, 0), 'the deploy process is gone');

  const second = startShipclock(['run', '-c', join(dir, 'shipclock.yaml')], { cwd: dir });
  await second.waitFor(/slow {2}started run-/);
  second.child.kill('SIGTERM');
  await second.exited;
  const after = history();
  const interrupted = after.find((o) => o.nominal_time === before[0]!.nominal_time)!;
  assert.equal(interrupted.state, 'interrupted', 'the first occurrence was not started again');
  assert.equal(after.filter((o) => o.nominal_time === before[0]!.nominal_time).length, 1);
});

test('SIGTERM during `shipclock deploy` gives the deploy its grace period; it completes and exits 0', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-term-deploy-'));
  writeFileSync(
    join(dir, 'shipclock.yaml'),
    `shutdown_grace: 1m
deployments:
  slow:
    provider: shell
    command: ["sh", "-c", "echo started; sleep 2; echo done"]
`,
  );
  const p = startShipclock(['deploy', 'slow', '--json', '-c', join(dir, 'shipclock.yaml')], { cwd: dir });
  await new Promise<void>((resolve) => {
    const check = (): void => void (p.stderr.includes('slow  started') && resolve());
    p.child.stderr!.on('data', check);
    check();
  });
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0, p.stderr);
  const occ = JSON.parse(p.stdout) as { state: string };
  assert.equal(occ.state, 'succeeded', 'stdout is only the JSON document, and the deploy finished within the grace');
});
