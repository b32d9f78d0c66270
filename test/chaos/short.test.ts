// The short chaos run (issue 7) in the test suite: three real `shipclock run` processes (from
// source, through tsx) on one embedded PostgreSQL, ~40 s of kill -9, SIGSTOP/SIGCONT, database
// restarts and a libfaketime clock shift, then the checker. Real processes, real time: the run
// is driven by the chaos script, and the test waits for it to end.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import type { ChaosReport } from '../../scripts/chaos/check.js';

const ROOT = new URL('../..', import.meta.url).pathname;

function runChaos(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/chaos/run.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('chaos (short): several instances on one PostgreSQL through crashes, pauses, outages and clock shifts', () => {
  it('0 duplicates, 0 overlapping runs, 0 unexplained gaps; takeover after kill -9 within lease + heartbeat', { timeout: 300_000 }, async (t) => {
    const r = await runChaos([
      '--seconds', '40', '--instances', '3', '--fault-every', '4', '--max-stop', '15', '--max-db-down', '5',
      '--settle', '75', '--from-source', '--no-build', '--json', '--seed', String(Date.now() % 100_000),
    ]);
    const last = r.out.trim().split('\n').at(-1) ?? '';
    assert.ok(last.startsWith('{'), `the chaos run printed a report\n${r.out}\n${r.err.slice(-3000)}`);
    const report = JSON.parse(last) as ChaosReport;
    for (const line of r.out.trim().split('\n').slice(0, -1)) t.diagnostic(line);
    const context = `\n${r.out}\n${r.err.slice(-2000)}`;
    assert.ok(report.occurrences > 40, `enough occurrences were checked (${report.occurrences})${context}`);
    assert.ok(report.acceptedStarts > 20, `deploys ran (${report.acceptedStarts})${context}`);
    assert.equal(report.duplicates, 0, `duplicates${context}`);
    assert.equal(report.overlaps, 0, `overlapping runs${context}`);
    assert.equal(report.unexplainedGaps, 0, `unexplained gaps${context}`);
    assert.ok(Object.values(report.faults).reduce((a, b) => a + b, 0) >= 4, `faults were injected${context}`);
    // Lease 30 s + heartbeat 10 s (DESIGN.md §6), plus a tick and the database round trips; a
    // database outage between the kill and the expiry delays every sweep, so those are apart.
    for (const d of report.cleanKillTakeoverDelaysMs) assert.ok(d <= 41_000, `takeover ${d} ms after kill -9${context}`);
    assert.equal(r.code, 0, `the checker passed${context}`);
  });
});
