import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { load, loadError, only } from './config-fixture.js';

const job = (extra: string): string => `deployment:\n  provider: shell\n  command: ["./deploy.sh"]\n${extra}`;

test('`max_retries: -1` is refused at its value with the allowed range', async () => {
  const { problems, file } = await loadError(job('  max_retries: -1\n'));
  const p = only(problems, 'E_CONFIG_INVALID_VALUE');
  assert.deepEqual([p.file, p.line, p.col, p.path, p.value], [file, 4, 16, 'deployment.max_retries', -1]);
  assert.equal(p.allowed, 'an integer from 0 to 100');
});

test('max_retries must be a whole number, and retry_on_failure a boolean (YAML 1.2: `yes` is a string)', async () => {
  const { problems } = await loadError(job('  max_retries: 2.5\n  retry_on_failure: yes\n'));
  assert.deepEqual(
    problems.map((p) => [p.path, p.value]),
    [
      ['deployment.max_retries', 2.5],
      ['deployment.retry_on_failure', 'yes'],
    ],
  );
  assert.equal(problems[1]?.allowed, 'true or false');
});

test('an unknown timezone is refused at its value, with a suggestion', async () => {
  const { problems } = await loadError(job('  timezone: Asia/Shangai\n'));
  const p = only(problems, 'E_TIMEZONE');
  assert.deepEqual([p.line, p.col, p.path, p.value], [4, 13, 'deployment.timezone', 'Asia/Shangai']);
  assert.equal(p.hint, 'did you mean `Asia/Shanghai`?');
  const mars = await loadError(job('  timezone: Mars/Olympus\n'));
  assert.match(only(mars.problems, 'E_TIMEZONE').allowed ?? '', /IANA/);
});

test('offsets are not timezone names', async () => {
  const { problems } = await loadError(job('  timezone: "+05:00"\n'));
  only(problems, 'E_TIMEZONE');
});

test('durations: bad units, bare numbers and `none` where not allowed', async () => {
  const text = job('  timeout: 30 minutes\n  jitter: 5\n  catch_up_window: none\n  retry_backoff: { base: 1x }\n');
  const { problems } = await loadError(text);
  assert.deepEqual(
    problems.map((p) => [p.code, p.path, p.line]),
    [
      ['E_DURATION', 'deployment.timeout', 4],
      ['E_DURATION', 'deployment.jitter', 5],
      ['E_DURATION', 'deployment.catch_up_window', 6],
      ['E_DURATION', 'deployment.retry_backoff.base', 7],
    ],
  );
  assert.match(problems[1]?.hint ?? '', /`5s`/);
});

test('enumerations list their choices and suggest the closest', async () => {
  const { problems } = await loadError(job('  overlap: skipp\n  catch_up: everything\n  dst: { gap: jump }\n'));
  assert.equal(problems.length, 3);
  assert.equal(problems[0]?.hint, 'did you mean `skip`?');
  assert.equal(problems[0]?.allowed, 'skip, queue_one, queue_all, cancel_running, allow');
  assert.equal(problems[1]?.allowed, 'latest, all, none');
  assert.equal(problems[2]?.path, 'deployment.dst.gap');
});

test('email addresses are checked one by one, at their position in the list', async () => {
  const { problems } = await loadError(job('  notifications:\n    email: [ops@example.com, "not an address", dev@localhost]\n'));
  const p = only(problems, 'E_CONFIG_EMAIL');
  assert.equal(p.path, 'deployment.notifications.email[1]');
  assert.equal(p.line, 5);
  assert.equal(p.col, 30);
});

test('webhook entries are checked by the notify module rules, with file positions', async () => {
  const { problems } = await loadError(job('  notifications:\n    webhooks:\n      - url: "ftp://example.com/hook"\n'));
  const p = problems.find((x) => x.path === 'deployment.notifications.webhooks[0].url');
  if (!p) return assert.fail(JSON.stringify(problems));
  assert.equal(p.line, 6);
});

test('a literal SMTP password is refused without echoing it', async () => {
  const text = `${job('')}smtp:\n  host: smtp.example.com\n  password: hunter2-secret\n`;
  const { problems, error } = await loadError(text);
  const p = only(problems, 'E_CONFIG_SECRET_IN_FILE');
  assert.equal(p.line, 6);
  assert.match(p.hint ?? '', /password_env/);
  assert.equal(p.value, undefined);
  assert.ok(!error.message.includes('hunter2'), error.message);
});

test('smtp: port range, unknown key, and resolved defaults', async () => {
  const bad = await loadError(`${job('')}smtp: { host: mail.example.com, port: 70000, usr: me }\n`);
  assert.deepEqual(bad.problems.map((p) => p.path), ['smtp.port', 'smtp.usr']);
  assert.equal(bad.problems[1]?.hint, 'did you mean `user`?');

  const { config } = await load(`${job('')}smtp: { host: mail.example.com, user: ops@example.com, password_env: SMTP_PW }\n`, { env: { SMTP_PW: 'x' } });
  assert.deepEqual(config.smtp, { host: 'mail.example.com', port: 587, secure: false, user: 'ops@example.com', passwordEnv: 'SMTP_PW', from: 'ops@example.com' });
  const tls = await load(`${job('')}smtp: { host: mail.example.com, port: 465 }\n`);
  assert.equal(tls.config.smtp?.secure, true);
});

test('dashboard_url must be http(s); store must be a path or a postgres URL', async () => {
  const { problems } = await loadError(`${job('')}dashboard_url: "not a url"\nstore: "mysql://db/x"\n`);
  assert.deepEqual(problems.map((p) => [p.code, p.path]), [
    ['E_CONFIG_INVALID_VALUE', 'dashboard_url'],
    ['E_CONFIG_STORE', 'store'],
  ]);
});

test('scheduling keys kept raw must still have the right shape', async () => {
  const { problems } = await loadError(job('  depends_on: 5\n  regions: eu-west-1\n  waves: [eu, [us]]\n  windows: [deny]\n  idempotent: maybe\n'));
  assert.deepEqual(problems.map((p) => p.path), [
    'deployment.depends_on',
    'deployment.regions',
    'deployment.waves[0]',
    'deployment.windows[0]',
    'deployment.idempotent',
  ]);
});

test('several problems in one file are all reported at once, in file order', async () => {
  const text = [
    'timezone: Nowhere/Land',
    'deployments:',
    '  web:',
    '    shedule: daily',
    '    provider: shell',
    '    command: ["./deploy.sh"]',
    '    max_retries: -1',
    '  api:',
    '    provider: shel',
    '    timeout: forever',
    '',
  ].join('\n');
  const { problems } = await loadError(text);
  assert.deepEqual(
    problems.map((p) => [p.line, p.code]),
    [
      [1, 'E_TIMEZONE'],
      [4, 'E_CONFIG_UNKNOWN_KEY'],
      [7, 'E_CONFIG_INVALID_VALUE'],
      [9, 'E_CONFIG_UNKNOWN_PROVIDER'],
      [10, 'E_DURATION'],
    ],
  );
  assert.equal(problems[3]?.hint, 'did you mean `shell`?');
});

test('a bad value in `defaults:` is reported once, not once per job', async () => {
  const text = 'defaults:\n  max_retries: many\ndeployments:\n  a: { provider: shell, command: [x] }\n  b: { provider: shell, command: [y] }\n';
  const { problems } = await loadError(text);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.path, 'defaults.max_retries');
});

test('`defaults:` refuses keys that name one job', async () => {
  const { problems } = await loadError('defaults:\n  target: web\ndeployment:\n  provider: shell\n  command: [x]\n');
  const p = only(problems, 'E_CONFIG_NOT_A_DEFAULT');
  assert.equal(p.line, 2);
});

test('retry_backoff cap below base is refused', async () => {
  const { problems } = await loadError(job('  retry_backoff: { base: 10m, cap: 30s }\n'));
  const p = only(problems, 'E_CONFIG_INVALID_VALUE');
  assert.equal(p.path, 'deployment.retry_backoff.cap');
});

test('wrong shapes: a job block that is not a mapping, deployments as a list, provider as a number, a bad `name:`', async () => {
  assert.equal(only((await loadError('deployment: 5\n')).problems, 'E_CONFIG_INVALID_VALUE').path, 'deployment');
  assert.equal(only((await loadError('deployments: [web]\n')).problems, 'E_CONFIG_INVALID_VALUE').path, 'deployments');
  const p = (await loadError('deployment:\n  provider: 5\n  command: [x]\n')).problems.find((x) => x.path === 'deployment.provider');
  assert.equal(p?.code, 'E_CONFIG_INVALID_VALUE');
  assert.match(p?.allowed ?? '', /provider kind/);
  assert.equal(only((await loadError(job('  name: Nightly Job\n'))).problems, 'E_CONFIG_JOB_NAME').path, 'deployment.name');
});

test('a PostgreSQL URL that cannot be parsed is refused without echoing it', async () => {
  const { problems, error } = await loadError(`${job('')}store: "postgres://user:pa ss@[bad/x"\n`);
  const p = only(problems, 'E_CONFIG_STORE');
  assert.equal(p.value, undefined);
  assert.equal(p.excerpt, undefined);
  assert.ok(!error.message.includes('pa ss'));
});
