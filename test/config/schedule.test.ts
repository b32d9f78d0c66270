import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { load, loadError, only } from './config-fixture.js';

const web = (schedule: string): string => `deployments:\n  web:\n    provider: shell\n    command: [./deploy.sh]\n    schedule: ${schedule}\n`;

test('a bad cron field inside a quoted YAML string points at that field\'s line:col', async () => {
  const { problems, file } = await loadError(web('"0 2 * * 60"'));
  const p = only(problems, 'E_SCHEDULE_RANGE');
  // `    schedule: "` is 15 characters; the expression starts at col 16, its 5th field at +8.
  assert.deepEqual([p.file, p.line, p.col, p.path, p.value], [file, 5, 24, 'deployments.web.schedule', '60']);
  assert.match(p.message, /day-of-week 60 is out of range/);
  assert.match(p.excerpt ?? '', /5 \| {5}schedule: "0 2 \* \* 60"\n {27}\^/);
});

test('in a plain (unquoted) scalar there is no quote to skip', async () => {
  const { problems } = await loadError(web('60 * * * *'));
  const p = only(problems, 'E_SCHEDULE_RANGE');
  assert.deepEqual([p.line, p.col], [5, 15]);
});

test('a single-quoted interval with a zero step', async () => {
  const { problems } = await loadError(web("'*/0h'"));
  const p = only(problems, 'E_SCHEDULE_INTERVAL');
  assert.deepEqual([p.line, p.col], [5, 18]);
});

test('a calendar that can never fire, and an unknown phrase', async () => {
  only((await loadError(web('"0 0 30 2 *"'))).problems, 'E_SCHEDULE_NEVER');
  only((await loadError(web('every blue moon'))).problems, 'E_SCHEDULE_PHRASE');
});

test('the schedule is checked in the job\'s timezone; a bad timezone does not hide a bad cron', async () => {
  const text = 'deployment:\n  provider: shell\n  command: [x]\n  timezone: Mars/Olympus\n  schedule: "61 * * * *"\n';
  const { problems } = await loadError(text);
  assert.deepEqual(problems.map((p) => p.code), ['E_TIMEZONE', 'E_SCHEDULE_RANGE']);
});

test('a number of seconds written as a YAML number is a schedule', async () => {
  const { config } = await load(web('3600'));
  assert.equal(config.jobs[0]?.schedule, '3600');
});

test('a block scalar schedule is reported at the scalar', async () => {
  const { problems } = await loadError(web('>-\n      0 2 * * 60'));
  const p = only(problems, 'E_SCHEDULE_RANGE');
  assert.equal(p.line, 5);
});

test('a bad --schedule is reported by flag name with an excerpt of the expression', async () => {
  const { problems } = await loadError(web('daily'), { flags: { schedule: '0 25 * * *' } });
  const p = only(problems, 'E_SCHEDULE_RANGE');
  assert.equal(p.path, '--schedule');
  assert.equal(p.file, undefined);
  assert.equal(p.excerpt, '  0 25 * * *\n    ^');
});

test('words, phrases and intervals are accepted as written', async () => {
  for (const s of ['daily', '"*/6h"', '"0 2 * * *"', 'weekdays at 9:00', '"*/10s"']) {
    const { config } = await load(web(s));
    assert.equal(config.jobs[0]?.schedule, s.replace(/"/g, ''));
  }
});
