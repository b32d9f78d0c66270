/**
 * Bad input is refused whole with exit 2 and a message that says where and what is allowed
 * (issue 2 "done when"; DESIGN.md §1.7). Every case runs the real CLI in-process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

function configFile(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-cli-'));
  const file = join(dir, 'shipclock.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

const cases: { name: string; argv: string[]; expect: RegExp[] }[] = [
  { name: 'next "60 * * * *"', argv: ['next', '60 * * * *'], expect: [/minute 60 is out of range/, /allowed: 0-59/] },
  { name: 'next "*/0h"', argv: ['next', '*/0h'], expect: [/never advances/, /greater than 0/] },
  { name: 'next with an unknown timezone', argv: ['next', '0 2 * * *', '--tz', 'Mars/Olympus'], expect: [/unknown timezone "Mars\/Olympus"/, /IANA/] },
  { name: 'next "0 0 30 2 *" (never fires)', argv: ['next', '0 0 30 2 *'], expect: [/never occurs in February/, /can never fire/] },
  { name: 'an unknown flag', argv: ['status', '--jsn'], expect: [/status: Unknown option '--jsn'/] },
  { name: 'an unknown command', argv: ['deplyo'], expect: [/unknown command "deplyo"; did you mean 'deploy'/] },
  { name: '--from without an offset', argv: ['next', 'daily', '--from', '2025-01-01T00:00'], expect: [/--from: .* not an ISO-8601 instant/] },
  { name: '-n out of range', argv: ['next', 'daily', '-n', '0'], expect: [/--count: "0" is not allowed/] },
];

for (const c of cases) {
  test(`refused with exit 2: ${c.name}`, async () => {
    const r = await runCli(c.argv);
    assert.equal(r.code, 2, r.stderr);
    for (const re of c.expect) assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  });
}

const fileCases: { name: string; yaml: string; expect: RegExp[] }[] = [
  {
    name: 'a YAML syntax error',
    yaml: 'deployments:\n  web:\n    schedule: "0 2 * * *\n    provider: shell\n',
    expect: [/shipclock\.yaml:\d+:\d+/],
  },
  {
    name: 'a misspelt key (shedule)',
    yaml: 'deployments:\n  web:\n    shedule: "0 2 * * *"\n    provider: shell\n    command: ["true"]\n',
    expect: [/shipclock\.yaml:3:5/, /deployments\.web\.shedule/, /did you mean `schedule`/],
  },
  {
    name: 'max_retries: -1',
    yaml: 'deployments:\n  web:\n    schedule: "0 2 * * *"\n    max_retries: -1\n    provider: shell\n    command: ["true"]\n',
    expect: [/shipclock\.yaml:4:18/, /max_retries/, /-1/],
  },
  {
    name: 'a shell job without a command',
    yaml: 'deployments:\n  web:\n    schedule: "0 2 * * *"\n    provider: shell\n',
    expect: [/shipclock\.yaml:4:\d+/, /command/],
  },
  {
    name: 'a bad cron inside YAML points at the field',
    yaml: 'deployments:\n  web:\n    schedule: "0 25 * * *"\n    provider: shell\n    command: ["true"]\n',
    expect: [/shipclock\.yaml:3:\d+/, /hour 25 is out of range/],
  },
  {
    name: 'a heartbeat that would not land three times within the default lease',
    yaml: 'heartbeat: 15s\ndeployments:\n  web: { provider: shell, command: ["true"] }\n',
    expect: [/shipclock\.yaml:1:12/, /`heartbeat` must come at least three times within the lease \(30s, the default\)/, /got: "15s"/, /a third of `lease`/],
  },
  {
    name: 'a heartbeat under a second says it is too short',
    yaml: 'heartbeat: 999ms\ndeployments:\n  web: { provider: shell, command: ["true"] }\n',
    expect: [/shipclock\.yaml:1:12/, /`heartbeat` is shorter than 1s/],
  },
  {
    name: 'a lease out of range',
    yaml: 'lease: 2s\ndeployments:\n  web: { provider: shell, command: ["true"] }\n',
    expect: [/shipclock\.yaml:1:8/, /`lease` is out of range/, /from 5s to 1h/],
  },
  {
    name: 'a lease without a unit',
    yaml: 'lease: 30\ndeployments:\n  web: { provider: shell, command: ["true"] }\n',
    expect: [/shipclock\.yaml:1:8/, /not a duration/, /`30s`/],
  },
];

for (const c of fileCases) {
  test(`validate refuses with exit 2: ${c.name}`, async () => {
    const { dir, file } = configFile(c.yaml);
    const r = await runCli(['validate', '-c', file], { cwd: dir });
    assert.equal(r.code, 2, r.stderr + r.stdout);
    for (const re of c.expect) assert.match(r.stderr, re);
  });
}

test('a refused config changes nothing: run with a bad config creates no state', async () => {
  const { dir, file } = configFile('deployments:\n  web:\n    shedule: daily\n    provider: shell\n    command: ["true"]\n');
  const r = await runCli(['run', '--once', '-c', file], { cwd: dir });
  assert.equal(r.code, 2);
  const { existsSync } = await import('node:fs');
  assert.equal(existsSync(join(dir, '.shipclock')), false, 'no state dir, no ledger');
});

test('several problems are reported at once', async () => {
  const { dir, file } = configFile('deployments:\n  web:\n    shedule: daily\n    max_retries: -1\n    timezone: Mars/Olympus\n    provider: shell\n    command: ["true"]\n');
  const r = await runCli(['validate', '-c', file], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /3 problems/);
});

test('--provider gcp with the original command line is accepted when the provider exists, and named when not', async () => {
  const r = await runCli(['--deploy', '--provider', 'nosuch']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nosuch/);
});

test('refused with exit 2: an interval longer than 10 years (a typo must not mean "never")', async () => {
  const r = await runCli(['next', '99999999999999999999']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /longer than 10 years/);
});

test('refused with exit 2: an impossible date does not roll over to the next month', async () => {
  const r = await runCli(['next', 'daily', '--from', '2026-02-30T00:00:00Z']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--from: "2026-02-30T00:00:00Z" is not a real date/);
});

test('refused with exit 2: a YAML alias bomb, with the file named', async () => {
  const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (const [k, p] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd']]) rows.push(`${k}: &${k} [${Array(9).fill(`*${p}`).join(',')}]`);
  const { dir, file } = configFile(`${rows.join('\n')}\ndeployments:\n  x: { provider: shell, command: ["true"] }\n`);
  const r = await runCli(['validate', '-c', file], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /shipclock\.yaml:1:1: the YAML expands too many aliases/);
});

test('refused with exit 2: a state dir that is a file names the path (no stack trace)', async () => {
  const { dir, file } = configFile('deployments:\n  x: { provider: shell, command: ["true"] }\n');
  const r = await runCli(['status', '-c', file, '--state', file], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot open the SQLite ledger .*shipclock\.yaml\/shipclock\.db/);
  assert.doesNotMatch(r.stderr, /internal error|    at /);
});

test('validate --json on a bad config prints the problems as JSON on stdout, exit 2', async () => {
  const { dir, file } = configFile('deployments:\n  web:\n    shedule: daily\n    provider: shell\n    command: ["true"]\n');
  const r = await runCli(['validate', '--json', '-c', file], { cwd: dir });
  assert.equal(r.code, 2);
  const doc = JSON.parse(r.stdout) as { valid: boolean; problems: { path: string; line: number; col: number; hint: string }[] };
  assert.equal(doc.valid, false);
  assert.equal(doc.problems[0]!.path, 'deployments.web.shedule');
  assert.equal(doc.problems[0]!.line, 3);
  assert.match(doc.problems[0]!.hint, /schedule/);
});

test('control characters in a pause note never reach the terminal raw', async () => {
  const { dir, file } = configFile('deployments:\n  web: { schedule: daily, provider: shell, command: ["true"] }\n');
  const p = await runCli(['pause', 'web', '--note', 'evil\u001b[31mRED\nline2', '-c', file], { cwd: dir });
  assert.equal(p.code, 0);
  assert.doesNotMatch(p.stdout, /\u001b|\nline2/);
  const s = await runCli(['status', '-c', file], { cwd: dir });
  assert.doesNotMatch(s.stdout, /\u001b\[31m|\nline2/);
  assert.match(s.stdout, /evil\\u001b\[31mRED\\u000aline2/);
});

test('history refuses a reversed range', async () => {
  const { dir, file } = configFile('deployments:\n  web: { schedule: daily, provider: shell, command: ["true"] }\n');
  const r = await runCli(['history', '--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z', '-c', file], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--to .* must be after --from/);
});

test('refused with exit 2: a jitter as long as the time between fire times', async () => {
  const { dir, file } = configFile('deployments:\n  a:\n    schedule: "*/5s"\n    jitter: 20s\n    provider: shell\n    command: ["true"]\n');
  const r = await runCli(['validate', '-c', file], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /shipclock\.yaml:4:13: deployments\.a\.jitter: jitter must be shorter than the time between fire times/);
});

test('refused with exit 2: run --tz with an unknown timezone names the flag the user typed, and creates nothing', async () => {
  const { dir, file } = configFile('deployments:\n  web:\n    schedule: "0 2 * * *"\n    provider: shell\n    command: ["true"]\n');
  const r = await runCli(['run', '--once', '--tz', 'Mars/Olympus', '-c', file], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^--tz: unknown timezone `Mars\/Olympus`/m);
  assert.doesNotMatch(r.stderr, /--timezone/);
  assert.deepEqual(readdirSync(dir), ['shipclock.yaml']);
});
