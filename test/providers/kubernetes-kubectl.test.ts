/**
 * Contract test: the kubernetes provider driving the REAL `kubectl` against a fake Kubernetes
 * API server (test/fakes/kube-api-server.ts) that implements discovery, deployments (get,
 * list/watch, patch) and replica sets, and plays the deployment controller.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { kubernetesDefinition } from '../../src/providers/kubernetes.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import type { KubeApiServer } from '../fakes/kube-api-server.js';
import { startFakeCluster, type FakeCluster } from '../fakes/kube-cluster.js';
import { nextAttempt, testContext } from '../fakes/deploy-context.js';

let cluster: FakeCluster;
let api: KubeApiServer;

function provider(over: Record<string, unknown> = {}) {
  const settings = kubernetesDefinition.settingsSchema.parse({
    deployment: 'web',
    namespace: 'prod',
    container: 'app',
    image: 'registry.example/web:2',
    kubeconfig: cluster.kubeconfig,
    rollout_timeout: '20s',
    ...over,
  });
  return kubernetesDefinition.create(settings);
}
const image = () => (api.deployment('prod', 'web') as any).spec.template.spec.containers[0].image as string;

describe('kubernetes: contract test of real kubectl against a fake API server', () => {
  beforeEach(async () => {
    cluster = await startFakeCluster();
    api = cluster.api;
    api.addDeployment('prod', 'web', { app: 'registry.example/web:1', sidecar: 'envoy:1' });
  });
  afterEach(async () => {
    await cluster[Symbol.asyncDispose]();
  });

  it('set image, rollout status, and success confirmed for the generation this deploy produced', async () => {
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.equal(h.id, 'prod/deployment/web@2');
    assert.equal(image(), 'registry.example/web:2');
    const r = await p.poll(h, ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    assert.ok(api.requests.includes('PATCH /apis/apps/v1/namespaces/prod/deployments/web'));
  });

  it('a retried start finds the image already set and checks that generation instead of patching again', async () => {
    const p = provider();
    const ctx = testContext();
    await p.start(ctx);
    const patches = () => api.requests.filter((x) => x.startsWith('PATCH')).length;
    const before = patches();
    const h = await p.start(nextAttempt(ctx));
    assert.equal(patches(), before);
    assert.equal(h.id, 'prod/deployment/web@2');
  });

  it('ProgressDeadlineExceeded is `unhealthy`', async () => {
    api.rollout = 'deadline-exceeded';
    const p = provider();
    const ctx = testContext();
    const r = await p.poll(await p.start(ctx), ctx);
    assert.deepEqual(r.state === 'failed' && r.errorClass, 'unhealthy');
  });

  it('with rollback_on_failure, a failed rollout runs `kubectl rollout undo` and is `rolled_back`', async () => {
    api.rollout = 'deadline-exceeded';
    const p = provider({ rollback_on_failure: true });
    const ctx = testContext();
    const r = await p.poll(await p.start(ctx), ctx);
    assert.equal(r.state, 'rolled_back', JSON.stringify(r));
    assert.equal(image(), 'registry.example/web:1', 'the previous template is back');
  });

  it('a newer generation with another image supersedes ours: `conflict`', async () => {
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    await provider({ image: 'registry.example/web:3' }).start(testContext());
    const r = await p.poll(h, ctx);
    assert.deepEqual(r.state === 'failed' && r.errorClass, 'conflict');
  });

  it('errors are classified from the API status reason: NotFound, Unauthorized (with a login hint)', async () => {
    const e1 = await provider({ deployment: 'nope' }).start(testContext()).catch((e: unknown) => e);
    assert.ok(e1 instanceof DeployError);
    assert.equal(e1.errorClass, 'not_found');
    api.unauthorized = true;
    const e2 = await provider().start(testContext()).catch((e: unknown) => e);
    assert.ok(e2 instanceof DeployError);
    assert.equal(e2.errorClass, 'auth');
    assert.match(e2.message, /get-credentials|update-kubeconfig/);
  });

  it('an unknown container is `invalid` (kubectl refuses locally)', async () => {
    const e = await provider({ container: 'nope' }).start(testContext()).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError);
    assert.equal(e.errorClass, 'invalid');
  });

  it('an unreachable API server is `transient`', async () => {
    await api[Symbol.asyncDispose]();
    const e = await provider().start(testContext()).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError);
    assert.equal(e.errorClass, 'transient');
  });

  it('plan() shows the exact kubectl commands; settings need container+image or manifest', () => {
    const lines = provider({ rollback_on_failure: true }).plan(testContext()) as readonly string[];
    assert.match(lines[1] ?? '', /^kubectl --namespace prod --kubeconfig \S+ set image deployment\/web app=registry\.example\/web:2 -o json$/);
    assert.match(lines[2] ?? '', /rollout status deployment\/web --timeout=20s$/);
    assert.match(lines[4] ?? '', /rollout undo deployment\/web/);
    assert.equal(kubernetesDefinition.settingsSchema.safeParse({ deployment: 'web' }).success, false);
    assert.equal(kubernetesDefinition.settingsSchema.safeParse({ deployment: 'web', manifest: 'k8s/', image: 'x', container: 'y' }).success, false);
    assert.equal(kubernetesDefinition.settingsSchema.safeParse({ deployment: 'web', manifest: 'k8s/' }).success, true);
  });
});
