// `shipclock doctor` in-process against a real embedded PostgreSQL and a real SQLite file.
import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { runCli } from '../helpers/cli.js';
import { freePort, startTestPostgres, type TestPostgres } from '../helpers/postgres.js';

let server: TestPostgres;
let dir: string;
before(async () => {
  server = await startTestPostgres();
  dir = await mkdtemp(join(tmpdir(), 'shipclock-doctor-'));
  await writeFile(
    join(dir, 'shipclock.yaml'),
    'deployment:\n  name: web\n  schedule: "*/1h"\n  provider:\n    kind: shell\n    command: ["true"]\n',
  );
});
after(async () => {
  await server?.stop();
});

interface DoctorJson {
  ok: boolean;
  backend: string;
  location: string;
  checks: { name: string; ok: boolean; summary: string; problems: string[]; detail?: Record<string, unknown> }[];
}

async function doctor(store: string, extra: string[] = [], clock?: FakeClock) {
  const r = await runCli(['doctor', '--store', store, ...extra], { cwd: dir, ...(clock ? { clock } : {}) });
  return { ...r, json: extra.includes('--json') && r.code !== 2 ? (JSON.parse(r.stdout) as DoctorJson) : null };
}

describe('shipclock doctor', () => {
  it('a migrated PostgreSQL on time: healthy, exit 0, the password never printed', async () => {
    const url = await server.createDatabase();
    await (await openStore({ kind: 'postgres', location: url })).close();
    const r = await doctor(url, ['--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json!.ok, true);
    assert.deepEqual(r.json!.checks.map((c) => c.name), ['connectivity', 'schema', 'clock']);
    const password = new URL(url).password;
    assert.ok(!r.stdout.includes(password), 'password redacted');
    const text = await doctor(url);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /healthy/);
  });

  it('an empty database: pending migrations are a problem (exit 1) and doctor applies nothing', async () => {
    const url = await server.createDatabase();
    const r = await doctor(url, ['--json']);
    assert.equal(r.code, 1);
    const schema = r.json!.checks.find((c) => c.name === 'schema')!;
    assert.equal(schema.ok, false);
    assert.ok((schema.detail!['pendingVersions'] as number[]).length > 0);
    assert.equal((await doctor(url, ['--json'])).code, 1, 'still pending: doctor did not migrate');
  });

  it('drift: a dropped column is named', async () => {
    const url = await server.createDatabase();
    await (await openStore({ kind: 'postgres', location: url })).close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('ALTER TABLE occurrences DROP COLUMN reason');
    await c.end();
    const r = await doctor(url);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /column occurrences\.reason is missing/);
  });

  it('clock skew of 5 minutes is a problem; nobody listening is a problem; a bad flag is exit 2', async () => {
    const url = await server.createDatabase();
    await (await openStore({ kind: 'postgres', location: url })).close();
    const skewed = await doctor(url, ['--json'], new FakeClock(Date.now() + 5 * 60_000));
    assert.equal(skewed.code, 1);
    const clockCheck = skewed.json!.checks.find((c) => c.name === 'clock')!;
    assert.equal(clockCheck.ok, false);
    assert.ok((clockCheck.detail!['skewMs'] as number) < -4 * 60_000);

    const port = await freePort();
    const down = await doctor(`postgres://postgres:pw@127.0.0.1:${port}/x`, ['--json']);
    assert.equal(down.code, 1);
    assert.equal(down.json!.checks[0]!.name, 'connectivity');
    assert.equal(down.json!.checks[0]!.ok, false);

    assert.equal((await runCli(['doctor', '--jsn'], { cwd: dir })).code, 2);
  });

  it('SQLite: shows the scheduler lock holder', async () => {
    const file = join(dir, 'ledger.db');
    const store = await openStore({ kind: 'sqlite', location: file });
    const now = Date.now();
    assert.ok(await store.acquireLock('scheduler', 'host-a:4242:abcd', now + 30_000, now, { pid: 4242, host: 'host-a' }));
    await store.close();
    const r = await doctor(file, ['--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lock = r.json!.checks.find((c) => c.name === 'scheduler_lock')!;
    assert.match(lock.summary, /held by host-a:4242:abcd \(pid 4242 on host-a\)/);
    const missing = await doctor(join(dir, 'nope.db'));
    assert.equal(missing.code, 1);
  });
});
