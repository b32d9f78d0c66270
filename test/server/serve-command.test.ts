/**
 * `shipclock serve` and `shipclock run --http` through main(), in-process, with real servers,
 * a real SQLite state dir and real shell deploys: serve records actions in the ledger and a
 * separate `run --once` carries them out.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';

class Out {
  text = '';
  private waiters: (() => void)[] = [];
  write(chunk: string): boolean {
    this.text += chunk;
    for (const w of this.waiters.splice(0)) w();
    return true;
  }
  async waitFor(re: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      const m = re.exec(this.text);
      if (m) return m;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const YAML = 'deployments:\n  web:\n    schedule: "0 3 * * *"\n    provider: shell\n    command: ["sh", "-c", "echo served"]\n    max_retries: 0\n';

test('serve: dashboard and API from the ledger without a scheduler; a trigger is picked up by a separate run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-serve-'));
  writeFileSync(join(dir, 'shipclock.yaml'), YAML);
  const stop = new AbortController();
  const stdout = new Out();
  const stderr = new Out();
  const serving = main(['serve', '--http', '127.0.0.1:0'], { stdout, stderr, env: {}, cwd: dir, signal: stop.signal });
  try {
    const url = (await Promise.race([stdout.waitFor(/dashboard and API on (http:\/\/127\.0\.0\.1:\d+)\//), serving.then(() => assert.fail(stderr.text))]))[1]!;
    assert.match(await (await fetch(`${url}/`)).text(), /<title>shipclock<\/title>/);
    const jobs = (await (await fetch(`${url}/api/jobs`)).json()) as { jobs: { name: string; schedule_words: string }[] };
    assert.deepEqual(jobs.jobs.map((j) => j.name), ['web']);
    const trig = await fetch(`${url}/api/jobs/web/trigger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(trig.status, 202);
    const { occurrence_id: id } = (await trig.json()) as { occurrence_id: string };
    assert.equal(((await (await fetch(`${url}/api/occurrences/${id}`)).json()) as { state: string }).state, 'pending');

    const runOut = new Out();
    const code = await main(['run', '--once'], { stdout: runOut, stderr: runOut, env: {}, cwd: dir });
    assert.equal(code, 0, runOut.text);
    const done = (await (await fetch(`${url}/api/occurrences/${id}`)).json()) as { state: string; attempts: { log_url: string }[] };
    assert.equal(done.state, 'succeeded');
    assert.match(await (await fetch(url + done.attempts[0]!.log_url)).text(), /^served$/m);
    assert.match(await (await fetch(`${url}/metrics`)).text(), /^shipclock_scheduler_up 0$/m);
  } finally {
    stop.abort();
    assert.equal(await serving, 0, stderr.text);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run --http beyond loopback without SHIPCLOCK_API_TOKEN: exit 2, says why, starts nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-serve-'));
  try {
    writeFileSync(join(dir, 'shipclock.yaml'), YAML);
    for (const argv of [
      ['run', '--once', '--http', '0.0.0.0:0'],
      ['serve', '--http', '0.0.0.0:0'],
    ]) {
      const out = new Out();
      const err = new Out();
      assert.equal(await main(argv, { stdout: out, stderr: err, env: {}, cwd: dir }), 2, argv.join(' '));
      assert.match(err.text, /SHIPCLOCK_API_TOKEN/);
      assert.doesNotMatch(out.text, /scheduler .* started/);
    }
    const out = new Out();
    assert.equal(await main(['serve', '--http', 'nowhere:port'], { stdout: out, stderr: out, env: {}, cwd: dir }), 2);
    assert.match(out.text, /--http: "nowhere:port"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run --http with a token on loopback: the API answers while the scheduler runs, actions need the token', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-serve-'));
  writeFileSync(join(dir, 'shipclock.yaml'), YAML);
  const stop = new AbortController();
  const stdout = new Out();
  const running = main(['run', '--http', '127.0.0.1:0'], { stdout, stderr: stdout, env: { SHIPCLOCK_API_TOKEN: 'tok-123456' }, cwd: dir, signal: stop.signal });
  try {
    const url = (await stdout.waitFor(/on (http:\/\/127\.0\.0\.1:\d+)\/.*actions need the API token/))[1]!;
    await stdout.waitFor(/scheduler .* started/);
    assert.equal((await fetch(`${url}/api/jobs`)).status, 200);
    assert.equal((await fetch(`${url}/api/jobs/web/trigger`, { method: 'POST' })).status, 401);
    const ok = await fetch(`${url}/api/jobs/web/trigger`, { method: 'POST', headers: { authorization: 'Bearer tok-123456' } });
    assert.equal(ok.status, 202);
    await stdout.waitFor(/web {2}(\u001b\[\d+m)?succeeded/); // the in-process scheduler ran it at once
    assert.match(await (await fetch(`${url}/metrics`)).text(), /^shipclock_runs_total\{job="web",state="succeeded"\} 1$/m);
  } finally {
    stop.abort();
    assert.equal(await running, 0, stdout.text);
    rmSync(dir, { recursive: true, force: true });
  }
});
