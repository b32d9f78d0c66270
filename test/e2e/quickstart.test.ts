/**
 * End to end with real processes: `bin/shipclock run` on the bundled quickstart deploys the
 * example app every 10 s with the `local` provider, and the app serves the newest release.
 * This test runs in real time (about 35 s) because it checks the real timing; it waits on the
 * process's output, never on a fixed sleep.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/postgres.js';
import { BIN, startShipclock } from '../helpers/process.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));

/**
 * The bundled example, copied as it is but for its port: the demo's app (which keeps serving
 * after `npm run demo` stops, as a deployed app does) or anything else on 8787 must not meet it.
 */
function quickstartCopy(port: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-qs-example-'));
  cpSync(join(EXAMPLE, 'app'), join(dir, 'app'), { recursive: true });
  const yaml = readFileSync(join(EXAMPLE, 'shipclock.yaml'), 'utf8');
  assert.match(yaml, /url: http:\/\/127\.0\.0\.1:8787\/health/, 'the example checks its app on 8787');
  writeFileSync(join(dir, 'shipclock.yaml'), yaml.replaceAll('127.0.0.1:8787', `127.0.0.1:${port}`));
  return join(dir, 'shipclock.yaml');
}

test('quickstart: at least 3 scheduled deploys 10 s apart, and the app serves the newest release', { timeout: 90_000 }, async () => {
  const port = await freePort();
  const CONFIG = quickstartCopy(port);
  const state = mkdtempSync(join(tmpdir(), 'shipclock-qs-'));
  const p = startShipclock(['run', '-c', CONFIG, '--state', state], { env: { PORT: String(port) } });
  try {
    await p.waitFor(/quickstart {2}succeeded/, 3);
    const current = basename(readlinkSync(join(state, 'releases', 'quickstart', 'current')));
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.match(await res.text(), new RegExp(current));
  } finally {
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    execFileSync(process.execPath, [join(state, 'releases', 'quickstart', 'current', 'restart.mjs'), '--stop']);
  }
  const history = JSON.parse(execFileSync(process.execPath, [BIN, 'history', '--json', '-c', CONFIG, '--state', state], { encoding: 'utf8' })) as {
    nominal_time: string;
    state: string;
  }[];
  const ok = history.filter((o) => o.state === 'succeeded').map((o) => Date.parse(o.nominal_time)).sort();
  assert.ok(ok.length >= 3, `succeeded: ${ok.length}`);
  for (let i = 1; i < ok.length; i++) assert.equal(ok[i]! - ok[i - 1]!, 10_000, 'scheduled 10 s apart');
});
