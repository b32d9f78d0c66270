/**
 * Output contracts later checks rely on (issue 2 point 9), run through the real CLI in-process
 * against a real SQLite ledger, with the scheduler driven by a fake clock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeClock } from '../helpers/fake-clock.js';
import { runCli } from '../helpers/cli.js';

test('next --json prints ISO-8601 instants with the schedule offset', async () => {
  const r = await runCli(['next', '30 2 * * *', '--tz', 'America/New_York', '--from', '2025-03-08T12:00:00Z', '-n', '3', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['2025-03-09T03:00:00-04:00', '2025-03-10T02:30:00-04:00', '2025-03-11T02:30:00-04:00']);
});

test('next reads the injected clock when --from is absent', async () => {
  const clock = new FakeClock(Date.parse('2026-01-05T10:07:00Z'));
  const r = await runCli(['next', '*/6h', '--json', '-n', '2'], { clock });
  assert.deepEqual(JSON.parse(r.stdout), ['2026-01-05T12:00:00Z', '2026-01-05T18:00:00Z']);
});

test('explain names the DST shift for a wall-clock job', async () => {
  const r = await runCli(['explain', '30 2 * * *', '--tz', 'America/New_York', '--from', '2024-03-01T00:00:00Z']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /shifted by DST gap/);
});

function project(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-contract-'));
  const file = join(dir, 'shipclock.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

test('run --once, then history --json and status --json have the documented shape', async () => {
  const { dir, file } = project(`deployments:
  web:
    schedule: "*/10s"
    provider: shell
    command: ["sh", "-c", "echo deploying $SHIPCLOCK_RUN_ID"]
`);
  const clock = new FakeClock(Date.parse('2026-01-05T10:00:05Z'));
  // First run registers the job (its cursor starts now); the second finds 10:00:10 due.
  assert.equal((await runCli(['run', '--once', '-c', file], { cwd: dir, clock })).code, 0);
  await clock.jumpTo(Date.parse('2026-01-05T10:00:12Z'));
  const run = await runCli(['run', '--once', '-c', file], { cwd: dir, clock });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /web {2}succeeded/);

  const h = await runCli(['history', '--json', '-c', file], { cwd: dir, clock });
  const rows = JSON.parse(h.stdout) as Record<string, unknown>[];
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  assert.equal(row.job, 'web');
  assert.equal(row.nominal_time, '2026-01-05T10:00:10.000Z');
  assert.equal(row.kind, 'scheduled');
  assert.equal(row.state, 'succeeded');
  const attempts = row.attempts as Record<string, unknown>[];
  assert.equal(attempts.length, 1);
  assert.deepEqual(Object.keys(attempts[0]!).filter((k) => ['started_at', 'ended_at', 'outcome', 'error_class'].includes(k)).sort(), ['ended_at', 'error_class', 'outcome', 'started_at']);
  assert.equal(attempts[0]!.outcome, 'succeeded');

  const s = await runCli(['status', '--json', '-c', file], { cwd: dir, clock });
  const status = JSON.parse(s.stdout) as Record<string, unknown>[];
  assert.equal(status.length, 1);
  assert.equal(status[0]!.job, 'web');
  assert.equal(status[0]!.schedule, '*/10s');
  assert.equal(status[0]!.timezone, 'UTC');
  assert.equal(status[0]!.next_time, '2026-01-05T10:00:20Z');
  assert.equal(status[0]!.last_state, 'succeeded');
});

test('deploy once: exit 0 on success, 1 on failure, recorded as a manual occurrence', async () => {
  const { dir, file } = project(`deployments:
  good: { provider: shell, command: ["true"] }
  bad: { provider: shell, command: ["false"], max_retries: 0 }
`);
  const ok = await runCli(['deploy', 'good', '-c', file], { cwd: dir });
  assert.equal(ok.code, 0, ok.stderr);
  const bad = await runCli(['deploy', 'bad', '-c', file], { cwd: dir });
  assert.equal(bad.code, 1);
  const h = JSON.parse((await runCli(['history', '--json', '-c', file], { cwd: dir })).stdout) as { job: string; kind: string; state: string }[];
  assert.deepEqual(h.map((o) => [o.job, o.kind, o.state]).sort(), [['bad', 'manual', 'failed'], ['good', 'manual', 'succeeded']]);
});

test('the original command line: shipclock --deploy --schedule-config FILE --max-retries 0 deploys once', async () => {
  const { dir, file } = project(`deployment:
  schedule: "0 2 * * *"
  timezone: "Asia/Shanghai"
  retry_on_failure: true
  max_retries: 3
  provider: shell
  command: ["true"]
`);
  const r = await runCli(['--deploy', '--schedule-config', file, '--max-retries', '0'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const h = JSON.parse((await runCli(['history', '--json', '--schedule-config', file], { cwd: dir })).stdout) as { job: string; state: string }[];
  assert.deepEqual(h.map((o) => [o.job, o.state]), [['default', 'succeeded']]);
  const bad = await runCli(['--deploy', '--schedule-config', file, '--max-retries', 'x'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max-retries/);
});

test('--deploy --schedule maps to run (it keeps deploying until stopped)', async () => {
  const { dir, file } = project('deployment:\n  provider: shell\n  command: ["true"]\n');
  const stop = new AbortController();
  stop.abort('interrupted'); // already signalled: run starts, sees the signal, stops cleanly
  const r = await runCli(['--deploy', '--schedule', 'daily', '-c', file], { cwd: dir, signal: stop.signal });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /scheduler .* started with 1 scheduled job/);
  const status = JSON.parse((await runCli(['status', '--json', '-c', file], { cwd: dir })).stdout) as { schedule: string }[];
  assert.equal(status[0]!.schedule, null, 'the --schedule override applies to that run only, the file is unchanged');
});

test('why answers for a time that ran and for one that is not a fire time', async () => {
  const { dir, file } = project('deployments:\n  web: { schedule: "*/10s", provider: shell, command: ["true"] }\n');
  const clock = new FakeClock(Date.parse('2026-01-05T10:00:05Z'));
  await runCli(['run', '--once', '-c', file], { cwd: dir, clock });
  await clock.jumpTo(Date.parse('2026-01-05T10:00:12Z'));
  await runCli(['run', '--once', '-c', file], { cwd: dir, clock });
  const ran = await runCli(['why', 'web', '2026-01-05T10:00:10Z', '-c', file], { cwd: dir, clock });
  assert.match(ran.stdout, /succeeded/);
  assert.match(ran.stdout, /attempt 1: succeeded/);
  const not = await runCli(['why', 'web', '2026-01-05T10:00:13Z', '-c', file], { cwd: dir, clock });
  assert.match(not.stdout, /is not a fire time/);
});

test('G43 argo-cd#10425: windows explains which window decided (Monday allowed, Friday 15:00 blocked until Monday 09:00)', async () => {
  const { dir, file } = project(`deployments:
  web:
    schedule: "0 * * * *"
    provider: shell
    command: ["true"]
    windows:
      - { allow: "0 9 * * mon-thu", duration: 8h, name: office hours }
      - { allow: "0 9 * * fri", duration: 5h, name: friday }
`);
  const mon = JSON.parse((await runCli(['windows', 'web', '--at', '2026-01-05T10:00:00Z', '--json', '-c', file], { cwd: dir })).stdout) as Record<string, unknown>;
  assert.equal(mon.allowed, true);
  assert.match(String(mon.decided_by), /office hours/);
  const fri = await runCli(['windows', 'web', '--at', '2026-01-09T15:00:00Z', '-c', file], { cwd: dir });
  assert.equal(fri.code, 0, fri.stderr);
  assert.match(fri.stdout, /not allowed \(outside every allow window; the next to open is allow window "office hours" at 2026-01-12T09:00:00Z\)/);
  assert.match(fri.stdout, /next allowed: 2026-01-12T09:00:00Z/);
});

test('status, history and why on a project that never ran read an empty ledger and create nothing', async () => {
  const { dir, file } = project(`deployments:
  web:
    schedule: "daily"
    provider: shell
    command: ["true"]
`);
  const clock = new FakeClock(Date.parse('2026-01-05T10:00:05Z'));
  const status = await runCli(['status', '--json', '-c', file], { cwd: dir, clock });
  assert.equal(status.code, 0, status.stderr);
  // The note goes to stderr: --json stdout stays pure JSON.
  assert.match(status.stderr, /no ledger at .*shipclock\.db yet/);
  const rows = JSON.parse(status.stdout) as Record<string, unknown>[];
  assert.deepEqual(rows.map((r) => [r.job, r.last_state, r.state]), [['web', null, 'active']]);
  const history = await runCli(['history', '--json', '-c', file], { cwd: dir, clock });
  assert.equal(history.code, 0, history.stderr);
  assert.deepEqual(JSON.parse(history.stdout), []);
  const why = await runCli(['why', 'web', '2026-01-05T00:00:00Z', '-c', file], { cwd: dir, clock });
  assert.equal(why.code, 0, why.stderr);
  assert.match(why.stdout, /has not been decided yet/);
  assert.deepEqual(readdirSync(dir), ['shipclock.yaml'], 'no state directory or ledger file was created');
  // Once the ledger exists, the same commands read it (the job registered by run --once).
  assert.equal((await runCli(['run', '--once', '-c', file], { cwd: dir, clock })).code, 0);
  assert.ok(readdirSync(dir).length > 1);
  const after = await runCli(['history', '--json', '-c', file], { cwd: dir, clock });
  assert.equal(after.code, 0, after.stderr);
  assert.doesNotMatch(after.stderr, /no ledger/);
});
