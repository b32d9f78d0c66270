// A `shipclock run` process (from source, through tsx) against a real embedded PostgreSQL that
// is stopped and started again: at start-up, and while a deploy is running.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';

const ROOT = new URL('../..', import.meta.url).pathname;

let server: TestPostgres;
before(async () => {
  server = await startTestPostgres();
});
after(async () => {
  await server?.stop();
});

interface Receipt {
  ev: 'start' | 'end';
  nominal: string;
  fence: number;
  t: number;
}

/** Waits for a condition on real files or process output (checked every 50 ms; never a fixed sleep). */
async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function receipts(dir: string): Promise<Receipt[]> {
  const text = existsSync(join(dir, 'receipts.jsonl')) ? await readFile(join(dir, 'receipts.jsonl'), 'utf8') : '';
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Receipt);
}

async function setup(): Promise<{ dir: string; url: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'shipclock-outage-'));
  // The deploy holds until the test creates the gate file: the test decides when it ends.
  await writeFile(
    join(dir, 'deploy.sh'),
    `#!/bin/sh
r() { printf '{"ev":"%s","nominal":"%s","fence":%s,"t":%s}\\n' "$1" "$SHIPCLOCK_NOMINAL_TIME" "$SHIPCLOCK_FENCE" "$(date +%s%3N)" >> "$DIR/receipts.jsonl"; }
r start
while [ ! -e "$DIR/gate" ]; do sleep 0.05; done
r end
`,
  );
  await writeFile(
    join(dir, 'shipclock.yaml'),
    `deployment:\n  name: web\n  schedule: "*/1s"\n  max_retries: 0\n  provider: shell\n  command: ["sh", ${JSON.stringify(join(dir, 'deploy.sh'))}]\n  env: { DIR: ${JSON.stringify(dir)} }\n`,
  );
  return { dir, url: await server.createDatabase() };
}

function startRun(dir: string, url: string): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'run', '-c', join(dir, 'shipclock.yaml'), '--store', url, '--state', join(dir, 'state')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out, exited: new Promise((r) => child.on('exit', (c) => r(c))) };
}

describe('shipclock run through PostgreSQL outages', () => {
  it('started while PostgreSQL is down: reports each failed attempt, waits, and comes up when it is back', { timeout: 120_000 }, async () => {
    if (!server.restart) return; // DATABASE_URL: not our server to stop
    const { dir, url } = await setup();
    await writeFile(join(dir, 'gate'), '');
    let run!: ReturnType<typeof startRun>;
    await server.restart(async () => {
      run = startRun(dir, url);
      await until('two failed attempts', () => (run.out().match(/cannot open the store \(E_STORE_UNAVAILABLE/g) ?? []).length >= 2);
      assert.equal(run.child.exitCode, null, 'still running');
    });
    try {
      await until('the scheduler starts', () => /scheduler .* started/.test(run.out()));
      await until('a deploy ends', async () => (await receipts(dir)).some((r) => r.ev === 'end'));
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('PostgreSQL stops mid-deploy: the deploy runs to its end, nothing starts while it is down, the outcome is recorded once it is back', { timeout: 120_000 }, async () => {
    if (!server.restart) return;
    const { dir, url } = await setup();
    const run = startRun(dir, url);
    try {
      await until('a deploy starts', async () => (await receipts(dir)).some((r) => r.ev === 'start'));
      const first = (await receipts(dir)).find((r) => r.ev === 'start')!;
      let downFrom = 0;
      let downTo = 0;
      await server.restart(async () => {
        downFrom = Date.now();
        // The database is gone; the deploy is still running. Let it finish now.
        await writeFile(join(dir, 'gate'), '');
        await until('the deploy ends while the database is down', async () => (await receipts(dir)).some((r) => r.ev === 'end' && r.nominal === first.nominal));
        // Give the scheduler a few of its 1 s ticks with no database: none may start a run.
        const ticksFrom = Date.now();
        await until('three scheduler ticks', () => Date.now() - ticksFrom > 3_000);
        downTo = Date.now();
      });
      const startsWhileDown = (await receipts(dir)).filter((r) => r.ev === 'start' && r.t >= downFrom && r.t <= downTo);
      assert.deepEqual(startsWhileDown, [], 'no run starts while the database is down');

      const store = new PostgresStore(url);
      try {
        const nominalMs = Date.parse(first.nominal);
        await until('the outcome is recorded', async () => (await store.findOccurrence('web', nominalMs).catch(() => null))?.state === 'succeeded');
        const occ = (await store.findOccurrence('web', nominalMs))!;
        assert.equal(occ.fence, first.fence, 'the same run, not a takeover');
        assert.ok(occ.reason && occ.reason.length > 0);
        const attempts = await store.listAttempts(occ.id);
        assert.equal(attempts.length, 1);
        assert.equal(attempts[0]!.outcome, 'succeeded');
        // Runs go on after the outage, each nominal time started at most once.
        await until('a run after the outage', async () => (await receipts(dir)).some((r) => r.ev === 'end' && r.t > downTo));
        const starts = (await receipts(dir)).filter((r) => r.ev === 'start').map((r) => r.nominal);
        assert.equal(new Set(starts).size, starts.length, 'no nominal time started twice');
      } finally {
        await store.close();
      }
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
