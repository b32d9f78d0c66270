import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DeployError } from '../../src/providers/deploy-error.js';
import { findProvider } from '../../src/providers/registry.js';
import { shellDefinition } from '../../src/providers/shell.js';
import type { ShellSettings } from '../../src/providers/shell-settings.js';
import { deployContext, healthServer, tempDir } from '../runner/helpers.js';

const schema = shellDefinition.settingsSchema;

function provider(settings: unknown, baseDir = tempDir()) {
  return shellDefinition.create(schema.parse(settings) as ShellSettings, { baseDir });
}

async function deploy(settings: unknown, baseDir?: string) {
  const p = provider(settings, baseDir);
  const ctx = deployContext(tempDir());
  const handle = await p.start(ctx);
  const result = await p.poll(handle, ctx);
  return { handle, result, ctx };
}

describe('shell provider: settings', () => {
  it('is registered under `shell`', () => {
    assert.equal(findProvider('shell'), shellDefinition);
  });

  it('accepts an argument array, and a string only with shell: true', () => {
    assert.ok(schema.safeParse({ command: ['./deploy.sh', '--prod'] }).success);
    assert.ok(schema.safeParse({ command: 'make deploy', shell: true }).success);
    const r = schema.safeParse({ command: 'make deploy' });
    assert.equal(r.success, false);
    assert.deepEqual(r.error?.issues.map((i) => i.path), [['command']]);
    assert.match(r.error?.issues[0]?.message ?? '', /argument array.*shell: true/);
  });

  it('refuses a missing command, unknown keys, bad env names, bad durations and URLs, each at its path', () => {
    const paths = (v: unknown) => schema.safeParse(v).error?.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths({}), ['command']);
    assert.deepEqual(paths({ command: [] }), ['command']);
    assert.deepEqual(paths({ command: ['x'], comand: ['y'] }), ['']);
    assert.equal(schema.safeParse({ command: ['x'], comand: ['y'] }).error?.issues[0]?.code, 'unrecognized_keys');
    assert.deepEqual(paths({ command: ['x'], env: { 'BAD-NAME': 'v' } }), ['env.BAD-NAME']);
    assert.deepEqual(paths({ command: ['x'], health: { url: 'ftp://x', timeout: '5 parsecs' } }), ['health.timeout', 'health.url']);
    assert.deepEqual(paths({ command: ['x'], retry_exit_codes: [0] }), ['retry_exit_codes.0']);
  });

  it('parsing is idempotent (validation only), so the config module may parse again', () => {
    const settings = { command: ['x'], env: { PORT: 8080 }, health: { url: 'http://127.0.0.1:1/h', timeout: '2s' } };
    const once = schema.parse(settings);
    assert.deepEqual(schema.parse(once), once);
  });

  it('plans the exact command with secret env values redacted', () => {
    const p = provider({ command: ['./deploy.sh', '--prod'], env: { API_TOKEN: 's3cr3t-value', REGION: 'eu' }, cwd: '/srv/app' });
    const plan = p.plan(deployContext(tempDir())) as string[];
    assert.equal(plan[0], 'run ["./deploy.sh","--prod"] in /srv/app');
    assert.equal(plan[1], 'with env API_TOKEN=[REDACTED] REGION=eu');
  });
});

describe('shell provider: real processes', () => {
  it('exit 0 succeeds; the handle is pid@start time; output reaches the log', async () => {
    const { handle, result, ctx } = await deploy({ command: ['node', '-e', 'console.log("deploying", process.env.SHIPCLOCK_RUN_ID)'] });
    assert.equal(result.state, 'succeeded');
    assert.match(handle.id, /^\d+@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(ctx.lines.includes(`deploying ${ctx.runId}`));
  });

  it('a non-zero exit fails with class unknown; a listed retry exit code is transient', async () => {
    const a = await deploy({ command: ['node', '-e', 'process.exit(3)'] });
    assert.deepEqual(a.result, { state: 'failed', errorClass: 'unknown', message: 'command exit 3' });
    const b = await deploy({ command: ['node', '-e', 'process.exit(75)'], retry_exit_codes: [75] });
    assert.deepEqual(b.result, { state: 'failed', errorClass: 'transient', message: 'command exit 75' });
  });

  it('a process killed by a signal it did not get from us fails with class unknown', async () => {
    const { result } = await deploy({ command: ['/bin/sh', '-c', 'kill -9 $$'] });
    assert.deepEqual(result, { state: 'failed', errorClass: 'unknown', message: 'command ended by signal SIGKILL' });
  });

  it('a program that does not exist is an invalid deploy error at start', async () => {
    const p = provider({ command: ['./no-such-deploy-script'] });
    await assert.rejects(p.start(deployContext(tempDir())), (e: unknown) => {
      assert.ok(e instanceof DeployError);
      assert.equal(e.errorClass, 'invalid');
      assert.equal(e.code, 'E_DEPLOY_SPAWN');
      return true;
    });
  });

  it('shell: true runs the string with /bin/sh -c', async () => {
    const { result, ctx } = await deploy({ command: 'echo one && echo two', shell: true });
    assert.equal(result.state, 'succeeded');
    assert.deepEqual(ctx.lines.filter((l) => !l.startsWith('[shipclock]')), ['one', 'two']);
  });

  it('runs in cwd (relative to the config folder) with the settings env under the run env', async () => {
    const base = tempDir();
    mkdirSync(join(base, 'deploy'));
    writeFileSync(join(base, 'deploy', 'marker.txt'), 'here');
    const { result, ctx } = await deploy(
      {
        command: ['node', '-e', 'console.log(require("fs").readFileSync("marker.txt","utf8"), process.env.REGION, process.env.SHIPCLOCK_FENCE)'],
        cwd: 'deploy',
        env: { REGION: 'eu-west-1', SHIPCLOCK_FENCE: 'not-this' },
      },
      base,
    );
    assert.equal(result.state, 'succeeded');
    assert.ok(ctx.lines.includes('here eu-west-1 7'), ctx.lines.join('\n'));
  });

  it('redacts secret env values from the output it logs', async () => {
    const { ctx } = await deploy({ command: ['node', '-e', 'console.log("using", process.env.DB_PASSWORD)'], env: { DB_PASSWORD: 'pa55-word-xyz' } });
    assert.ok(ctx.lines.includes('using [REDACTED]'), ctx.lines.join('\n'));
  });

  it('with health: succeeds only when the URL answers 2xx (a real HTTP server)', async () => {
    const server = await healthServer(() => 204);
    const { result } = await deploy({ command: ['true'], health: { url: server.url, timeout: '5s' } });
    assert.deepEqual(result, { state: 'succeeded', message: 'command exit 0; health HTTP 204' });
    assert.equal(server.hits(), 1);
  });

  it('with health: a URL answering 500 until the deadline is unhealthy', async () => {
    const server = await healthServer(() => 500);
    const { result } = await deploy({ command: ['true'], health: { url: server.url, timeout: '300ms' } });
    assert.equal(result.state, 'failed');
    assert.equal(result.state === 'failed' && result.errorClass, 'unhealthy');
    assert.match(result.state === 'failed' ? result.message : '', /did not answer 2xx within 300 ms \(last: HTTP 500\)/);
    assert.ok(server.hits() >= 2, 'probes repeat until the deadline');
  });

  it('with health: an app that starts listening late still counts, within the deadline', async () => {
    const server = await healthServer(() => 200, { listen: false });
    const p = provider({ command: ['true'], health: { url: server.url, timeout: '10s' } });
    const ctx = deployContext(tempDir());
    const handle = await p.start(ctx);
    const polled = p.poll(handle, ctx);
    await new Promise<void>((r) => {
      const seen = () => (ctx.lines.some((l) => l.startsWith('[shipclock] check health')) ? r() : setImmediate(seen));
      seen();
    });
    await server.listen();
    assert.equal((await polled).state, 'succeeded');
  });

  it('expect_status narrows what counts as healthy', async () => {
    const server = await healthServer(() => 200);
    const { result } = await deploy({ command: ['true'], health: { url: server.url, timeout: '200ms', expect_status: [204] } });
    assert.equal(result.state === 'failed' && result.errorClass, 'unhealthy');
  });

  it('poll of a handle this process did not start reports it cannot observe it', async () => {
    const p = provider({ command: ['true'] });
    const r = await p.poll({ id: '1@2026-01-01T00:00:00.000Z' }, deployContext(tempDir()));
    assert.equal(r.state === 'failed' && r.errorClass, 'unknown');
  });
});
