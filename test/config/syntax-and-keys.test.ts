import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatProblems } from '../../src/errors/index.js';
import { loadError, only } from './config-fixture.js';

test('a YAML syntax error is refused with the parser position and a caret excerpt', async () => {
  const text = 'deployment:\n  schedule: "0 2 * * *"\n  command: [./deploy.sh\n  timezone: UTC\n';
  const { problems, file } = await loadError(text);
  assert.ok(problems.length >= 1);
  for (const p of problems) assert.equal(p.code, 'E_CONFIG_SYNTAX');
  const first = problems[0]!;
  assert.equal(first.file, file);
  assert.equal(first.line, 4);
  assert.equal(first.col, 3);
  assert.match(first.message, /YAML syntax error/);
  assert.match(first.excerpt ?? '', /4 \|   timezone: UTC\n {6}\^/);
});

test('an unclosed quote is a syntax error where the parser noticed it (end of input)', async () => {
  const { problems } = await loadError('deployment:\n  schedule: "0 2 * * *\n');
  assert.equal(problems[0]?.code, 'E_CONFIG_SYNTAX');
  assert.equal(problems[0]?.line, 3);
  assert.match(problems[0]?.message ?? '', /closing "quote/);
});

test('a repeated key is refused, not silently overwritten', async () => {
  const { problems } = await loadError('deployment:\n  max_retries: 1\n  max_retries: 2\n');
  const p = problems.find((x) => x.code === 'E_CONFIG_SYNTAX');
  if (!p) return assert.fail("no such problem");
  assert.equal(p.line, 3);
  assert.match(p.hint ?? '', /DUPLICATE_KEY/);
});

test('`shedule:` is reported at its key with "did you mean `schedule`?"', async () => {
  const { problems, file } = await loadError('deployment:\n  shedule: "0 2 * * *"\n  timezone: UTC\n');
  const p = problems.find((x) => x.code === 'E_CONFIG_UNKNOWN_KEY');
  if (!p) return assert.fail(JSON.stringify(problems));
  assert.equal(p.file, file);
  assert.equal(p.line, 2);
  assert.equal(p.col, 3);
  assert.equal(p.path, 'deployment.shedule');
  assert.equal(p.hint, 'did you mean `schedule`?');
});

test('`shedule:` beside a shell provider is still a misspelling, not a shell setting', async () => {
  const { problems } = await loadError('deployment:\n  provider: shell\n  command: ["./deploy.sh"]\n  shedule: daily\n');
  const p = only(problems, 'E_CONFIG_UNKNOWN_KEY');
  assert.equal(p.line, 4);
  assert.equal(p.path, 'deployment.shedule');
  assert.equal(p.hint, 'did you mean `schedule`?');
  assert.match(p.allowed ?? '', /command/);
});

test('misspelt keys inside nested blocks get a suggestion from that block', async () => {
  const text = [
    'deployment:',
    '  provider: shell',
    '  command: ["./deploy.sh"]',
    '  retry_backoff: { base: 30s, capp: 10m }',
    '  notifications: { emial: a@example.com }',
    '  dst: { gapp: skip }',
    '',
  ].join('\n');
  const { problems } = await loadError(text);
  const unknown = problems.filter((p) => p.code === 'E_CONFIG_UNKNOWN_KEY');
  assert.deepEqual(
    unknown.map((p) => [p.path, p.line, p.hint]),
    [
      ['deployment.retry_backoff.capp', 4, 'did you mean `cap`?'],
      ['deployment.notifications.emial', 5, 'did you mean `email`?'],
      ['deployment.dst.gapp', 6, 'did you mean `gap`?'],
    ],
  );
});

test('unknown top-level keys: a misspelling, and a job key written at the top', async () => {
  const { problems } = await loadError('deploymnts:\n  web: {}\nschedule: daily\n');
  const unknown = problems.filter((p) => p.code === 'E_CONFIG_UNKNOWN_KEY');
  assert.equal(unknown.length, 2);
  assert.equal(unknown[0]?.hint, 'did you mean `deployments`?');
  assert.equal(unknown[0]?.line, 1);
  assert.match(unknown[1]?.hint ?? '', /job setting: put it under `deployment:`/);
});

test('the formatted error names file:line:col, the field, the value, what is allowed', async () => {
  const { error, file } = await loadError('deployment:\n  provider: shell\n  command: ["./deploy.sh"]\n  max_retries: -1\n');
  const text = formatProblems(error.problems);
  assert.ok(text.startsWith(`${file}:4:16: deployment.max_retries: `), text);
  assert.match(text, /got: -1/);
  assert.match(text, /allowed: an integer from 0 to 100/);
  assert.match(text, /4 \|   max_retries: -1\n {19}\^/);
  assert.equal(error.message, text);
});

test('a document that is not a mapping, and one with no job', async () => {
  const list = await loadError('- a\n- b\n');
  assert.equal(list.problems[0]?.code, 'E_CONFIG_INVALID_VALUE');
  const empty = await loadError('timezone: UTC\n');
  only(empty.problems, 'E_CONFIG_NO_JOBS');
});

test('both `deployment:` and `deployments:` is a conflict', async () => {
  const { problems } = await loadError('deployment:\n  provider: shell\n  command: [a]\ndeployments:\n  web:\n    provider: shell\n    command: [a]\n');
  const p = only(problems, 'E_CONFIG_CONFLICT');
  assert.equal(p.line, 4);
});

test('job names must be lower-case identifiers', async () => {
  const { problems } = await loadError('deployments:\n  Web App:\n    provider: shell\n    command: [a]\n');
  const p = only(problems, 'E_CONFIG_JOB_NAME');
  assert.equal(p.line, 2);
  assert.equal(p.col, 3);
  assert.match(p.hint ?? '', /web-app/);
});
