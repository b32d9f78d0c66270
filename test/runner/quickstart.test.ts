/**
 * The quickstart example, deployed for real: its YAML's provider settings validate against the
 * `local` schema, and three runs through the runner leave the app serving the newest release.
 * Only the port differs (a free one instead of 8787, so a running demo does not interfere).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { localDefinition } from '../../src/providers/local.js';
import { processAlive } from '../../src/providers/process-tree.js';
import type { LocalSettings } from '../../src/providers/local-settings.js';
import { runDeploy } from '../../src/runner/run-deploy.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir, testJob } from './helpers.js';

const EXAMPLE = new URL('../../examples/quickstart/', import.meta.url).pathname;
/** Job keys that the config module handles; the rest of the block is the provider's. */
const JOB_KEYS = new Set(['schedule', 'provider', 'timeout', 'max_retries', 'timezone', 'retry_on_failure', 'notifications']);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function httpText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('examples/quickstart (real app, real deploys with the local provider)', () => {
  const doc = parse(readFileSync(join(EXAMPLE, 'shipclock.yaml'), 'utf8')) as { deployments: Record<string, Record<string, unknown>> };
  const job = doc.deployments['quickstart'];

  it('is a multi-job config deploying ./app with `local` every 10 seconds, health-checked on 8787', () => {
    assert.ok(job);
    assert.equal(job['schedule'], '*/10s');
    assert.equal(job['provider'], 'local');
    assert.deepEqual(job['health'], { url: 'http://127.0.0.1:8787/health', timeout: '10s' });
  });

  it('deploys three times; the app serves the newest release; old processes are replaced', async () => {
    assert.ok(job);
    const port = await freePort();
    const raw = Object.fromEntries(Object.entries(job).filter(([k]) => !JOB_KEYS.has(k)));
    const settings = localDefinition.settingsSchema.parse({
      ...raw,
      health: { url: `http://127.0.0.1:${port}/health`, timeout: '10s' },
      env: { PORT: port },
    }) as LocalSettings;
    const provider = localDefinition.create(settings, { baseDir: EXAMPLE });
    const stateDir = tempDir();
    const releasesDir = join(stateDir, 'releases', 'quickstart');
    const clock = new FakeClock();
    const pids: string[] = [];
    try {
      for (const runId of ['qs-1', 'qs-2', 'qs-3']) {
        const result = await runDeploy({
          runId,
          job: testJob({ name: 'quickstart', retry: { maxRetries: 0 } }),
          nominalTime: new Date(clock.now()),
          fence: 1,
          stateDir,
          provider,
          clock,
        });
        assert.equal(result.outcome, 'succeeded', readFileSync(result.attempts[0]!.logPath, 'utf8'));
        assert.match(readFileSync(result.attempts[0]!.logPath, 'utf8'), new RegExp(`built release ${runId}`));
        pids.push(readFileSync(join(releasesDir, 'app.pid'), 'utf8').trim());
        assert.equal(await httpText(`http://127.0.0.1:${port}/`), `release ${runId}\n`);
      }
      assert.equal(new Set(pids).size, 3, 'each deploy started a new app process');
      for (const pid of pids.slice(0, 2)) {
        assert.equal(processAlive(Number(pid)), false, `old app ${pid} still runs`);
      }
      const health = JSON.parse(await httpText(`http://127.0.0.1:${port}/health`)) as { status: string; release: string };
      assert.deepEqual([health.status, health.release], ['ok', 'qs-3']);
    } finally {
      // Stop the detached app the restart script started (before the temp state dir goes).
      const stop = spawnSync(process.execPath, [join(releasesDir, 'current', 'restart.mjs'), '--stop'], {
        env: { ...process.env, SHIPCLOCK_RELEASES_DIR: releasesDir },
      });
      assert.equal(stop.status, 0, String(stop.stderr));
    }
    for (const pid of pids) assert.equal(processAlive(Number(pid)), false, `app ${pid} left running`);
  });

  it('a port taken by another process fails the deploy instead of trusting its health answer', async () => {
    assert.ok(job);
    // Something else answers 200 on the port: a bare health check would call that a success.
    const squatter = createHttpServer((_req, res) => res.end(JSON.stringify({ status: 'ok', release: 'someone-else' })));
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const port = (squatter.address() as AddressInfo).port;
    try {
      const raw = Object.fromEntries(Object.entries(job).filter(([k]) => !JOB_KEYS.has(k)));
      const settings = localDefinition.settingsSchema.parse({ ...raw, health: { url: `http://127.0.0.1:${port}/health`, timeout: '2s' }, env: { PORT: port } }) as LocalSettings;
      const stateDir = tempDir();
      const result = await runDeploy({
        runId: 'qs-squat',
        job: testJob({ name: 'quickstart', retry: { maxRetries: 0 } }),
        nominalTime: new Date(0),
        fence: 1,
        stateDir,
        provider: localDefinition.create(settings, { baseDir: EXAMPLE }),
        clock: new FakeClock(),
      });
      const log = readFileSync(result.attempts[0]!.logPath, 'utf8');
      assert.equal(result.outcome, 'failed', log);
      assert.equal(result.errorClass, 'unhealthy');
      assert.match(result.message ?? '', /^restart exit 1; no previous release to roll back to$/);
      assert.match(log, /release qs-squat did not come up on port \d+ \(it exited: see the log\)/);
      const pid = Number(readFileSync(join(stateDir, 'releases', 'quickstart', 'app.pid'), 'utf8'));
      assert.equal(processAlive(pid), false, 'the app that could not bind is gone');
    } finally {
      squatter.closeAllConnections();
      squatter.close();
    }
  });
});
