/**
 * `windows`, `depends_on`, `on_failure`, `dependency_window`, `regions`, `waves`: resolved to
 * typed values by the real loader from real files, refused with positioned problems.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { load, loadError, only } from './config-fixture.js';

const jobs = (body: string): string => `deployments:\n${body}`;
const SH = 'provider: shell, command: ["./d.sh"]';

test('windows resolve to kind, schedule, duration and timezone (entry timezone beats the job\'s)', async () => {
  const { config } = await load(
    jobs(`  web:
    provider: shell
    command: ["./d.sh"]
    timezone: Europe/Berlin
    windows:
      - { allow: "0 9 * * mon-thu", duration: 8h, name: office hours }
      - { deny: "0 17 * * fri", duration: 64h, timezone: America/New_York }
`),
  );
  assert.deepEqual(config.jobs[0]!.windows, [
    { kind: 'allow', schedule: '0 9 * * mon-thu', durationMs: 8 * 3_600_000, timezone: 'Europe/Berlin', name: 'office hours' },
    { kind: 'deny', schedule: '0 17 * * fri', durationMs: 64 * 3_600_000, timezone: 'America/New_York', name: null },
  ]);
});

test('a job without scheduling keys gets empty values and on_failure block', async () => {
  const { config } = await load(jobs(`  web: { ${SH} }\n`));
  const job = config.jobs[0]!;
  assert.deepEqual([job.windows, job.dependsOn, job.onFailure, job.waves], [[], [], 'block', []]);
});

test('bad window entries are each refused at their line', async () => {
  const { problems } = await loadError(
    jobs(`  web:
    provider: shell
    command: ["./d.sh"]
    windows:
      - { allow: "0 9 * * mon-thu" }
      - { deny: "0 25 * * fri", duration: 64h }
      - { allow: "0 9 * * *", deny: "0 17 * * *", duration: 1h }
      - { deny: "0 17 * * fri", duration: 64h, timezone: Mars/Base }
      - { deny: "0 17 * * fri", durration: 64h }
      - { allow: daily, duration: soon }
`),
  );
  const byLine = problems.map((p) => [p.line, p.code, p.path]);
  assert.deepEqual(byLine, [
    [6, 'E_CONFIG_MISSING_KEY', 'deployments.web.windows[0]'],
    [7, 'E_SCHEDULE_RANGE', 'deployments.web.windows[1].deny'],
    [8, 'E_CONFIG_CONFLICT', 'deployments.web.windows[2]'],
    [9, 'E_TIMEZONE', 'deployments.web.windows[3].timezone'],
    [10, 'E_CONFIG_MISSING_KEY', 'deployments.web.windows[4]'],
    [10, 'E_CONFIG_UNKNOWN_KEY', 'deployments.web.windows[4].durration'],
    [11, 'E_DURATION', 'deployments.web.windows[5].duration'],
  ]);
  assert.match(problems[1]!.message, /deny "0 25 \* \* fri"/);
  assert.equal(problems[5]!.hint, 'did you mean `duration`?');
  assert.ok(problems.every((p) => p.excerpt), 'each with a caret excerpt');
});

test('depends_on: names, records with a window, dependency_window as the default window, on_failure', async () => {
  const { config } = await load(
    jobs(`  build: { schedule: "0 * * * *", ${SH} }
  migrate: { ${SH} }
  web:
    schedule: "0 * * * *"
    provider: shell
    command: ["./d.sh"]
    depends_on: [build, { job: migrate, window: 2h }]
    dependency_window: 30m
    on_failure: continue
  api:
    schedule: "0 * * * *"
    provider: shell
    command: ["./d.sh"]
    depends_on: build
`),
  );
  const web = config.jobs.find((j) => j.name === 'web')!;
  assert.deepEqual(web.dependsOn, [{ job: 'build', windowMs: 30 * 60_000 }, { job: 'migrate', windowMs: 2 * 3_600_000 }]);
  assert.equal(web.onFailure, 'continue');
  assert.deepEqual(config.jobs.find((j) => j.name === 'api')!.dependsOn, [{ job: 'build', windowMs: null }]);
});

test('an unknown dependency is refused at its entry, with a suggestion', async () => {
  const { problems } = await loadError(
    jobs(`  build: { schedule: "0 * * * *", ${SH} }
  web:
    schedule: "0 * * * *"
    provider: shell
    command: ["./d.sh"]
    depends_on: [biuld]
`),
  );
  const p = only(problems, 'E_CONFIG_UNKNOWN_JOB');
  assert.equal(p.path, 'deployments.web.depends_on[0]');
  assert.equal(p.line, 7);
  assert.equal(p.hint, 'did you mean `build`?');
});

test('cycles in depends_on are refused, including a job depending on itself', async () => {
  const { problems } = await loadError(
    jobs(`  a: { schedule: "0 * * * *", ${SH}, depends_on: [b] }
  b: { schedule: "0 * * * *", ${SH}, depends_on: [{ job: c }] }
  c: { schedule: "0 * * * *", ${SH}, depends_on: [a] }
  d: { schedule: "0 * * * *", ${SH}, depends_on: [d] }
  e: { schedule: "0 * * * *", ${SH}, depends_on: [a] }
`),
  );
  const cycles = problems.filter((p) => p.code === 'E_CONFIG_DEPENDENCY_CYCLE');
  assert.deepEqual(cycles.map((p) => [p.value, p.path, p.line]), [
    ['a → b → c → a', 'deployments.a.depends_on[0]', 2],
    ['d → d', 'deployments.d.depends_on[0]', 5],
  ]);
  assert.equal(problems.length, 2, 'e depends on a cycle but is not in one');
});

test('bad depends_on entries: duplicates, a bad window, an unknown key, on_failure out of range', async () => {
  const { problems } = await loadError(
    jobs(`  build: { schedule: "0 * * * *", ${SH} }
  web:
    schedule: "0 * * * *"
    provider: shell
    command: ["./d.sh"]
    depends_on: [build, build, { job: build, window: later }, { job: build, within: 1h }]
    on_failure: ignore
`),
  );
  assert.deepEqual(problems.map((p) => [p.code, p.path]).sort(), [
    ['E_CONFIG_DUPLICATE', 'deployments.web.depends_on[1]'],
    ['E_CONFIG_DUPLICATE', 'deployments.web.depends_on[2]'],
    ['E_CONFIG_DUPLICATE', 'deployments.web.depends_on[3]'],
    ['E_CONFIG_INVALID_VALUE', 'deployments.web.on_failure'],
    ['E_CONFIG_UNKNOWN_KEY', 'deployments.web.depends_on[3].within'],
    ['E_DURATION', 'deployments.web.depends_on[2].window'],
  ]);
  assert.ok(problems.every((p) => p.line !== undefined));
});

test('regions become one wave each; waves keep their grouping; both at once, duplicates and empty waves are refused', async () => {
  const { config } = await load(
    jobs(`  a: { ${SH}, regions: [us-east1, europe-west1] }
  b: { ${SH}, waves: [[us-east1], [europe-west1, asia-east1]] }
`),
  );
  assert.deepEqual(config.jobs[0]!.waves, [['us-east1'], ['europe-west1']]);
  assert.deepEqual(config.jobs[1]!.waves, [['us-east1'], ['europe-west1', 'asia-east1']]);

  const { problems } = await loadError(
    jobs(`  a: { ${SH}, regions: [us-east1], waves: [[us-east1]] }
  b: { ${SH}, waves: [[us-east1], [us-east1, "eu west"], []] }
`),
  );
  assert.deepEqual(problems.map((p) => [p.code, p.path]), [
    ['E_CONFIG_CONFLICT', 'deployments.a.waves'],
    ['E_CONFIG_DUPLICATE', 'deployments.b.waves[1][0]'],
    ['E_CONFIG_INVALID_VALUE', 'deployments.b.waves[1][1]'],
    ['E_CONFIG_INVALID_VALUE', 'deployments.b.waves[2]'],
  ]);
});

test('windows in defaults: apply to every job, each in its own timezone', async () => {
  const { config } = await load(`defaults:
  windows: [{ deny: "0 17 * * fri", duration: 64h }]
deployments:
  a: { ${SH}, timezone: Asia/Tokyo }
  b: { ${SH} }
`);
  assert.deepEqual(config.jobs.map((j) => j.windows![0]!.timezone), ['Asia/Tokyo', 'UTC']);
});
