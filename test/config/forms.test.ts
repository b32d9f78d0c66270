import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeConfig, formatConfigSummary } from '../../src/config/index.js';
import { load, loadError, only } from './config-fixture.js';

/** The original tool's block, byte for byte. */
const ORIGINAL = `deployment:
  schedule: "0 2 * * *"
  timezone: "Asia/Shanghai"
  retry_on_failure: true
  max_retries: 3
  notifications: { email: "devops@example.com", on_success: true, on_failure: true }
`;

test('the original single-deployment block, verbatim, plus a provider', async () => {
  const { config } = await load(`${ORIGINAL}  provider: shell\n  command: ["./deploy.sh"]\n`);
  assert.equal(config.jobs.length, 1);
  const job = config.jobs[0];
  assert.ok(job);
  assert.equal(job.name, 'default');
  assert.equal(job.schedule, '0 2 * * *');
  assert.equal(job.timezone, 'Asia/Shanghai');
  assert.deepEqual(job.retry, { maxRetries: 3, baseMs: 30_000, capMs: 600_000 });
  assert.deepEqual(job.notifications, { email: ['devops@example.com'], onSuccess: true, onFailure: true, webhooks: [] });
  assert.deepEqual(job.provider, { kind: 'shell', settings: { command: ['./deploy.sh'] } });
  // Notifications are accepted and the operator is told what the config cannot check.
  assert.ok(config.notices.some((n) => n.includes('notifications checked') && n.includes('devops@example.com')));
  assert.ok(config.notices.some((n) => n.includes('no `smtp:` block')));
});

test('the original block alone: every key is accepted; only the missing provider is reported', async () => {
  const { problems } = await loadError(ORIGINAL);
  assert.equal(problems.length, 1);
  const p = only(problems, 'E_CONFIG_NO_PROVIDER');
  assert.equal(p.line, 1);
  assert.match(p.hint ?? '', /provider: shell/);
});

test('the original block with --provider and its settings from the command line', async () => {
  const { config } = await load(ORIGINAL, { flags: { provider: 'shell', settings: { command: ['./deploy.sh'] } } });
  assert.equal(config.jobs[0]?.provider.kind, 'shell');
});

test('`name:` names the single block\'s job', async () => {
  const { config } = await load('deployment:\n  name: nightly\n  provider: shell\n  command: [x]\n');
  assert.equal(config.jobs[0]?.name, 'nightly');
  assert.equal(config.jobs[0]?.target, 'nightly');
});

test('multi-job form with every job key', async () => {
  const text = `
deployments:
  web:
    description: the web app
    schedule: "*/6h"
    offset: 5m
    timezone: Europe/Berlin
    dst: { gap: skip, repeat: both }
    provider: shell
    command: ["./deploy.sh", "web"]
    target: frontend
    retry_backoff: { base: 10s, cap: 1h }
    timeout: 1h30m
    overlap: queue_all
    queue_cap: 4
    catch_up: all
    catch_up_window: 6h
    max_catch_up: 12
    jitter: 30s
    notifications:
      email: [a@example.com, b@example.com]
      on_success: false
      webhooks: ["https://hooks.example.com/x", { url: "https://chat.example.com/y", format: slack }]
    depends_on: [migrate]
    windows: [{ deny: "0 17 * * fri", duration: 64h }]
    waves: [[eu-west-1], [us-east-1]]
    idempotent: true
  migrate:
    provider: shell
    command: [./migrate.sh]
    timeout: none
`;
  const { config } = await load(text);
  assert.deepEqual(config.jobs.map((j) => j.name), ['web', 'migrate']);
  const [web, migrate] = config.jobs;
  assert.ok(web && migrate);
  assert.deepEqual(
    [web.description, web.offsetMs, web.dst, web.target, web.retry, web.timeoutMs, web.overlap, web.queueCap, web.catchUp, web.jitterMs],
    ['the web app', 300_000, { gap: 'skip', repeat: 'both' }, 'frontend', { maxRetries: 3, baseMs: 10_000, capMs: 3_600_000 }, 5_400_000, 'queue_all', 4, { mode: 'all', windowMs: 21_600_000, max: 12 }, 30_000],
  );
  assert.deepEqual(web.notifications, {
    email: ['a@example.com', 'b@example.com'],
    onSuccess: false,
    onFailure: true,
    webhooks: [{ url: 'https://hooks.example.com/x' }, { url: 'https://chat.example.com/y', format: 'slack' }],
  });
  assert.deepEqual(web.extra, {
    depends_on: ['migrate'],
    windows: [{ deny: '0 17 * * fri', duration: '64h' }],
    waves: [['eu-west-1'], ['us-east-1']],
    idempotent: true,
  });
  assert.equal(migrate.timeoutMs, null);
  assert.ok(config.notices.some((n) => n.startsWith('job `migrate`: `timeout: none`')));
  // Resolved by scheduling-keys.ts (regions and waves together are refused there).
  assert.deepEqual(web.dependsOn, [{ job: 'migrate', windowMs: null }]);
  assert.deepEqual(web.windows, [{ kind: 'deny', schedule: '0 17 * * fri', durationMs: 64 * 3_600_000, timezone: 'Europe/Berlin', name: null }]);
  assert.deepEqual(web.waves, [['eu-west-1'], ['us-east-1']]);
});

test('the result is frozen all the way down', async () => {
  const { config } = await load('deployment:\n  provider: shell\n  command: [x]\n  notifications: { email: a@example.com, webhooks: [{ url: "https://h.example.com/" }] }\n');
  const job = config.jobs[0];
  assert.ok(job?.notifications);
  for (const v of [config, config.jobs, job, job.retry, job.provider, job.provider.settings, job.notifications, job.notifications.email, job.notifications.webhooks[0], config.notices, config.store]) {
    assert.ok(Object.isFrozen(v));
  }
  assert.throws(() => {
    (job as { name: string }).name = 'other';
  }, TypeError);
});

test('describeConfig summarises each job and carries the notices', async () => {
  const text = 'store: "postgres://ship:s3cret@db.example.com/ship"\ndeployments:\n  web: { provider: shell, command: [x], schedule: "0 2 * * *", timezone: Asia/Shanghai, max_retries: 2, timeout: 45m }\n';
  const { config } = await load(text);
  const s = describeConfig(config);
  assert.equal(s.store.kind, 'postgres');
  assert.ok(!s.store.location.includes('s3cret'));
  assert.deepEqual(s.jobs, [
    {
      name: 'web',
      schedule: '0 2 * * *',
      scheduleDescription: s.jobs[0]?.scheduleDescription,
      timezone: 'Asia/Shanghai',
      provider: 'shell',
      target: 'web',
      timeout: '45m',
      timeoutMs: 2_700_000,
      retries: 2,
      overlap: 'skip',
      catchUp: 'latest',
    },
  ]);
  assert.equal(typeof s.jobs[0]?.scheduleDescription, 'string');
  const text2 = formatConfigSummary(s);
  assert.match(text2, /job web\n {2}schedule: 0 2 \* \* \*/);
  assert.match(text2, /timezone: Asia\/Shanghai/);
  assert.ok(!text2.includes('s3cret'));
});

test('notices: SMTP password variable missing from the environment; no events selected', async () => {
  const text = 'smtp: { host: mail.example.com, password_env: SMTP_PASSWORD }\ndeployment:\n  provider: shell\n  command: [x]\n  notifications: { email: a@example.com, on_failure: false }\n';
  const { config } = await load(text);
  assert.ok(config.notices.some((n) => n.includes('SMTP_PASSWORD') && n.includes('not set')));
  assert.ok(config.notices.some((n) => n.includes('on_success and on_failure are both false')));
  assert.ok(!config.notices.some((n) => n.includes('no `smtp:` block')));
  const withEnv = await load(text, { env: { SMTP_PASSWORD: 'x' } });
  assert.ok(!withEnv.config.notices.some((n) => n.includes('SMTP_PASSWORD')));
});

test('top-level settings: shutdown_grace, dashboard_url', async () => {
  const { config } = await load('shutdown_grace: 2m\ndashboard_url: "https://ship.example.com"\ndeployment: { provider: shell, command: [x] }\n');
  assert.equal(config.shutdownGraceMs, 120_000);
  assert.equal(config.dashboardUrl, 'https://ship.example.com');
});

test('top-level settings: lease and heartbeat, with their defaults', async () => {
  const { config } = await load('lease: 2m\nheartbeat: 20s\ndeployment: { provider: shell, command: [x] }\n');
  assert.equal(config.leaseMs, 120_000);
  assert.equal(config.heartbeatMs, 20_000);
  const defaults = (await load('deployment: { provider: shell, command: [x] }\n')).config;
  assert.deepEqual([defaults.leaseMs, defaults.heartbeatMs], [30_000, 10_000]);
  // A refused lease is reported once: the heartbeat is not also judged against the default.
  const { problems } = await loadError('lease: 2h\nheartbeat: 30m\ndeployment: { provider: shell, command: [x] }\n');
  assert.deepEqual(problems.map((p) => [p.path, p.message]), [['lease', '`lease` is out of range']]);
  // A heartbeat a third of the lease is the limit, and allowed.
  assert.equal((await load('lease: 1m\nheartbeat: 20s\ndeployment: { provider: shell, command: [x] }\n')).config.heartbeatMs, 20_000);
});

test('YAML anchors and merge keys share settings between jobs', async () => {
  const text = 'deployments:\n  web: &base\n    provider: shell\n    command: [./deploy.sh]\n    max_retries: 1\n  api:\n    <<: *base\n    max_retries: 2\n';
  const { config } = await load(text);
  assert.deepEqual(config.jobs.map((j) => [j.name, j.provider.kind, j.retry.maxRetries]), [
    ['web', 'shell', 1],
    ['api', 'shell', 2],
  ]);
});

test('notices: a webhook secret variable missing from the environment', async () => {
  const text = 'deployment:\n  provider: shell\n  command: [x]\n  notifications:\n    webhooks: [{ url: "https://h.example.com/x", secret_header_env: HOOK_TOKEN }]\n';
  const { config } = await load(text);
  assert.ok(config.notices.some((n) => n.includes('HOOK_TOKEN')));
  const withEnv = await load(text, { env: { HOOK_TOKEN: 't' } });
  assert.ok(!withEnv.config.notices.some((n) => n.includes('HOOK_TOKEN')));
});
