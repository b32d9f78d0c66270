/**
 * The ssh provider against a REAL sshd on 127.0.0.1 (its own host key and authorised key),
 * real rsync/scp and ssh: a real deploy, a health check against a local HTTP "app" that serves
 * the live release, a real rollback when health fails, host key checking refusing an unknown
 * host. Nothing is faked.
 */
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshDefinition } from '../../src/providers/ssh-deploy.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import { startSshd, type Sshd } from '../fakes/sshd-server.js';
import { nextAttempt, testContext } from '../fakes/deploy-context.js';

let sshd: Sshd;
let app: Server;
let appUrl: string;
let remote: string;

function build(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-build-'));
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'version.txt'), version);
  writeFileSync(join(dir, 'static', 'app.js'), `console.log(${JSON.stringify(version)})`);
  return dir;
}
const provider = (source: string, over: Record<string, unknown> = {}) =>
  sshDefinition.create(
    sshDefinition.settingsSchema.parse({
      host: '127.0.0.1', port: sshd.port, user: sshd.user, identity_file: sshd.clientKey, known_hosts: sshd.knownHosts,
      source, path: remote, restart: ['sh', '-c', 'echo "$(readlink current) $SHIPCLOCK_RUN_ID" >> restarts.log'],
      health_url: appUrl, health_retries: 1, ...over,
    }),
  );
const live = () => readFileSync(join(remote, 'current', 'version.txt'), 'utf8');

describe('ssh: real sshd on 127.0.0.1, real copy, switch, restart, health and rollback', () => {
  before(async () => {
    sshd = await startSshd();
    remote = mkdtempSync(join(tmpdir(), 'shipclock-remote-'));
    // The "app": healthy unless the live release says it is broken.
    app = createServer((_req, res) => {
      const v = existsSync(join(remote, 'current')) ? live() : 'none';
      res.writeHead(v.startsWith('broken') ? 500 : 200).end(v);
    });
    app.listen(0, '127.0.0.1');
    await once(app, 'listening');
    const a = app.address();
    appUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/health`;
  });
  after(async () => {
    app?.close();
    await sshd?.[Symbol.asyncDispose]();
  });

  it('deploys v1 with rsync: release copied, current switched, restart ran with the run id, healthy', async () => {
    const ctx = testContext({ runId: 'run-v1' });
    const p = provider(build('v1'), { copy_with: 'rsync' });
    const h = await p.start(ctx);
    assert.equal(h.id, join(remote, 'releases', 'run-v1'));
    assert.equal(readlinkSync(join(remote, 'current')), h.id);
    assert.equal(readFileSync(join(h.id, 'static', 'app.js'), 'utf8'), 'console.log("v1")');
    const r = await p.poll(h, ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    assert.equal(readFileSync(join(remote, 'restarts.log'), 'utf8'), `${h.id} run-v1\n`);
  });

  it('deploys v2 with scp and a remote health command', async () => {
    const ctx = testContext({ runId: 'run-v2' });
    const p = provider(build('v2'), { copy_with: 'scp', health_url: undefined, health_command: ['grep', '-q', 'v2', 'current/version.txt'] });
    const h = await p.start(ctx);
    assert.equal(readFileSync(join(h.id, 'static', 'app.js'), 'utf8'), 'console.log("v2")');
    assert.equal((await p.poll(h, ctx)).state, 'succeeded');
    assert.equal(live(), 'v2');
  });

  it('a release that fails its health check is rolled back to the previous one, which is restarted', async () => {
    const ctx = testContext({ runId: 'run-broken' });
    const p = provider(build('broken-v3'));
    const h = await p.start(ctx);
    assert.equal(h.details?.['previous'], join(remote, 'releases', 'run-v2'));
    const r = await p.poll(h, ctx);
    assert.equal(r.state, 'rolled_back', JSON.stringify(r));
    assert.equal(live(), 'v2');
    const restarts = readFileSync(join(remote, 'restarts.log'), 'utf8').trim().split('\n');
    assert.equal(restarts.at(-1), `${join(remote, 'releases', 'run-v2')} run-broken`);
  });

  it('a retried start after the switch landed adopts the release instead of copying again', async () => {
    const ctx = testContext({ runId: 'run-v4' });
    const p = provider(build('v4'));
    await p.start(ctx);
    const again = await p.start(nextAttempt(ctx));
    assert.equal(again.id, join(remote, 'releases', 'run-v4'));
    assert.ok(ctx.lines.some((l) => l.includes('an earlier attempt switched it')));
  });

  it('host key checking is on: a known_hosts without this host refuses to connect', async () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'shipclock-kh-')), 'known_hosts');
    writeFileSync(empty, '');
    const e = await provider(build('v5'), { known_hosts: empty }).start(testContext()).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError);
    assert.match(e.message, /ssh-keyscan/);
    assert.notEqual(live(), 'v5');
  });

  it('keeps only keep_releases releases after a success', async () => {
    const p = provider(build('v6'), { keep_releases: 2 });
    const ctx = testContext({ runId: 'run-v6' });
    assert.equal((await p.poll(await p.start(ctx), ctx)).state, 'succeeded');
    const { readdirSync } = await import('node:fs');
    assert.equal(readdirSync(join(remote, 'releases')).length, 2);
    assert.ok(existsSync(join(remote, 'releases', 'run-v6')));
  });

  it('plan() lists the exact ssh/rsync commands; restart must be an argument array', () => {
    const lines = provider('/tmp/build').plan(testContext({ runId: 'r1' })) as readonly string[];
    assert.match(lines[0] ?? '', /^ssh -o BatchMode=yes -o StrictHostKeyChecking=yes/);
    assert.match(lines[1] ?? '', /^rsync -a --delete -e /);
    assert.equal(sshDefinition.settingsSchema.safeParse({ host: 'h', source: 's', path: '/p', restart: 'systemctl restart app' }).success, false);
    assert.equal(sshDefinition.settingsSchema.safeParse({ host: '-oProxyCommand=x', source: 's', path: '/p' }).success, false);
  });
});
