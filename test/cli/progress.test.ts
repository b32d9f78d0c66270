/**
 * The deploy progress line on a terminal: a fake TTY writable records what a terminal would
 * receive. Unit tests drive the scheduler's event stream on a fake clock; the last test runs a
 * real `shipclock deploy` of a shell command through main().
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { reportRuns } from '../../src/cli/run-reporter.js';
import type { RunResult } from '../../src/runner/types.js';
import { SchedulerEmitter } from '../../src/scheduler/events.js';
import type { Occurrence } from '../../src/store/types.js';
import { FakeClock } from '../helpers/fake-clock.js';

class FakeTty {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 100,
  ) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
  /** What the terminal shows on its last line: the text after the last carriage return/clear. */
  get statusLine(): string {
    const t = this.text;
    return t.slice(t.lastIndexOf('\r\u001b[2K') + 5).split('\n').at(-1) ?? '';
  }
}

const occ = (over: Partial<Occurrence> = {}): Occurrence =>
  ({ id: 'o1', job: 'web', nominalMs: Date.parse('2026-01-01T00:00:00Z'), kind: 'manual', attempts: 0, runId: 'run-1', state: 'running', ...over }) as Occurrence;

const result = (outcome: RunResult['outcome'], startedAt: number, endedAt: number): RunResult => ({
  outcome,
  attempts: [],
  errorClass: null,
  message: null,
  startedAt,
  endedAt,
});

test('on a TTY: elapsed time, current attempt and last log line, rewritten in place; cleared when the run ends', async () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const stdout = new FakeTty(true);
  const events = new SchedulerEmitter();
  const detach = reportRuns(events, { stdout, stderr: stdout, env: { NO_COLOR: '1' }, cwd: '/' }, () => clock.now());
  const o = occ();
  events.emit('run:started', { occurrence: o, runId: 'run-1', lateMs: 0 });
  assert.match(stdout.statusLine, /▸ web 0s · attempt 1$/);
  await clock.advance(12_000);
  events.emit('run:log', { occurrence: o, attempt: 1, line: 'pushing image \u001b[31mred\u001b[0m\u0007' });
  assert.match(stdout.statusLine, /▸ web 12s · attempt 1 · pushing image red$/, 'escape sequences from the deploy are stripped');
  events.emit('run:retrying', { occurrence: o, attempt: 2, delayMs: 30_000, errorClass: 'transient' });
  assert.match(stdout.statusLine, /▸ web 12s · attempt 2 · retrying in 30s$/);
  // The retry notice is printed above the status line, which comes back under it.
  assert.match(stdout.text, /\r\u001b\[2K[^\r]*attempt 1 failed \(transient\); retrying in 30s\n\r\u001b\[2K▸ web 12s/);
  await clock.advance(30_000);
  events.emit('run:log', { occurrence: o, attempt: 2, line: 'rolling out' });
  assert.match(stdout.statusLine, /▸ web 42s · attempt 2 · rolling out$/);
  events.emit('run:finished', { occurrence: { ...o, state: 'succeeded' }, result: result('succeeded', clock.now() - 42_000, clock.now()) });
  assert.ok(stdout.text.endsWith('succeeded in 42s, 0 attempts\n'), JSON.stringify(stdout.text.slice(-80)));
  const tail = stdout.text.slice(stdout.text.lastIndexOf('\r\u001b[2K') + 5);
  assert.doesNotMatch(tail, /▸/, 'the status line was cleared and not drawn again');
  assert.match(tail, /^\S+ {2}web {2}succeeded in 42s/);
  detach();
});

test('never on a non-TTY stream or TERM=dumb: plain lines only, no carriage returns', () => {
  for (const [isTTY, env] of [
    [false, {}],
    [true, { TERM: 'dumb' }],
  ] as const) {
    const stdout = new FakeTty(isTTY);
    const events = new SchedulerEmitter();
    const detach = reportRuns(events, { stdout, stderr: stdout, env, cwd: '/' }, () => 0);
    events.emit('run:started', { occurrence: occ(), runId: 'run-1', lateMs: 0 });
    events.emit('run:log', { occurrence: occ(), attempt: 1, line: 'hello' });
    events.emit('run:finished', { occurrence: occ({ state: 'failed' }), result: result('failed', 0, 1000) });
    detach();
    assert.doesNotMatch(stdout.text, /\r|▸|hello/);
    assert.equal(stdout.text.split('\n').length, 3);
  }
});

test('a long last line is cut to the terminal width (a wrapped line could not be rewritten)', () => {
  const stdout = new FakeTty(true, 40);
  const events = new SchedulerEmitter();
  const detach = reportRuns(events, { stdout, stderr: stdout, env: { NO_COLOR: '1' }, cwd: '/' }, () => 0);
  events.emit('run:started', { occurrence: occ(), runId: 'run-1', lateMs: 0 });
  events.emit('run:log', { occurrence: occ(), attempt: 1, line: 'x'.repeat(200) });
  assert.equal(stdout.statusLine.length, 39);
  assert.ok(stdout.statusLine.endsWith('…'));
  detach();
});

test('shipclock deploy on a TTY shows the progress line with the real deploy output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-progress-'));
  try {
    writeFileSync(join(dir, 'shipclock.yaml'), 'deployments:\n  web:\n    provider: shell\n    command: ["sh", "-c", "echo building the bundle"]\n');
    const stdout = new FakeTty(true);
    const stderr = new FakeTty(false);
    const code = await main(['deploy', 'web'], { stdout, stderr, env: {}, cwd: dir });
    assert.equal(code, 0, stderr.text);
    assert.match(stdout.text, /\r\u001b\[2K[^\n]*▸[^\n]*web \d+s · attempt 1 · building the bundle/);
    assert.match(stdout.text, /succeeded(\u001b\[0m)? in \d+s, 1 attempt/);
    assert.ok(stdout.text.endsWith(')\n'), 'the last thing on screen is the result line, not a status line');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
