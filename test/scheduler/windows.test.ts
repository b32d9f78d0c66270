/**
 * Deploy windows: the pure DeployWindows answers (windowsAt, nextAllowed, explain) and the real
 * Scheduler holding or blocking occurrences on a fake clock (scheduler-scenarios.md G43).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { occurrenceJson } from '../../src/cli/views.js';
import type { DeployWindowConfig } from '../../src/config/types.js';
import { requestRun } from '../../src/scheduler/operations.js';
import { DeployWindows } from '../../src/scheduler/windows.js';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

const H = 3_600_000;
const win = (kind: 'allow' | 'deny', schedule: string, hours: number, timezone = 'UTC', name: string | null = null): DeployWindowConfig => ({
  kind,
  schedule,
  durationMs: hours * H,
  timezone,
  name,
});
// argo-cd#10425: two allow windows, Mon–Thu 09–17 and Fri 09–14.
const ARGO = [win('allow', '0 9 * * mon-thu', 8), win('allow', '0 9 * * fri', 5)];

test('windowsAt: the opening in force at t, half-open [start, start + duration)', () => {
  const w = new DeployWindows(ARGO);
  assert.deepEqual(w.at(at('2026-01-05T10:00:00Z')).map((i) => [i.window.schedule, new Date(i.startMs).toISOString(), new Date(i.endMs).toISOString()]), [
    ['0 9 * * mon-thu', '2026-01-05T09:00:00.000Z', '2026-01-05T17:00:00.000Z'],
  ]);
  assert.deepEqual(w.at(at('2026-01-05T17:00:00Z')), [], 'closed at its end instant');
  assert.equal(w.at(at('2026-01-05T09:00:00Z')).length, 1, 'open at its start instant');
});

test('argo-cd#10425: an inactive allow window never blocks the active one', () => {
  const w = new DeployWindows(ARGO);
  assert.equal(w.allowed(at('2026-01-05T10:00:00Z')), true, 'Monday 10:00');
  assert.equal(w.allowed(at('2026-01-09T10:00:00Z')), true, 'Friday 10:00 (only the Friday window is open)');
  assert.equal(w.allowed(at('2026-01-09T15:00:00Z')), false, 'Friday 15:00');
  assert.equal(w.nextAllowed(at('2026-01-09T15:00:00Z')), at('2026-01-12T09:00:00Z'), 'Monday 09:00');
  const ex = w.explain(at('2026-01-09T15:00:00Z'));
  assert.equal(ex.allowed, false);
  assert.equal(ex.decidedBy?.window.schedule, '0 9 * * mon-thu', 'the window that opens next decided');
  assert.match(ex.reason, /outside every allow window; the next to open is allow "0 9 \* \* mon-thu" for 8h \(UTC\) at 2026-01-12T09:00:00Z/);
});

test('deny beats allow; nextAllowed hops over chained denies, in the window\'s timezone', () => {
  const w = new DeployWindows([
    win('allow', '0 8 * * *', 12, 'Europe/Berlin'),
    win('deny', '0 17 * * fri', 64, 'Europe/Berlin', 'weekend freeze'),
    win('deny', '0 8 * * mon', 2, 'Europe/Berlin', 'monday standup'),
  ]);
  // Friday 2026-01-09 17:30 Berlin = 16:30 UTC: inside the allow window and the freeze.
  const t = at('2026-01-09T16:30:00Z');
  assert.equal(w.allowed(t), false);
  const ex = w.explain(t);
  assert.equal(ex.decidedBy?.label, 'deny window "weekend freeze"');
  assert.match(ex.reason, /open 2026-01-09T17:00:00\+01:00 → 2026-01-12T09:00:00\+01:00/);
  // Freeze ends Monday 09:00 Berlin, but the standup deny runs to 10:00 Berlin (09:00 UTC).
  assert.equal(w.nextAllowed(t), at('2026-01-12T09:00:00Z'));
});

test('no windows: always allowed; a deny that never ends: no allowed moment (null), found without scanning minutes', () => {
  assert.equal(new DeployWindows([]).nextAllowed(0), 0);
  const never = new DeployWindows([win('deny', '0 0 * * *', 25)]);
  const started = performance.now();
  assert.equal(never.nextAllowed(at('2026-01-05T10:00:00Z')), null);
  assert.ok(performance.now() - started < 500, 'bounded hops');
});

test('G43 argo-cd#10425 through the scheduler: Monday 10:00 deploys; Friday 15:00 is blocked_window naming the window (catch_up_window 1h)', async () => {
  const yaml = oneJob(`schedule: "0 10,15 * * mon,fri"
windows:
  - { allow: "0 9 * * mon-thu", duration: 8h }
  - { allow: "0 9 * * fri", duration: 5h }`);
  await using h = await createHarness({ yaml, start: at('2026-01-05T09:30:00Z'), durationMs: 60_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T16:00:00Z'));
  // The schedule has no fire from Monday 15:00 to Friday 10:00: skip those days of polling.
  await h.scheduler.stop();
  await h.clock.jumpTo(at('2026-01-09T09:30:00Z'));
  await h.restart().start();
  await h.clock.advanceTo(at('2026-01-09T16:00:00Z'));
  assert.deepEqual(await h.states(), {
    '2026-01-05T10:00:00.000Z': 'succeeded',
    '2026-01-05T15:00:00.000Z': 'succeeded',
    '2026-01-09T10:00:00.000Z': 'succeeded',
    '2026-01-09T15:00:00.000Z': 'blocked_window',
  });
  const blocked = (await h.ledger()).at(-1)!;
  assert.match(blocked.reason!, /outside every allow window; the next to open is allow "0 9 \* \* mon-thu" for 8h \(UTC\) at 2026-01-12T09:00:00Z/);
  assert.match(blocked.reason!, /past catch_up_window \(1h\)/);
  assert.equal(blocked.detail?.['window'], 'allow "0 9 * * mon-thu" for 8h (UTC)');
  const json = occurrenceJson(blocked, []);
  assert.equal(json.detail?.['next_allowed'], '2026-01-12T09:00:00.000Z', 'history --json shows what decided');
  assert.equal(blocked.endedMs, at('2026-01-09T15:00:00Z'), 'decided at once, not after waiting out the window');
});

test('G43 with catch_up_window 3d: Friday 15:00 waits and deploys at Monday 09:00 exactly', async () => {
  const yaml = oneJob(`schedule: "0 15 * * fri"
catch_up_window: 3d
windows:
  - { allow: "0 9 * * mon-thu", duration: 8h }
  - { allow: "0 9 * * fri", duration: 5h }`);
  await using h = await createHarness({ yaml, start: at('2026-01-09T14:00:00Z'), durationMs: 60_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-12T08:59:59Z'));
  assert.deepEqual(await h.states(), { '2026-01-09T15:00:00.000Z': 'pending' }, 'held, still pending over the weekend');
  await h.clock.advanceTo(at('2026-01-12T09:05:00Z'));
  assert.deepEqual(await h.states(), { '2026-01-09T15:00:00.000Z': 'succeeded' });
  assert.equal(h.provider.receipts[0]!.start, at('2026-01-12T09:00:00Z'));
});

test('weekend freeze on an hourly job: every frozen hour is blocked_window; the last held hour gives way to the hour that opens the window', async () => {
  const yaml = oneJob(`schedule: "0 * * * *"
timezone: Europe/Berlin
windows: [{ deny: "0 17 * * fri", duration: 64h }]`);
  await using h = await createHarness({ yaml, start: at('2026-01-09T14:30:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-12T08:30:00Z')); // Monday 09:30 Berlin
  const ledger = await h.ledger();
  const count = (s: string): number => ledger.filter((o) => o.state === s).length;
  // Friday 16:00 Berlin ran; 17:00 Friday … 07:00 Monday (63 hours) blocked; 08:00 held and superseded by 09:00.
  assert.equal(count('blocked_window'), 63);
  assert.equal(count('superseded'), 1);
  assert.deepEqual(
    h.provider.receipts.map((r) => r.nominal),
    ['2026-01-09T15:00:00.000Z', '2026-01-12T08:00:00.000Z'],
  );
  assert.equal(h.provider.receipts[1]!.start, at('2026-01-12T08:00:00Z'), 'Monday 09:00 Berlin, on time');
  const superseded = ledger.find((o) => o.state === 'superseded')!;
  assert.equal(superseded.nominalMs, at('2026-01-12T07:00:00Z'));
  assert.match(superseded.reason!, /deploy window: held until .*superseded by the occurrence for 2026-01-12T08:00:00.000Z/);
});

test('a manual trigger inside a deny window waits for it; trigger --force deploys at once', async () => {
  const yaml = oneJob(`windows: [{ deny: "0 17 * * fri", duration: 64h }]
catch_up_window: 30m`);
  await using h = await createHarness({ yaml, start: at('2026-01-09T18:00:00Z'), durationMs: 1_000 });
  await h.scheduler.start();
  const plain = await requestRun(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:alice' });
  const forced = await requestRun(h.store, h.job(), { nowMs: h.clock.now(), by: 'cli:bob', force: true });
  h.scheduler.poke();
  await h.clock.advance(60_000);
  assert.equal((await h.store.getOccurrence(forced.id))!.state, 'succeeded', '--force overrides the window');
  const blocked = (await h.store.getOccurrence(plain.id))!;
  assert.equal(blocked.state, 'blocked_window', 'Monday 09:00 is past 30m from the request');
  assert.match(blocked.reason!, /inside deny "0 17 \* \* fri" for 64h \(UTC\), open 2026-01-09T17:00:00Z → 2026-01-12T09:00:00Z/);
});

test('effectiveNext: the next deploy the schedule and windows allow together (status NEXT)', async () => {
  const { parseSchedule } = await import('../../src/calendar/index.js');
  const { effectiveNext } = await import('../../src/scheduler/windows.js');
  const base = { name: 'job', jitterMs: 0, catchUp: { mode: 'latest' as const, windowMs: H, max: 100 } };
  const hourly = parseSchedule('0 * * * *');
  const job = { ...base, windows: [win('deny', '0 17 * * fri', 64)] } as unknown as Parameters<typeof effectiveNext>[0];
  // Friday 16:30: 17:00 … Monday 07:00 are blocked; 08:00 is held to 09:00, where 09:00 stands for it.
  const e = effectiveNext(job, hourly, at('2026-01-09T17:30:00Z'), (t) => t)!;
  assert.deepEqual([new Date(e.nominalMs).toISOString(), new Date(e.atMs).toISOString(), e.heldBy], ['2026-01-12T09:00:00.000Z', '2026-01-12T09:00:00.000Z', null]);
  // A daily 08:30 job with the same freeze: Monday 08:30 is held to 09:00.
  const e2 = effectiveNext(job, parseSchedule('30 8 * * *'), at('2026-01-09T17:30:00Z'), (t) => t)!;
  assert.equal(new Date(e2.atMs).toISOString(), '2026-01-12T09:00:00.000Z');
  assert.equal(new Date(e2.nominalMs).toISOString(), '2026-01-12T08:30:00.000Z');
  assert.match(e2.heldBy!, /inside deny "0 17 \* \* fri" for 64h/);
});

test('status shows the effective next deploy: --json effective_next and effective_reason, the table\'s NEXT', async () => {
  const { runCli } = await import('../helpers/cli.js');
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const yaml = `state_dir: ./state
deployments:
  job:
    provider: shell
    command: ["true"]
    schedule: "30 8 * * *"
    windows: [{ deny: "0 17 * * fri", duration: 64h }]
`;
  await using h = await createHarness({ yaml: oneJob('schedule: "30 8 * * *"'), start: at('2026-01-09T17:30:00Z') });
  writeFileSync(join(h.dir, 'cli.yaml'), yaml);
  const { FakeClock } = await import('../helpers/fake-clock.js');
  const clock = new FakeClock(at('2026-01-09T17:30:00Z'));
  const status = await runCli(['status', '-c', join(h.dir, 'cli.yaml'), '--json'], { cwd: h.dir, clock });
  assert.equal(status.code, 0, status.stderr);
  const [row] = JSON.parse(status.stdout) as Record<string, unknown>[];
  assert.equal(row!['next_time'], '2026-01-10T08:30:00Z', 'the schedule alone');
  assert.equal(row!['effective_next'], '2026-01-12T09:00:00Z', 'Saturday, Sunday blocked; Monday 08:30 held to 09:00');
  assert.match(String(row!['effective_reason']), /deny "0 17 \* \* fri"/);
  const table = await runCli(['status', '-c', join(h.dir, 'cli.yaml')], { cwd: h.dir, clock });
  assert.match(table.stdout, /2026-01-12T09:00:00Z/);
});

test('end to end through the CLI with a real process: `deploy` inside a deny window is blocked_window (exit 1) without running; --force deploys', async () => {
  const { runCli } = await import('../helpers/cli.js');
  const { existsSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-windows-cli-'));
  try {
    const marker = join(dir, 'deployed');
    const file = join(dir, 'shipclock.yaml');
    // A deny window that is always open (25 h from every midnight): no allowed moment at all.
    writeFileSync(file, `state_dir: ./state
deployments:
  web:
    provider: shell
    command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`)}]
    windows: [{ deny: "0 0 * * *", duration: 25h, name: change freeze }]
`);
    const blocked = await runCli(['deploy', 'web', '-c', file], { cwd: dir });
    assert.equal(blocked.code, 1);
    assert.equal(existsSync(marker), false, 'nothing ran');
    const forced = await runCli(['deploy', 'web', '--force', '-c', file], { cwd: dir });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(existsSync(marker), true);
    const history = JSON.parse((await runCli(['history', 'web', '--json', '-c', file], { cwd: dir })).stdout) as { state: string; reason: string }[];
    assert.deepEqual(history.map((o) => o.state), ['succeeded', 'blocked_window']);
    assert.match(history[1]!.reason, /deploy window: inside deny window "change freeze"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
