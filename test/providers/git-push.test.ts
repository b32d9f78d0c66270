/**
 * The git provider against real git: a real bare repository with a post-receive hook (the
 * "deploy" records what it received), a rejecting pre-receive hook for the failure path, and a
 * non-fast-forward push. No fakes.
 */
import { beforeEach, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitDefinition, redactUrl } from '../../src/providers/git-push.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import { nextAttempt, testContext } from '../fakes/deploy-context.js';

let dir: string;
let work: string;
let bare: string;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const provider = (over: Record<string, unknown> = {}) =>
  gitDefinition.create(gitSettings({ remote: bare, repo: work, destination: 'main', ...over }));
const gitSettings = (x: Record<string, unknown>) => gitDefinition.settingsSchema.parse(x);

function commit(msg: string): string {
  writeFileSync(join(work, 'app.txt'), `${msg}\n`);
  git(work, 'add', 'app.txt');
  git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', msg);
  return git(work, 'rev-parse', 'HEAD');
}
function hook(name: string, body: string): void {
  const p = join(bare, 'hooks', name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
}

describe('git: real pushes to a real bare repository with hooks', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shipclock-git-'));
    work = join(dir, 'work');
    bare = join(dir, 'remote.git');
    git(dir, 'init', '-q', '--bare', bare);
    git(dir, 'init', '-q', '-b', 'main', work);
    hook('post-receive', `while read old new ref; do echo "$new $ref $SHIPCLOCK_RUN_ID" >> "${join(dir, 'deployed.log')}"; done`);
  });

  it('pushes HEAD, records the commit, and ls-remote confirms it; the hook ran with the run id', async () => {
    const sha = commit('v1');
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.equal(h.id, sha);
    assert.equal((await p.poll(h, ctx)).state, 'succeeded');
    assert.equal(readFileSync(join(dir, 'deployed.log'), 'utf8'), `${sha} refs/heads/main ${ctx.runId}\n`);
    assert.ok(ctx.lines.some((l) => l.startsWith('$ git -C')));
  });

  it('a pre-receive hook that declines is `unhealthy` and the remote ref does not move', async () => {
    const first = commit('v1');
    await provider().start(testContext());
    hook('pre-receive', 'echo "build failed: tests red" >&2; exit 1');
    commit('v2');
    const ctx = testContext();
    const e = await provider().start(ctx).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError);
    assert.equal(e.errorClass, 'unhealthy');
    assert.match(e.message, /\[remote rejected\]/);
    assert.ok(ctx.lines.some((l) => l.includes('build failed: tests red')), 'the hook output reaches the attempt log');
    assert.equal(git(dir, '--git-dir', bare, 'rev-parse', 'main'), first);
  });

  it('a non-fast-forward push is `conflict`; force: true pushes with --force-with-lease', async () => {
    commit('v1');
    await provider().start(testContext());
    git(work, 'reset', '-q', '--hard', 'HEAD');
    git(work, 'checkout', '-q', '--orphan', 'other');
    const other = commit('unrelated');
    const e = await provider({ source: 'other' }).start(testContext()).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError);
    assert.equal(e.errorClass, 'conflict');
    const h = await provider({ source: 'other', force: true, remote: bare }).start(testContext());
    assert.equal(h.id, other);
  });

  it('a retried attempt whose push landed does not push again; a later push by someone else is a `conflict` on poll', async () => {
    commit('v1');
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    const again = await p.start(nextAttempt(ctx));
    assert.equal(again.id, h.id);
    assert.equal(readFileSync(join(dir, 'deployed.log'), 'utf8').split('\n').filter(Boolean).length, 1);
    commit('v2');
    await provider().start(testContext());
    const r = await p.poll(h, ctx);
    assert.deepEqual(r.state === 'failed' && r.errorClass, 'conflict');
  });

  it('an unknown source is `invalid`; a missing local remote is `not_found`', async () => {
    commit('v1');
    const e1 = await provider({ source: 'no-such-branch' }).start(testContext()).catch((x: unknown) => x);
    assert.ok(e1 instanceof DeployError);
    assert.equal(e1.errorClass, 'invalid');
    const e2 = await provider({ remote: join(dir, 'missing.git') }).start(testContext()).catch((x: unknown) => x);
    assert.ok(e2 instanceof DeployError);
    assert.equal(e2.errorClass, 'not_found');
    assert.equal(existsSync(join(dir, 'deployed.log')), false);
  });

  it('plan() hides credentials in remote URLs; settings refuse option-like remotes', () => {
    const lines = gitDefinition.create(gitSettings({ remote: 'https://deploy:t0ken@git.example.com/app.git' })).plan(testContext()) as readonly string[];
    assert.ok(lines.every((l) => !l.includes('t0ken')));
    assert.match(lines[1] ?? '', / push --porcelain 'https:\/\/deploy:\*\*\*@git\.example\.com\/app\.git' '<sha>:refs\/heads\/main'$/);
    assert.equal(redactUrl('git@github.com:o/r.git'), 'git@github.com:o/r.git');
    assert.equal(gitDefinition.settingsSchema.safeParse({ remote: '--upload-pack=x' }).success, false);
  });
});
