/**
 * Contract test: the gcp-cloud-run provider driving the REAL `gcloud` (v528) against a
 * wire-level fake of the Cloud Run Admin API (test/fakes/cloud-run-api.ts), reached through
 * gcloud's endpoint override and proxy settings, with a throwaway CLOUDSDK_CONFIG and an access
 * token from CLOUDSDK_AUTH_ACCESS_TOKEN. Includes a revision that never becomes Ready.
 */
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gcpCloudRunDefinition, revisionSuffix } from '../../src/providers/gcp-cloud-run.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import type { DeployHandle, PollResult, Provider } from '../../src/providers/types.js';
import { CloudRunFake } from '../fakes/cloud-run-api.js';
import { nextAttempt, testContext, type TestContext } from '../fakes/deploy-context.js';

let api: CloudRunFake;
const saved = { ...process.env };

function provider(over: Record<string, unknown> = {}): Provider {
  return gcpCloudRunDefinition.create(
    gcpCloudRunDefinition.settingsSchema.parse({ service: 'web', region: 'us-central1', project: 'proj1', image: 'us-docker.pkg.dev/proj1/r/web:2', ...over }),
  );
}
/** Polls until a terminal result (the fake settles a revision after one look; no waiting). */
async function settle(p: Provider, h: DeployHandle, ctx: TestContext): Promise<PollResult> {
  for (let i = 0; i < 5; i++) {
    const r = await p.poll(h, ctx);
    if (r.state !== 'pending') return r;
    assert.equal(r.retryAfterMs, 5000);
  }
  throw new Error('still pending after 5 polls');
}

describe('gcp-cloud-run: contract test of real gcloud against a fake Cloud Run Admin API', () => {
  before(() => {
    process.env['CLOUDSDK_CONFIG'] = mkdtempSync(join(tmpdir(), 'shipclock-gcloud-'));
  });
  after(() => {
    process.env = saved;
  });
  beforeEach(async () => {
    api = await new CloudRunFake().start();
    api.addService('proj1', 'us-central1', 'web', 'us-docker.pkg.dev/proj1/r/web:1');
    Object.assign(process.env, api.gcloudEnv(process.env['CLOUDSDK_CONFIG'] ?? ''));
  });
  afterEach(async () => {
    await api[Symbol.asyncDispose]();
  });

  it('deploys a revision named for this run, and succeeds once it is Ready and takes the traffic', async () => {
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.equal(h.id, `web-${revisionSuffix(ctx.runId, 1)}`);
    assert.ok(api.requests.includes('PUT us-central1-run.fake.test/apis/serving.knative.dev/v1/namespaces/proj1/services/web'));
    const r = await settle(p, h, ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    assert.equal(api.service('proj1', 'web')?.['spec'].template.spec.containers[0].image, 'us-docker.pkg.dev/proj1/r/web:2');
  });

  it('deploying a service that does not exist yet creates it (POST) and confirms its first revision', async () => {
    const p = provider({ service: 'fresh' });
    const ctx = testContext();
    const r = await settle(p, await p.start(ctx), ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    assert.ok(api.requests.includes('POST us-central1-run.fake.test/apis/serving.knative.dev/v1/namespaces/proj1/services'));
  });

  it('a revision that fails to become Ready is `unhealthy`, and the old revision keeps serving', async () => {
    api.fate = 'fail';
    const p = provider();
    const ctx = testContext();
    const r = await settle(p, await p.start(ctx), ctx);
    assert.deepEqual(r.state === 'failed' && r.errorClass, 'unhealthy');
    assert.match(r.state === 'failed' ? r.message : '', /not ready: HealthCheckContainerError/);
    assert.equal(api.service('proj1', 'web')?.['status'].traffic[0].revisionName, 'web-00001-aaa');
  });

  it('--no-traffic with a tag succeeds when the tagged revision is Ready, without moving traffic', async () => {
    const p = provider({ traffic: 'none', tag: 'canary', env: { GREETING: 'hi, there' } });
    const ctx = testContext();
    const h = await p.start(ctx);
    const r = await settle(p, h, ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    const svc = api.service('proj1', 'web');
    assert.equal(svc?.['status'].traffic[0].revisionName, 'web-00001-aaa');
    assert.deepEqual(svc?.['spec'].template.spec.containers[0].env, [{ name: 'GREETING', value: 'hi, there' }]);
  });

  it('a retried attempt re-reads first and adopts the revision an earlier attempt created', async () => {
    const p = provider();
    const ctx = testContext();
    const h1 = await p.start(ctx);
    const puts = () => api.requests.filter((x) => x.startsWith('PUT')).length;
    const h2 = await p.start(nextAttempt(ctx));
    assert.equal(h2.id, h1.id);
    assert.equal(puts(), 1);
  });

  // 5xx is left out here: gcloud retries those itself for ~35 s before giving up (its output
  // format is covered in gcloud-errors.test.ts).
  it('API errors are classified from the status gcloud prints: 429 throttled, 409 conflict, 403 auth, 404 not_found', async () => {
    const cases: [number, string, string][] = [
      [429, 'RESOURCE_EXHAUSTED', 'throttled'],
      [409, 'ABORTED', 'conflict'],
      [403, 'PERMISSION_DENIED', 'auth'],
      [404, 'NOT_FOUND', 'not_found'],
    ];
    for (const [code, status, cls] of cases) {
      api.failWith = { code, status };
      const e = await provider().start(testContext()).catch((x: unknown) => x);
      assert.ok(e instanceof DeployError, String(e));
      assert.equal(e.errorClass, cls, `${code} ${status}: ${e.message}`);
    }
  });

  it('no credentials at all is `auth` with how to log in', async () => {
    delete process.env['CLOUDSDK_AUTH_ACCESS_TOKEN'];
    const e = await provider().start(testContext()).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError);
    assert.equal(e.errorClass, 'auth', e.message);
    assert.match(e.message, /gcloud auth login/);
  });

  it('plan() is the exact gcloud command, env values redacted; settings need exactly one of image/source', () => {
    const ctx = testContext({ runId: 'r-1' });
    const lines = provider({ env: { TOKEN: 's3cret' } }).plan(ctx) as readonly string[];
    assert.equal(
      lines[0],
      `gcloud run deploy web --image us-docker.pkg.dev/proj1/r/web:2 --region us-central1 --project proj1 --revision-suffix ${revisionSuffix('r-1', 1)} '--update-env-vars=^@^TOKEN=***' --format json --quiet --async`,
    );
    assert.equal(gcpCloudRunDefinition.settingsSchema.safeParse({ service: 'web', region: 'r' }).success, false);
    assert.equal(gcpCloudRunDefinition.settingsSchema.safeParse({ service: 'web', region: 'r', image: 'i', source: '.' }).success, false);
    assert.equal(gcpCloudRunDefinition.settingsSchema.safeParse({ service: 'web', region: 'r', source: '.' }).success, true);
  });
});
