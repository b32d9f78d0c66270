import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DeployError } from '../../src/providers/deploy-error.js';
import { localDefinition } from '../../src/providers/local.js';
import { CURRENT_LINK, switchCurrent } from '../../src/providers/local-releases.js';
import type { LocalSettings } from '../../src/providers/local-settings.js';
import { findProvider } from '../../src/providers/registry.js';
import type { PollResult } from '../../src/providers/types.js';
import { deployContext, FIXTURES, healthServer, tempDir, type TestContext } from '../runner/helpers.js';

const schema = localDefinition.settingsSchema;

/**
 * A world for local deploys: an app folder whose `status` file says how healthy that version
 * is, a real HTTP server that answers with the `status` of whatever `current` points at (as
 * an app served from `current` would), and a restart command that records each restart.
 */
async function world(extra: Record<string, unknown> = {}) {
  const base = tempDir();
  const stateDir = join(base, 'state');
  const source = join(base, 'app');
  mkdirSync(source);
  writeFileSync(join(source, 'index.txt'), 'v1');
  writeFileSync(join(source, 'status'), '200');
  const releasesDir = typeof extra['releases_dir'] === 'string' ? join(base, extra['releases_dir']) : join(stateDir, 'releases', 'web');
  const restartLog = join(base, 'restarts.log');
  const server = await healthServer(() => {
    try {
      return Number(readFileSync(join(releasesDir, CURRENT_LINK, 'status'), 'utf8'));
    } catch {
      return 503;
    }
  });
  const settings = {
    source: 'app',
    // sh rather than node: these run several times per test and sh starts in a millisecond.
    build: ['/bin/sh', '-c', 'printf %s "$SHIPCLOCK_RELEASE_ID" > BUILT'],
    restart: ['/bin/sh', '-c', 'echo "$SHIPCLOCK_RELEASE_ID $(pwd -P)" >> "$RESTART_LOG"'],
    env: { RESTART_LOG: restartLog },
    health: { url: server.url, timeout: '300ms' },
    ...extra,
  };
  const provider = localDefinition.create(schema.parse(settings) as LocalSettings, { baseDir: base });
  const deploy = async (
    runId: string,
    attempt = 1,
    watch?: (line: string, ctx: TestContext) => void,
  ): Promise<PollResult & { lines: string[] }> => {
    const base = deployContext(stateDir, { runId, attempt });
    const ctx: TestContext = watch ? { ...base, log: (l) => (base.lines.push(l), watch(l, ctx)) } : base;
    const handle = await provider.start(ctx);
    assert.equal(handle.id, attempt > 1 ? `${runId}-a${attempt}` : runId);
    return { ...(await provider.poll(handle, ctx)), lines: ctx.lines };
  };
  return {
    base,
    source,
    stateDir,
    releasesDir,
    deploy,
    current: () => readlinkSync(join(releasesDir, CURRENT_LINK)),
    restarts: () => (existsSync(restartLog) ? readFileSync(restartLog, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]) : []),
    releases: () => readdirSync(releasesDir).filter((n) => n !== CURRENT_LINK).sort(),
    setVersion(text: string, status: number) {
      writeFileSync(join(source, 'index.txt'), text);
      writeFileSync(join(source, 'status'), String(status));
    },
  };
}

describe('local provider: settings', () => {
  it('is registered under `local`', () => {
    assert.equal(findProvider('local'), localDefinition);
  });

  it('needs a source; build and restart are argument arrays; keep is at least 1; unknown keys refused', () => {
    const paths = (v: unknown) => schema.safeParse(v).error?.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths({}), ['source']);
    assert.deepEqual(paths({ source: 'app', build: 'npm ci' }), ['build']);
    assert.deepEqual(paths({ source: 'app', restart: [] }), ['restart']);
    assert.deepEqual(paths({ source: 'app', keep: 0 }), ['keep']);
    assert.deepEqual(paths({ source: 'app', kepp: 3 }), ['']);
    assert.ok(schema.safeParse({ source: 'app', keep: 3, releases_dir: '/srv/releases', health: { url: 'http://127.0.0.1:1/' } }).success);
  });
});

describe('local provider: real files, processes and HTTP', () => {
  it('copies into releases/<run id>, builds there, points current at it, restarts from it, checks health', async () => {
    const w = await world();
    const r = await w.deploy('run-1');
    assert.equal(r.state, 'succeeded', r.lines.join('\n'));
    assert.equal(w.current(), 'run-1', 'a relative symlink to the release');
    assert.equal(readFileSync(join(w.releasesDir, 'run-1', 'index.txt'), 'utf8'), 'v1');
    assert.equal(readFileSync(join(w.releasesDir, 'run-1', 'BUILT'), 'utf8'), 'run-1', 'build ran in the copy');
    assert.equal(existsSync(join(w.source, 'BUILT')), false, 'the source is untouched');
    assert.deepEqual(w.restarts(), ['run-1']);
    assert.match(readFileSync(join(w.base, 'restarts.log'), 'utf8'), new RegExp(`run-1 ${join(w.releasesDir, 'run-1')}`));
    assert.equal(w.releasesDir, join(w.stateDir, 'releases', 'web'), 'default releases_dir is <state>/releases/<job>');
  });

  it('rolls back to the previous release when the new one fails its health check', async () => {
    const w = await world();
    assert.equal((await w.deploy('run-1')).state, 'succeeded');
    w.setVersion('v2-broken', 500);
    const r = await w.deploy('run-2');
    assert.equal(r.state, 'rolled_back', r.lines.join('\n'));
    assert.match(r.state === 'rolled_back' ? r.message : '', /health check failed.*HTTP 500.*rolled back: run-1 is live again$/);
    assert.equal(w.current(), 'run-1');
    assert.deepEqual(w.restarts(), ['run-1', 'run-2', 'run-1'], 'the previous release was restarted');
  });

  it('rolls back when the restart command fails', async () => {
    const broken = await world({ restart: ['/bin/sh', '-c', 'test "$SHIPCLOCK_RELEASE_ID" != run-2 || exit 4'] });
    assert.equal((await broken.deploy('run-1')).state, 'succeeded');
    const r = await broken.deploy('run-2');
    assert.equal(r.state, 'rolled_back');
    assert.match(r.state === 'rolled_back' ? r.message : '', /^restart exit 4; rolled back/);
    assert.equal(broken.current(), 'run-1');
  });

  it('a run stopped while the new release starts puts the previous one back and restarts it', async () => {
    // The restart of run-2 hangs (its whole tree is killed by the stop); run-1's returns at once.
    const w = await world({ restart: ['/bin/sh', '-c', 'echo "$SHIPCLOCK_RELEASE_ID" >> "$RESTART_LOG"; echo "restarting $SHIPCLOCK_RELEASE_ID"; test "$SHIPCLOCK_RELEASE_ID" != run-2 || exec sleep 1000'] });
    assert.equal((await w.deploy('run-1')).state, 'succeeded');
    const r = await w.deploy('run-2', 1, (line, ctx) => {
      if (line === 'restarting run-2') ctx.controller.abort('timed_out');
    });
    assert.deepEqual(r.state === 'failed' && [r.errorClass, r.message], ['cancelled', 'stopped during activation of run-2; rolled back to run-1 and restarted']);
    assert.equal(w.current(), 'run-1');
    assert.deepEqual(w.restarts(), ['run-1', 'run-2', 'run-1']);
  });

  it('a first release that fails its health check fails unhealthy: there is nothing to roll back to', async () => {
    const w = await world();
    w.setVersion('v1-broken', 503);
    const r = await w.deploy('run-1');
    assert.equal(r.state, 'failed');
    assert.equal(r.state === 'failed' && r.errorClass, 'unhealthy');
    assert.match(r.state === 'failed' ? r.message : '', /no previous release to roll back to/);
  });

  it('a failed build never goes live and leaves no release behind', async () => {
    const b = await world({ build: ['/bin/sh', '-c', 'test "$SHIPCLOCK_RELEASE_ID" != run-2 || exit 2'] });
    assert.equal((await b.deploy('run-1')).state, 'succeeded');
    const r = await b.deploy('run-2');
    assert.deepEqual([r.state, r.state === 'failed' && r.errorClass], ['failed', 'unknown']);
    assert.equal(b.current(), 'run-1');
    assert.deepEqual(b.releases(), ['run-1']);
  });

  it('keeps only the newest `keep` releases, and never a partial copy', async () => {
    const w = await world({ keep: 2 });
    for (const id of ['r1', 'r2', 'r3', 'r4']) assert.equal((await w.deploy(id)).state, 'succeeded');
    assert.deepEqual(w.releases(), ['r3', 'r4']);
    assert.equal(w.current(), 'r4');
    assert.ok(!readdirSync(w.releasesDir).some((n) => n.startsWith('.')), 'no temporary folders or links left');
  });

  it('never prunes the live release, even when newer (rolled back) ones fill `keep`', async () => {
    const w = await world({ keep: 1 });
    assert.equal((await w.deploy('good')).state, 'succeeded');
    w.setVersion('bad', 500);
    assert.equal((await w.deploy('bad')).state, 'rolled_back');
    assert.equal(w.current(), 'good');
    assert.deepEqual(w.releases(), ['bad', 'good']);
  });

  it('a retry is a new release id; a release already live (an earlier attempt landed) is not copied again', async () => {
    const w = await world();
    assert.equal((await w.deploy('run-1', 2)).state, 'succeeded');
    assert.equal(w.current(), 'run-1-a2');
    w.setVersion('changed', 200);
    const again = await w.deploy('run-1', 2);
    assert.equal(again.state, 'succeeded');
    assert.ok(again.lines.some((l) => l.includes('already live')));
    assert.equal(readFileSync(join(w.releasesDir, 'run-1-a2', 'index.txt'), 'utf8'), 'v1', 'not recopied');
  });

  it('a missing source folder is a not_found deploy error', async () => {
    const w = await world({ source: 'nope' });
    await assert.rejects(w.deploy('run-1'), (e: unknown) => e instanceof DeployError && e.errorClass === 'not_found');
  });

  it('a releases_dir (or state dir) inside the source is not copied into the release', async () => {
    const w = await world({ releases_dir: 'app/releases' });
    assert.equal((await w.deploy('a')).state, 'succeeded');
    assert.equal((await w.deploy('b')).state, 'succeeded');
    assert.equal(existsSync(join(w.source, 'releases', 'b', 'releases')), false);
    assert.equal(readFileSync(join(w.source, 'releases', 'b', 'index.txt'), 'utf8'), 'v1', 'the rest of the app was copied');
  });

  it('plans the copy, build, switch, restart and health steps', () => {
    const p = localDefinition.create(schema.parse({ source: '/srv/app', build: ['make'], keep: 3 }) as LocalSettings);
    const plan = p.plan(deployContext('/var/state', { runId: 'R1' })) as string[];
    assert.deepEqual(plan, [
      'copy /srv/app to /var/state/releases/web/R1',
      'run ["make"] in /var/state/releases/web/R1',
      'point /var/state/releases/web/current at R1 (symlink, atomic rename)',
      'on failure roll back to the previous release; keep the newest 3 releases',
    ]);
  });
});

describe('local provider: the `current` switch', () => {
  /** Switches `current` 300 times while another process reads through it; its read counts. */
  async function readsDuringSwitches(sw: (dir: string, id: string) => Promise<void>): Promise<{ ok: number; bad: number; dir: string }> {
    const dir = tempDir();
    for (const id of ['A', 'B']) {
      mkdirSync(join(dir, id));
      writeFileSync(join(dir, id, 'status'), id);
    }
    await switchCurrent(dir, 'A');
    const reader = spawn(process.execPath, [join(FIXTURES, 'link-reader.cjs'), join(dir, CURRENT_LINK)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const ready = new Promise<void>((r) => reader.stdout.on('data', (d: Buffer) => ((out += d.toString()), out.includes('ready') && r())));
    const exited = new Promise<void>((r) => reader.on('exit', () => r()));
    await ready;
    for (let i = 0; i < 300; i++) await sw(dir, i % 2 ? 'A' : 'B');
    reader.stdin.end();
    await exited;
    const counts = JSON.parse(out.split('\n').find((l) => l.startsWith('{')) ?? '{}') as { ok: number; bad: number };
    return { ...counts, dir };
  }

  it('is atomic: a reader in another process never finds `current` missing during 300 switches', async () => {
    const { ok, bad, dir } = await readsDuringSwitches(switchCurrent);
    assert.ok(ok > 0, 'the reader read');
    assert.equal(bad, 0, 'the reader found current missing');
    assert.ok(lstatSync(join(dir, CURRENT_LINK)).isSymbolicLink());
    assert.deepEqual(readdirSync(dir).sort(), ['A', 'B', CURRENT_LINK], 'no temporary link left behind');
  });

  it('(control) the same reader does catch a non-atomic unlink-then-symlink switch', async () => {
    const naive = async (dir: string, id: string) => {
      await unlink(join(dir, CURRENT_LINK));
      await symlink(id, join(dir, CURRENT_LINK));
    };
    const { bad } = await readsDuringSwitches(naive);
    assert.ok(bad > 0, 'the reader should have seen current missing at least once');
  });

  it('refuses to replace a real folder named current (and says so)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'A'));
    mkdirSync(join(dir, CURRENT_LINK));
    await assert.rejects(switchCurrent(dir, 'A'));
    assert.deepEqual(readdirSync(dir).sort(), ['A', CURRENT_LINK]);
  });
});
