import { strict as assert } from 'node:assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { expectInputError, load, loadError, only, tempDir, writeConfig } from './config-fixture.js';

const SHELL_JOB = 'deployment:\n  provider: shell\n  command: ["./deploy.sh"]\n';

test('built-in defaults (DESIGN.md §6) when the file says nothing', async () => {
  const { config, dir, file } = await load(SHELL_JOB);
  assert.equal(config.file, file);
  assert.equal(config.stateDir, join(dir, '.shipclock'));
  assert.deepEqual(config.store, { kind: 'sqlite', location: join(dir, '.shipclock', 'shipclock.db') });
  assert.equal(config.shutdownGraceMs, 5 * 60_000);
  assert.equal(config.smtp, null);
  assert.equal(config.dashboardUrl, null);
  const job = config.jobs[0];
  assert.ok(job);
  assert.deepEqual(
    {
      name: job.name,
      schedule: job.schedule,
      timezone: job.timezone,
      dst: job.dst,
      offsetMs: job.offsetMs,
      description: job.description,
      target: job.target,
      retry: job.retry,
      timeoutMs: job.timeoutMs,
      overlap: job.overlap,
      queueCap: job.queueCap,
      catchUp: job.catchUp,
      jitterMs: job.jitterMs,
      notifications: job.notifications,
      extra: job.extra,
    },
    {
      name: 'default',
      schedule: null,
      timezone: 'UTC',
      dst: { gap: 'shift', repeat: 'once' },
      offsetMs: 0,
      description: null,
      target: 'default',
      retry: { maxRetries: 3, baseMs: 30_000, capMs: 600_000 },
      timeoutMs: 1_800_000,
      overlap: 'skip',
      queueCap: 10,
      catchUp: { mode: 'latest', windowMs: 3_600_000, max: 100 },
      jitterMs: 0,
      notifications: null,
      extra: {},
    },
  );
  assert.deepEqual(job.source, { file, line: 1, col: 1 });
});

test('precedence: defaults < file < env < flags, for state dir, store and job values', async () => {
  const text = [
    'state_dir: ./file-state',
    'store: ./file.db',
    'timezone: Europe/Berlin',
    'deployment:',
    '  provider: shell',
    '  command: ["./deploy.sh"]',
    '  schedule: daily',
    '  max_retries: 5',
    '  timeout: 10m',
    '',
  ].join('\n');
  const { dir, file } = await writeConfig(text);
  const cwd = await tempDir(); // not the config's folder: file paths and env/flag paths differ
  const at = (env: Record<string, string>, flags = {}) => loadConfig({ file, cwd, env, flags });

  const fromFile = await at({});
  assert.equal(fromFile.stateDir, join(dir, 'file-state'));
  assert.deepEqual(fromFile.store, { kind: 'sqlite', location: join(dir, 'file.db') });
  assert.deepEqual([fromFile.jobs[0]?.timezone, fromFile.jobs[0]?.retry.maxRetries, fromFile.jobs[0]?.timeoutMs], ['Europe/Berlin', 5, 600_000]);

  const env = { SHIPCLOCK_STATE: 'env-state', SHIPCLOCK_STORE: 'postgres://u:pw@db.example.com/ship', DATABASE_URL: 'postgres://other/x' };
  const fromEnv = await at(env);
  assert.equal(fromEnv.stateDir, join(cwd, 'env-state'));
  assert.deepEqual(fromEnv.store, { kind: 'postgres', location: 'postgres://u:pw@db.example.com/ship' });

  const onlyDbUrl = await at({ DATABASE_URL: 'postgresql://other/x' });
  assert.deepEqual(onlyDbUrl.store, { kind: 'postgres', location: 'postgresql://other/x' });
  const mysqlUrl = await at({ DATABASE_URL: 'mysql://app/x' });
  assert.equal(mysqlUrl.store.kind, 'sqlite');
  assert.ok(mysqlUrl.notices.some((n) => n.includes('DATABASE_URL')));

  const fromFlags = await at(env, { state: 'flag-state', store: 'flag.db', maxRetries: '1', timezone: 'Asia/Tokyo', timeout: '45s', schedule: '*/6h' });
  assert.equal(fromFlags.stateDir, join(cwd, 'flag-state'));
  assert.deepEqual(fromFlags.store, { kind: 'sqlite', location: join(cwd, 'flag.db') });
  const j = fromFlags.jobs[0];
  assert.deepEqual([j?.timezone, j?.retry.maxRetries, j?.timeoutMs, j?.schedule], ['Asia/Tokyo', 1, 45_000, '*/6h']);
});

test('the SQLite file follows the state dir unless the store is named', async () => {
  const { file } = await writeConfig(SHELL_JOB);
  const cwd = await tempDir();
  const c = await loadConfig({ file, cwd, env: {}, flags: { state: 'st' } });
  assert.equal(c.store.location, join(cwd, 'st', 'shipclock.db'));
});

test('job values: built-in < top-level timezone < `defaults:` < the job block', async () => {
  const text = [
    'timezone: Europe/Berlin',
    'defaults:',
    '  max_retries: 7',
    '  overlap: queue_one',
    '  notifications: { email: ops@example.com }',
    'deployments:',
    '  web:',
    '    provider: shell',
    '    command: [./web.sh]',
    '    timezone: Asia/Shanghai',
    '    max_retries: 1',
    '    notifications: { on_success: true }',
    '  api:',
    '    provider: shell',
    '    command: [./api.sh]',
    '    retry_on_failure: false',
    '    notifications: null',
    '',
  ].join('\n');
  const { config } = await load(text);
  const [web, api] = config.jobs;
  assert.deepEqual([web?.timezone, web?.retry.maxRetries, web?.overlap], ['Asia/Shanghai', 1, 'queue_one']);
  assert.deepEqual(web?.notifications, { email: ['ops@example.com'], onSuccess: true, onFailure: true, webhooks: [] });
  assert.deepEqual([api?.timezone, api?.retry.maxRetries, api?.overlap, api?.notifications], ['Europe/Berlin', 0, 'queue_one', null]);
});

test('retry_on_failure: false means no retries, unless --max-retries asks for some', async () => {
  const text = `${SHELL_JOB}  retry_on_failure: false\n  max_retries: 4\n`;
  const off = (await load(text)).config;
  assert.equal(off.jobs[0]?.retry.maxRetries, 0);
  assert.ok(off.notices.some((n) => n.includes('max_retries: 4 has no effect')));
  assert.equal((await load(text, { flags: { maxRetries: 2 } })).config.jobs[0]?.retry.maxRetries, 2);
});

test('--max-retries must be an integer >= 0', async () => {
  for (const bad of ['-1', 'three', '1.5', '', '101']) {
    const { problems } = await loadError(SHELL_JOB, { flags: { maxRetries: bad } });
    const p = only(problems, 'E_CONFIG_INVALID_VALUE');
    assert.equal(p.path, '--max-retries');
    assert.equal(p.value, bad);
  }
  assert.equal((await load(SHELL_JOB, { flags: { maxRetries: '0' } })).config.jobs[0]?.retry.maxRetries, 0);
});

test('bad --tz and --timeout are refused by flag name, together with file problems', async () => {
  const { problems } = await loadError(`${SHELL_JOB}  max_retries: -3\n`, { flags: { timezone: 'Mars/Olympus', timeout: 'soon' } });
  assert.deepEqual(problems.map((p) => [p.code, p.path]), [
    ['E_CONFIG_INVALID_VALUE', 'deployment.max_retries'],
    ['E_TIMEZONE', '--tz'],
    ['E_DURATION', '--timeout'],
  ]);
  const none = await load(SHELL_JOB, { flags: { timeout: 'none' } });
  assert.equal(none.config.jobs[0]?.timeoutMs, null);
});

const TWO_JOBS = 'deployments:\n  web: { provider: shell, command: [a], schedule: daily }\n  api: { provider: shell, command: [b], schedule: hourly }\n';

test('--schedule needs a job when there are several; with one selected only it changes', async () => {
  const { problems } = await loadError(TWO_JOBS, { flags: { schedule: '*/5m' } });
  assert.match(only(problems, 'E_CONFIG_AMBIGUOUS_JOB').allowed ?? '', /web, api/);

  const { config } = await load(TWO_JOBS, { flags: { schedule: '*/5m', job: 'api', maxRetries: 9 } });
  assert.deepEqual(config.jobs.map((j) => [j.name, j.schedule, j.retry.maxRetries]), [
    ['web', 'daily', 3],
    ['api', '*/5m', 9],
  ]);
});

test('without a selected job, --max-retries and --tz apply to every job', async () => {
  const { config } = await load(TWO_JOBS, { flags: { maxRetries: 0, timezone: 'Asia/Tokyo' } });
  assert.deepEqual(config.jobs.map((j) => [j.retry.maxRetries, j.timezone]), [
    [0, 'Asia/Tokyo'],
    [0, 'Asia/Tokyo'],
  ]);
});

test('selecting a job that does not exist suggests the closest name', async () => {
  const { problems } = await loadError(TWO_JOBS, { flags: { job: 'wbe' } });
  const p = only(problems, 'E_CONFIG_UNKNOWN_JOB');
  assert.equal(p.hint, 'did you mean `web`?');
});

test('no file and only flags: a one-job config (the original command line)', async () => {
  const cwd = await tempDir();
  const c = await loadConfig({ file: null, cwd, env: {}, flags: { provider: 'shell', schedule: 'daily', maxRetries: '2', settings: { command: ['./deploy.sh'] } } });
  assert.equal(c.file, null);
  assert.equal(c.stateDir, join(cwd, '.shipclock'));
  assert.deepEqual(
    c.jobs.map((j) => [j.name, j.schedule, j.provider, j.retry.maxRetries, j.source]),
    [['default', 'daily', { kind: 'shell', settings: { command: ['./deploy.sh'] } }, 2, undefined]],
  );
});

test('no file, flags name a provider but not its settings: the missing setting is named', async () => {
  const cwd = await tempDir();
  const e = await expectInputError(loadConfig({ file: null, cwd, env: {}, flags: { provider: 'shell' } }));
  const p = only(e.problems, 'E_CONFIG_MISSING_KEY');
  assert.equal(p.path, '--provider command');
  assert.equal(p.message, 'provider `shell` needs `command`');
});

test('a missing default shipclock.yaml is an error naming the file looked for, unless flags suffice', async () => {
  const cwd = await tempDir();
  const e = await expectInputError(loadConfig({ file: null, cwd, env: {}, flags: { schedule: 'daily' } }));
  const p = only(e.problems, 'E_CONFIG_NOT_FOUND');
  assert.equal(p.file, join(cwd, 'shipclock.yaml'));
  assert.match(p.message, /looked for .*shipclock\.yaml/);
});

test('a named config file that does not exist is an error even when flags would suffice', async () => {
  const cwd = await tempDir();
  const e = await expectInputError(loadConfig({ file: 'nope.yaml', cwd, env: {}, flags: { provider: 'shell' } }));
  assert.equal(only(e.problems, 'E_CONFIG_NOT_FOUND').file, join(cwd, 'nope.yaml'));
  await mkdir(join(cwd, 'dir.yaml'));
  const dirErr = await expectInputError(loadConfig({ file: 'dir.yaml', cwd, env: {}, flags: {} }));
  only(dirErr.problems, 'E_CONFIG_UNREADABLE');
});

test('the default shipclock.yaml in the current folder is found without naming it', async () => {
  const cwd = await tempDir();
  await writeFile(join(cwd, 'shipclock.yaml'), SHELL_JOB);
  const c = await loadConfig({ file: null, cwd, env: {}, flags: {} });
  assert.equal(c.file, join(cwd, 'shipclock.yaml'));
});

test('inputs are not mutated', async () => {
  const flags = Object.freeze({ provider: 'shell', settings: Object.freeze({ command: Object.freeze(['x']) }) });
  const env = Object.freeze({ SHIPCLOCK_STATE: 's' });
  const cwd = await tempDir();
  const c = await loadConfig({ file: null, cwd, env, flags });
  assert.equal(c.stateDir, join(cwd, 's'));
});
