import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { load, loadError, only } from './config-fixture.js';

test('a `shell` job without a command is refused, pointing at `provider: shell`', async () => {
  const { problems, file } = await loadError('deployment:\n  schedule: daily\n  provider: shell\n');
  const p = only(problems, 'E_CONFIG_MISSING_KEY');
  assert.deepEqual([p.file, p.line, p.col, p.path], [file, 3, 13, 'deployment.command']);
  assert.equal(p.message, 'provider `shell` needs `command`');
  assert.match(p.allowed ?? '', /argument array/);
});

test('shell settings are validated by the provider schema at their own positions', async () => {
  const text = [
    'deployments:',
    '  web:',
    '    provider: shell',
    '    command: "./deploy.sh --prod"',
    '    health: { url: "ftp://x", timout: 5s }',
    '',
  ].join('\n');
  const { problems } = await loadError(text);
  assert.deepEqual(
    problems.map((p) => [p.path, p.line, p.code]),
    [
      ['deployments.web.command', 4, 'E_CONFIG_INVALID_VALUE'],
      ['deployments.web.health.url', 5, 'E_CONFIG_INVALID_VALUE'],
      ['deployments.web.health.timout', 5, 'E_CONFIG_UNKNOWN_KEY'],
    ],
  );
  assert.match(problems[0]?.message ?? '', /shell: true/);
  assert.equal(problems[2]?.hint, 'did you mean `timeout`?');
});

test('an unknown provider setting is an unknown key with the provider\'s keys as suggestions', async () => {
  const { problems } = await loadError('deployment:\n  provider: shell\n  command: [x]\n  comand_env: {}\n  envv: {}\n');
  assert.deepEqual(problems.map((p) => [p.path, p.hint]), [
    ['deployment.comand_env', undefined],
    ['deployment.envv', 'did you mean `env`?'],
  ]);
});

test('an unknown provider lists the known kinds, with a suggestion', async () => {
  const { problems } = await loadError('deployment:\n  provider: locall\n  source: ./app\n');
  const p = only(problems, 'E_CONFIG_UNKNOWN_PROVIDER');
  assert.deepEqual([p.line, p.col, p.value], [2, 13, 'locall']);
  assert.match(p.allowed ?? '', /shell/);
  assert.match(p.allowed ?? '', /local/);
  assert.equal(p.hint, 'did you mean `local`?');
});

test('the original cloud names are providers: --provider gcp, aws and azure resolve to their kinds', async () => {
  const { findProvider } = await import('../../src/providers/registry.js');
  assert.deepEqual(
    ['gcp', 'aws', 'azure'].map((n) => findProvider(n)?.kind),
    ['gcp-cloud-run', 'aws-ecs', 'azure-container-apps'],
  );
});

test('a job with no provider says so, and still reports misspelt job keys', async () => {
  const { problems } = await loadError('deployment:\n  shedule: daily\n  command: [x]\n');
  assert.deepEqual(problems.map((p) => [p.code, p.line]), [
    ['E_CONFIG_NO_PROVIDER', 1],
    ['E_CONFIG_UNKNOWN_KEY', 2],
  ]);
});

test('`provider: { kind, ...settings }` is accepted; siblings are then not settings', async () => {
  const { config } = await load('deployment:\n  schedule: daily\n  provider: { kind: shell, command: ["./deploy.sh", "--prod"] }\n');
  assert.deepEqual(config.jobs[0]?.provider, { kind: 'shell', settings: { command: ['./deploy.sh', '--prod'] } });

  const { problems } = await loadError('deployment:\n  provider: { kind: shell, command: [x] }\n  env: { A: b }\n');
  const p = only(problems, 'E_CONFIG_UNKNOWN_KEY');
  assert.equal(p.path, 'deployment.env');
  assert.match(p.hint ?? '', /inside `provider:/);
});

test('a setting inside the object form is reported inside it', async () => {
  const { problems } = await loadError('deployment:\n  provider:\n    kind: shell\n');
  const p = only(problems, 'E_CONFIG_MISSING_KEY');
  assert.equal(p.path, 'deployment.provider.command');
  assert.equal(p.line, 3);
});

test('the local provider: settings beside `provider: local`', async () => {
  const { config } = await load('deployment:\n  schedule: "*/10s"\n  provider: local\n  source: ./app\n  keep: 3\n');
  assert.deepEqual(config.jobs[0]?.provider, { kind: 'local', settings: { source: './app', keep: 3 } });
  const { problems } = await loadError('deployment:\n  provider: local\n  source: ./app\n  keep: 0\n');
  assert.equal(only(problems, 'E_CONFIG_INVALID_VALUE').path, 'deployment.keep');
});

test('--provider replaces the kind; the file\'s settings are validated for the new kind', async () => {
  const { problems } = await loadError('deployment:\n  provider: shell\n  command: [x]\n', { flags: { provider: 'local' } });
  assert.deepEqual(problems.map((p) => [p.code, p.path, p.line]), [
    ['E_CONFIG_MISSING_KEY', 'deployment.source', 1],
    ['E_CONFIG_UNKNOWN_KEY', 'deployment.command', 3],
  ]);
});

test('a provider inherited from `defaults:` takes the job\'s sibling keys as its settings', async () => {
  const text = 'defaults:\n  provider: shell\n  env: { STAGE: prod }\ndeployments:\n  web: { command: [./web.sh] }\n  api: { command: [./api.sh], env: { STAGE: canary } }\n';
  const { config } = await load(text);
  assert.deepEqual(
    config.jobs.map((j) => [j.name, j.provider]),
    [
      ['web', { kind: 'shell', settings: { env: { STAGE: 'prod' }, command: ['./web.sh'] } }],
      ['api', { kind: 'shell', settings: { env: { STAGE: 'canary' }, command: ['./api.sh'] } }],
    ],
  );
});

test('`defaults:` settings reach jobs of the same provider kind, and are refused where they do not fit', async () => {
  const text = [
    'defaults:',
    '  provider: shell',
    '  env: { STAGE: prod }',
    'deployments:',
    '  web: { provider: shell, command: [./web.sh] }',
    '  site: { provider: local, source: ./site }',
    '',
  ].join('\n');
  const { config } = await load(text);
  assert.deepEqual(config.jobs.map((j) => j.provider.settings), [
    { env: { STAGE: 'prod' }, command: ['./web.sh'] },
    { source: './site' },
  ]);

  const kindless = 'defaults:\n  command: [./all.sh]\ndeployments:\n  web: { provider: shell }\n  site: { provider: local, source: ./site }\n';
  const { problems } = await loadError(kindless);
  const p = only(problems, 'E_CONFIG_UNKNOWN_KEY');
  assert.deepEqual([p.path, p.line], ['defaults.command', 2]);
});
