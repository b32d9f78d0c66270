/**
 * Contract test: `source:` deploys of the gcp-cloud-run provider, driving the REAL `gcloud`
 * (v528) `run deploy --source DIR` against wire-level fakes of the APIs it calls:
 * Artifact Registry, Cloud Storage, Cloud Build, Cloud Run v2 `builds:submit` and the Cloud
 * Run Admin API (test/fakes/gcp-source-deploy-api.ts, test/fakes/cloud-run-api.ts), reached
 * through gcloud's endpoint overrides and HTTP proxy, with a throwaway CLOUDSDK_CONFIG and an
 * access token from CLOUDSDK_AUTH_ACCESS_TOKEN. The "build" is the fake's: it reads the
 * uploaded archive and its outcome is scripted.
 */
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gcpCloudRunDefinition, revisionSuffix } from '../../src/providers/gcp-cloud-run.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import { RETRYABLE_CLASSES, type DeployHandle, type PollResult, type Provider } from '../../src/providers/types.js';
import { CloudRunFake } from '../fakes/cloud-run-api.js';
import { SourceDeployFake } from '../fakes/gcp-source-deploy-api.js';
import { testContext, type TestContext } from '../fakes/deploy-context.js';
import { runCli } from '../helpers/cli.js';

const REPO = 'us-central1-docker.pkg.dev/proj1/cloud-run-source-deploy';
let api: CloudRunFake;
let src: SourceDeployFake;
let work: string;
const saved = { ...process.env };

/** A source folder with a Dockerfile and a file of the app. */
function sourceFolder(name = 'app'): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM gcr.io/distroless/nodejs20\nCOPY server.js /\nCMD ["/server.js"]\n');
  writeFileSync(join(dir, 'server.js'), 'require("http").createServer((q, s) => s.end("hi")).listen(process.env.PORT);\n');
  return dir;
}
function provider(over: Record<string, unknown> = {}): Provider {
  return gcpCloudRunDefinition.create(
    gcpCloudRunDefinition.settingsSchema.parse({ service: 'web', region: 'us-central1', project: 'proj1', source: './app', ...over }),
    { baseDir: work },
  );
}
async function settle(p: Provider, h: DeployHandle, ctx: TestContext): Promise<PollResult> {
  for (let i = 0; i < 5; i++) {
    const r = await p.poll(h, ctx);
    if (r.state !== 'pending') return r;
  }
  throw new Error('still pending after 5 polls');
}
const count = (prefix: string): number => api.requests.filter((x) => x.startsWith(prefix)).length;

describe('gcp-cloud-run source deploys: contract test against a fake Cloud Build / Artifact Registry / Cloud Run API', () => {
  before(() => {
    process.env['CLOUDSDK_CONFIG'] = mkdtempSync(join(tmpdir(), 'shipclock-gcloud-src-'));
  });
  after(() => {
    process.env = saved;
  });
  beforeEach(async () => {
    work = mkdtempSync(join(tmpdir(), 'shipclock-gcp-src-'));
    api = await new CloudRunFake().start();
    src = new SourceDeployFake(api);
    api.addService('proj1', 'us-central1', 'web', 'us-docker.pkg.dev/proj1/r/web:1');
    Object.assign(process.env, api.gcloudEnv(process.env['CLOUDSDK_CONFIG'] ?? ''));
  });
  afterEach(async () => {
    await api[Symbol.asyncDispose]();
  });

  it('uploads the folder, builds it, deploys the built image by digest; succeeds once the revision is Ready and serving; the handle names the build', async () => {
    sourceFolder();
    src.pollsBeforeDone = 1; // the build is still WORKING at the first look
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    const build = src.lastBuild();
    assert.equal(build?.['status'], 'SUCCESS');
    assert.equal(count('GET cloudbuild.fake.test/v1/projects/proj1/locations/us-central1/operations/'), 2);
    // What gcloud did, in order: repository created, bucket created, archive uploaded, build submitted and polled, service updated.
    const seen = api.requests.map((r) => r.replace(/\/operations\/[^/]+$/, '/operations/ID'));
    const order = [
      'POST artifactregistry.fake.test/v1/projects/proj1/locations/us-central1/repositories',
      'POST storage.fake.test/storage/v1/b',
      'POST storage.fake.test/upload/storage/v1/b/run-sources-proj1-us-central1/o',
      'POST us-central1-run.fake.test/v2/projects/proj1/locations/us-central1/builds:submit',
      'GET cloudbuild.fake.test/v1/projects/proj1/locations/us-central1/operations/ID',
      'PUT us-central1-run.fake.test/apis/serving.knative.dev/v1/namespaces/proj1/services/web',
    ].map((x) => seen.indexOf(x));
    assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > (order[k - 1] ?? 0))), `calls out of order: ${api.requests.join('\n')}`);
    const [object] = [...src.objects.keys()];
    assert.match(object ?? '', /^run-sources-proj1-us-central1\/services\/web\/.*\.zip$/);
    assert.deepEqual(src.uploadedFiles(object ?? '').sort(), ['Dockerfile', 'server.js']);
    assert.equal(build?.['steps'][0].name, 'gcr.io/cloud-builders/docker');

    const digest = String(build?.['results'].images[0].digest);
    assert.equal(h.id, `web-${revisionSuffix(ctx.runId, 1)}`);
    assert.deepEqual(
      { build: h.details?.['build'], image: h.details?.['image'], source: h.details?.['source'] },
      { build: build?.['id'], image: `${REPO}/web@${digest}`, source: join(work, 'app') },
    );
    const r = await settle(p, h, ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    const svc = api.service('proj1', 'web');
    assert.equal(svc?.['spec'].template.spec.containers[0].image, `${REPO}/web@${digest}`);
    assert.equal(svc?.['status'].traffic[0].revisionName, h.id);
  });

  it('a folder without a Dockerfile is built with buildpacks; an existing repository and bucket are reused (bucket ownership checked)', async () => {
    const dir = join(work, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.py'), 'print("hi")\n');
    src.repositories.add('proj1/us-central1/cloud-run-source-deploy');
    src.buckets.set('run-sources-proj1-us-central1', { project: 'proj1', location: 'US-CENTRAL1' });
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    const build = src.lastBuild();
    assert.equal(build?.['steps'][0].name, 'gcr.io/k8s-skaffold/pack');
    assert.deepEqual([count('POST artifactregistry'), count('POST storage.fake.test/storage/v1/b'), count('GET storage.fake.test/storage/v1/b')], [0, 0, 2]);
    assert.equal(h.details?.['build'], build?.['id']);
    assert.equal((await settle(p, h, ctx)).state, 'succeeded');
  });

  it('stopped while Cloud Build is building: gcloud is stopped, this deploy\'s build is cancelled, the run ends `cancelled`', async () => {
    sourceFolder();
    src.pollsBeforeDone = 10_000; // a build that would run on
    const ctx = testContext();
    const polled = new Promise<void>((resolve) => (src.onPoll = () => resolve()));
    const started = provider().start(ctx).catch((x: unknown) => x);
    await polled; // gcloud submitted the build and is waiting for it
    assert.equal(src.lastBuild()?.['status'], 'WORKING');
    ctx.controller.abort('timeout');
    const e = await started;
    assert.ok(e instanceof DeployError, String(e));
    assert.equal(e.errorClass, 'cancelled', e.message);
    const build = src.lastBuild();
    assert.equal(build?.['status'], 'CANCELLED');
    assert.equal(count(`POST cloudbuild.fake.test/v1/projects/proj1/locations/us-central1/builds/${String(build?.['id'])}:cancel`), 1);
    assert.ok(ctx.lines.some((l) => l === `gcp-cloud-run: cancelled build ${String(build?.['id'])}`), ctx.lines.join('\n'));
    assert.equal(count('PUT us-central1-run.fake.test'), 0, 'nothing deployed');
  });

  it('stopped while another deploy of the same service is building too: no build is cancelled, rather than the other deploy\'s', async () => {
    sourceFolder();
    src.pollsBeforeDone = 10_000;
    let wake = (): void => undefined;
    src.onPoll = () => wake();
    const working = (n: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => ([...src.builds.values()].filter((b) => b.build['status'] === 'WORKING').length >= n ? resolve() : void (wake = check));
        check();
      });
    const ctxA = testContext({ job: 'web' });
    const a = provider().start(ctxA).catch((x: unknown) => x);
    await working(1);
    // Another job deploying the same service (a canary revision without traffic).
    const ctxB = testContext({ job: 'web-canary' });
    const b = provider({ traffic: 'none', tag: 'canary' }).start(ctxB).catch((x: unknown) => x);
    await working(2);
    ctxA.controller.abort('timeout');
    const e = await a;
    assert.ok(e instanceof DeployError && e.errorClass === 'cancelled', String(e));
    assert.deepEqual([...src.builds.values()].map((x) => x.build['status']), ['WORKING', 'WORKING']);
    assert.equal(count(':cancel'), 0);
    assert.ok(ctxA.lines.some((l) => /builds \S+, \S+ of web are running, and Cloud Build cannot say which is this deploy's; cancelling none/.test(l)), ctxA.lines.join('\n'));
    ctxB.controller.abort('end of test');
    await b;
  });

  it('stopped after the build ended: nothing to cancel, and it says so', async () => {
    sourceFolder();
    src.buildFate = 'fail';
    src.pollsBeforeDone = 0;
    const ctx = testContext();
    // Stop the run at the moment gcloud learns the build failed (before it exits).
    src.onPoll = (b) => {
      if (b['status'] === 'FAILURE') ctx.controller.abort('timeout');
    };
    const e = await provider().start(ctx).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError && e.errorClass === 'cancelled', String(e));
    assert.equal(count(':cancel'), 0);
    assert.ok(ctx.lines.some((l) => /build \S+ already ended \(FAILURE\); nothing to cancel/.test(l)), ctx.lines.join('\n'));
  });

  it('a build that fails in a build step is `invalid` (not retried), names the build and its log, and deploys nothing', async () => {
    sourceFolder();
    src.buildFate = 'fail';
    const e = await provider().start(testContext()).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError, String(e));
    assert.equal(e.errorClass, 'invalid', e.message);
    assert.equal(e.code, 'E_GCP_BUILD');
    assert.equal(RETRYABLE_CLASSES.has(e.errorClass), false);
    const build = src.lastBuild();
    assert.equal(build?.['status'], 'FAILURE');
    assert.ok(e.message.includes(String(build?.['id'])) && e.message.includes(String(build?.['logUrl'])), e.message);
    assert.match(e.message, /USER_BUILD_STEP/);
    assert.equal(count('PUT'), 0);
    assert.equal(api.service('proj1', 'web')?.['status'].traffic[0].revisionName, 'web-00001-aaa');
  });

  it('an API error during the build keeps its class from gcloud\'s status (403 on builds:submit is `auth`)', async () => {
    sourceFolder();
    src.submitFailWith = { code: 403, status: 'PERMISSION_DENIED' };
    const e = await provider().start(testContext()).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError, String(e));
    assert.equal(e.errorClass, 'auth', e.message);
    assert.equal(count('GET cloudbuild.fake.test/v1/projects/proj1/locations/us-central1/builds'), 0);
  });

  it('a missing source folder is `invalid` (E_GCP_SOURCE), named, before gcloud calls anything', async () => {
    const e = await provider({ source: './nope' }).start(testContext()).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError, String(e));
    assert.equal(e.errorClass, 'invalid');
    assert.equal(e.code, 'E_GCP_SOURCE');
    assert.ok(e.message.includes(join(work, 'nope')), e.message);
    assert.deepEqual(api.requests, []);
  });

  it('plan() is the exact gcloud command, with the folder resolved against the config folder', () => {
    const lines = provider({ env: { TOKEN: 's3cret' } }).plan(testContext({ runId: 'r-1' })) as readonly string[];
    assert.equal(
      lines[0],
      `gcloud run deploy web --source ${join(work, 'app')} --region us-central1 --project proj1 --revision-suffix ${revisionSuffix('r-1', 1)} '--update-env-vars=^@^TOKEN=***' --format json --quiet --async` +
        '   # uploads the folder, builds it with Cloud Build and waits for the build',
    );
  });

  describe('through `shipclock deploy` with a YAML config using `source:`', () => {
    function config(extra = ''): string {
      const file = join(work, 'shipclock.yaml');
      writeFileSync(
        file,
        `deployments:\n  web:\n    provider: gcp-cloud-run\n    service: web\n    region: us-central1\n    project: proj1\n    source: ./app\n    poll_interval: 50ms\n    max_retries: 3\n${extra}`,
      );
      return file;
    }

    it('examples/gcp-cloud-run/source: validates, --dry-run prints the exact command and changes nothing, the deploy builds, deploys and succeeds', async () => {
      const example = fileURLToPath(new URL('../../examples/gcp-cloud-run/source/shipclock.yaml', import.meta.url));
      const state = join(work, 'state');
      api.addService('my-project', 'europe-west1', 'web', 'europe-west1-docker.pkg.dev/my-project/apps/web:1');
      api.settleAfterGets = 0; // Ready at the first look: no 5 s poll_interval wait in the test
      const valid = await runCli(['validate', '-c', example], { cwd: work });
      assert.equal(valid.code, 0, valid.stderr);

      const dry = await runCli(['deploy', 'web', '--dry-run', '-c', example, '--state', state], { cwd: work });
      assert.equal(dry.code, 0, dry.stderr);
      const folder = join(dirname(example), 'app');
      assert.match(dry.stdout, new RegExp(`^gcloud run deploy web --source ${folder} --region europe-west1 --project my-project --revision-suffix sc-[0-9a-f]{10}-1 --format json --quiet --async  `, 'm'));
      assert.deepEqual(api.requests, []);

      const r = await runCli(['deploy', 'web', '--json', '-c', example, '--state', state], { cwd: work });
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const out = JSON.parse(r.stdout) as { state: string; attempts: { handle: string }[] };
      assert.equal(out.state, 'succeeded');
      assert.equal(out.attempts.length, 1);
      const svc = api.service('my-project', 'web');
      assert.equal(svc?.['status'].traffic[0].revisionName, out.attempts[0]?.handle);
      assert.match(svc?.['spec'].template.spec.containers[0].image, /^europe-west1-docker\.pkg\.dev\/my-project\/cloud-run-source-deploy\/web@sha256:[0-9a-f]{64}$/);
      assert.deepEqual(src.uploadedFiles([...src.objects.keys()][0] ?? '').sort(), ['Dockerfile', 'server.mjs']);
    });

    it('a failing build fails the deploy once, without retries (max_retries: 3)', async () => {
      sourceFolder();
      src.buildFate = 'fail';
      const r = await runCli(['deploy', 'web', '--json', '-c', config()], { cwd: work });
      assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
      const out = JSON.parse(r.stdout) as { state: string; error_class: string; attempts: unknown[] };
      assert.deepEqual([out.state, out.error_class, out.attempts.length], ['failed', 'invalid', 1]);
      assert.equal(count('POST us-central1-run.fake.test/v2/'), 1);
    });
  });
});
