/**
 * Contract test against a fake Kubernetes API server: the kubernetes provider in `manifest`
 * (kubectl apply) mode, driving the REAL `kubectl` (client-side apply, default strict
 * validation) against test/fakes/kube-api-server.ts, which publishes a minimal OpenAPI v3,
 * applies strategic merge patches, creates, validates (422, strict 400), can refuse writes
 * (403) and plays the deployment controller.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubernetesDefinition } from '../../src/providers/kubernetes.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import { RETRYABLE_CLASSES } from '../../src/providers/types.js';
import type { KubeApiServer } from '../fakes/kube-api-server.js';
import { startFakeCluster, type FakeCluster } from '../fakes/kube-cluster.js';
import { nextAttempt, testContext } from '../fakes/deploy-context.js';
import { runCli } from '../helpers/cli.js';

let cluster: FakeCluster;
let api: KubeApiServer;

/** A Deployment manifest (the YAML a user keeps in git). */
function manifest(file: string, o: { name?: string; image?: string; replicas?: number; templateApp?: string; extraContainerField?: string } = {}): string {
  const name = o.name ?? 'web';
  const path = join(cluster.dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${o.replicas ?? 2}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${o.templateApp ?? name}}}
    spec:
      containers:
      - name: app
        image: ${o.image ?? 'registry.example/web:2'}
${o.extraContainerField ? `        ${o.extraContainerField}\n` : ''}      - name: sidecar
        image: envoy:1
`,
  );
  return path;
}

function provider(over: Record<string, unknown> = {}) {
  const settings = kubernetesDefinition.settingsSchema.parse({
    deployment: 'web',
    namespace: 'prod',
    manifest: manifest('web.yaml'),
    kubeconfig: cluster.kubeconfig,
    rollout_timeout: '20s',
    ...over,
  });
  return kubernetesDefinition.create(settings);
}
const images = (name = 'web') => ((api.deployment('prod', name) as any)?.spec.template.spec.containers as { name: string; image: string }[]).map((c) => `${c.name}=${c.image}`);
const writes = () => api.writes.map((w) => `${w.method} ${w.path}`);
async function refusal(p: ReturnType<typeof provider>): Promise<DeployError> {
  const e = await p.start(testContext()).catch((x: unknown) => x);
  assert.ok(e instanceof DeployError, String(e));
  return e;
}

describe('kubernetes apply mode: contract test against a fake Kubernetes API server (real kubectl)', () => {
  beforeEach(async () => {
    cluster = await startFakeCluster();
    api = cluster.api;
    api.addDeployment('prod', 'web', { app: 'registry.example/web:1', sidecar: 'envoy:1' });
  });
  afterEach(async () => {
    await cluster[Symbol.asyncDispose]();
  });

  it('a manifest that changes the image: one strategic merge patch, validated by the server, generation 2 recorded and rolled out', async () => {
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.equal(h.id, 'prod/deployment/web@2');
    assert.deepEqual(h.details, { namespace: 'prod', deployment: 'web', generation: 2, images: { app: 'registry.example/web:2', sidecar: 'envoy:1' }, change: 'updated' });
    assert.deepEqual(images(), ['app=registry.example/web:2', 'sidecar=envoy:1']);
    const [patch] = api.writes;
    assert.equal(api.writes.length, 1, 'the client dry run sent nothing');
    assert.equal(patch?.contentType, 'application/strategic-merge-patch+json');
    assert.equal(patch?.query['fieldValidation'], 'Strict', 'kubectl left validation to the server, as on a real cluster');
    assert.ok(api.requests.includes('GET /openapi/v3/apis/apps/v1'));
    const r = await p.poll(h, ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    assert.match(String(r.message), /generation 2 rolled out/);
  });

  it('applying the same manifest again changes nothing: no patch, the current generation is checked and succeeds', async () => {
    const p = provider();
    const first = await p.start(testContext());
    await p.poll(first, testContext());
    const before = api.writes.length;
    const ctx = nextAttempt(testContext());
    const h = await p.start(ctx);
    assert.equal(api.writes.length, before, 'kubectl computed an empty patch and sent none');
    assert.equal(h.id, 'prod/deployment/web@2');
    assert.equal(h.details?.['change'], 'unchanged');
    assert.ok(ctx.lines.some((l) => /no new generation/.test(l)));
    const r = await p.poll(h, ctx);
    assert.deepEqual([r.state, r.message], ['succeeded', 'the apply left the Deployment unchanged; generation 2 rolled out: 2/2 replicas updated and available']);
  });

  it('a no-op apply over a generation that failed its rollout is not a success', async () => {
    api.rollout = 'deadline-exceeded';
    const p = provider();
    const ctx = testContext();
    const r1 = await p.poll(await p.start(ctx), ctx);
    assert.deepEqual(r1.state === 'failed' && r1.errorClass, 'unhealthy');
    const h = await p.start(nextAttempt(ctx));
    assert.equal(h.details?.['change'], 'unchanged');
    const r2 = await p.poll(h, ctx);
    assert.deepEqual(r2.state === 'failed' && r2.errorClass, 'unhealthy', JSON.stringify(r2));
  });

  it('a manifest for a Deployment that does not exist yet creates it (POST) and checks generation 1', async () => {
    const p = provider({ deployment: 'api', manifest: manifest('api.yaml', { name: 'api', replicas: 3 }) });
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.deepEqual(writes(), ['POST /apis/apps/v1/namespaces/prod/deployments']);
    assert.equal(h.id, 'prod/deployment/api@1');
    assert.equal(h.details?.['change'], 'created');
    const r = await p.poll(h, ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    assert.match(String(r.message), /3\/3 replicas/);
  });

  it('a created Deployment that misses its deadline has no revision to roll back to: `unhealthy`, saying so', async () => {
    api.rollout = 'deadline-exceeded';
    const p = provider({ deployment: 'api', manifest: manifest('api.yaml', { name: 'api' }), rollback_on_failure: true });
    const ctx = testContext();
    const r = await p.poll(await p.start(ctx), ctx);
    assert.deepEqual(r.state === 'failed' && [r.errorClass, /rollout undo failed too/.test(r.message)], ['unhealthy', true], JSON.stringify(r));
  });

  it('a manifest without the named Deployment is `invalid` and applies nothing', async () => {
    const e = await refusal(provider({ manifest: manifest('api.yaml', { name: 'api' }) }));
    assert.equal(e.errorClass, 'invalid');
    assert.match(e.message, /holds no Deployment "web" \(it holds: Deployment\/api\); nothing was applied/);
    assert.deepEqual(api.writes, []);
    assert.equal(api.deployment('prod', 'api'), undefined);
  });

  it('a folder with a ConfigMap and the Deployment: both applied (kubectl prints a List), the Deployment\'s generation recorded', async () => {
    const folder = join(cluster.dir, 'k8s');
    manifest('k8s/deployment.yaml');
    const configMap = (level: string) => writeFileSync(join(folder, 'config.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {LOG_LEVEL: ${level}}\n`);
    configMap('info');
    const p = provider({ manifest: folder });
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.equal(h.id, 'prod/deployment/web@2');
    assert.deepEqual((api.configMap('prod', 'web-config') as any).data, { LOG_LEVEL: 'info' });
    assert.deepEqual(writes(), ['POST /api/v1/namespaces/prod/configmaps', 'PATCH /apis/apps/v1/namespaces/prod/deployments/web']);
    assert.equal((await p.poll(h, ctx)).state, 'succeeded');

    configMap('debug'); // only the ConfigMap changes: the Deployment's generation stays ours to check
    const h2 = await p.start(nextAttempt(ctx));
    assert.deepEqual([h2.id, h2.details?.['change']], ['prod/deployment/web@2', 'unchanged']);
    assert.deepEqual((api.configMap('prod', 'web-config') as any).data, { LOG_LEVEL: 'debug' });
  });

  it('a folder holding only other objects is `invalid` and names what it holds', async () => {
    const folder = join(cluster.dir, 'only-config');
    mkdirSync(folder);
    writeFileSync(join(folder, 'config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {A: b}\n');
    const e = await refusal(provider({ manifest: folder }));
    assert.deepEqual([e.errorClass, /it holds: ConfigMap\/web-config\)/.test(e.message)], ['invalid', true]);
    assert.deepEqual(api.writes, []);
  });

  it('kubectl refuses locally, nothing applied, `invalid`: a missing manifest file, an object for another namespace', async () => {
    const missing = await refusal(provider({ manifest: join(cluster.dir, 'nope.yaml') }));
    assert.equal(missing.errorClass, 'invalid');
    const other = join(cluster.dir, 'staging.yaml');
    writeFileSync(other, readFileSync(manifest('web.yaml'), 'utf8').replace('  name: web\n', '  name: web\n  namespace: staging\n'));
    const wrongNs = await refusal(provider({ manifest: other }));
    assert.deepEqual([wrongNs.errorClass, /does not match the namespace "prod"/.test(wrongNs.message)], ['invalid', true]);
    assert.deepEqual(api.writes, []);
  });

  it('ProgressDeadlineExceeded is `unhealthy`; with rollback_on_failure, `kubectl rollout undo` restores the previous template', async () => {
    api.rollout = 'deadline-exceeded';
    const ctx = testContext();
    const p = provider();
    const r = await p.poll(await p.start(ctx), ctx);
    assert.deepEqual(r.state === 'failed' && [r.errorClass, /progress deadline exceeded/.test(r.message)], ['unhealthy', true]);

    const q = provider({ manifest: manifest('web3.yaml', { image: 'registry.example/web:3' }), rollback_on_failure: true });
    const r2 = await q.poll(await q.start(ctx), ctx);
    assert.equal(r2.state, 'rolled_back', JSON.stringify(r2));
    assert.deepEqual(images(), ['app=registry.example/web:2', 'sidecar=envoy:1'], 'the previous revision is back');
    assert.ok(api.writes.some((w) => w.contentType.startsWith('application/json-patch+json')), 'rollout undo patched the template');
  });

  it('refused by the server: 422 Invalid and strict-validation 400 are `invalid`, 403 is `auth` with a login hint; none is retried', async () => {
    const invalid = await refusal(provider({ manifest: manifest('bad.yaml', { templateApp: 'other' }) }));
    assert.equal(invalid.errorClass, 'invalid');
    assert.match(invalid.message, /selector/);
    const typo = await refusal(provider({ manifest: manifest('typo.yaml', { extraContainerField: 'imagePullPolcy: Always' }) }));
    assert.equal(typo.errorClass, 'invalid');
    assert.match(typo.message, /\(BadRequest\).*unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolcy"/);
    api.forbidWrites = true;
    const forbidden = await refusal(provider());
    assert.equal(forbidden.errorClass, 'auth');
    assert.match(forbidden.message, /Error from server \(Forbidden\).*cannot patch resource "deployments".*kubectl auth can-i patch deployments/);
    for (const e of [invalid, typo, forbidden]) assert.ok(!RETRYABLE_CLASSES.has(e.errorClass), e.errorClass);
    assert.deepEqual(images(), ['app=registry.example/web:1', 'sidecar=envoy:1'], 'nothing changed');
  });

  it('a newer generation with other images supersedes ours (`conflict`); one with our images (a scale) does not', async () => {
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    await provider({ manifest: manifest('scaled.yaml', { replicas: 4 }) }).start(testContext());
    const scaled = await p.poll(h, ctx);
    assert.equal(scaled.state, 'succeeded', JSON.stringify(scaled));
    await provider({ manifest: manifest('web3.yaml', { image: 'registry.example/web:3' }) }).start(testContext());
    const r = await p.poll(h, ctx);
    assert.deepEqual(r.state === 'failed' && [r.errorClass, r.message], ['conflict', 'generation 4 replaced our generation 2 (app is now registry.example/web:3)']);
  });

  it('the example manifest (examples/kubernetes/k8s/worker) passes strict validation and creates its Deployment', async () => {
    const folder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'kubernetes', 'k8s', 'worker');
    const p = provider({ deployment: 'worker', manifest: folder });
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.deepEqual([h.id, h.details?.['change']], ['prod/deployment/worker@1', 'created']);
    assert.equal((await p.poll(h, ctx)).state, 'succeeded');
  });

  it('plan() shows the dry run, the apply and the checks', () => {
    const lines = provider({ rollback_on_failure: true }).plan(testContext()) as readonly string[];
    assert.match(lines[0] ?? '', /get deployment web -o json$/);
    assert.match(lines[1] ?? '', /apply -f \S+web\.yaml --dry-run=client -o json {3}# the manifest must hold the Deployment$/);
    assert.match(lines[2] ?? '', /^kubectl --namespace prod --kubeconfig \S+ apply -f \S+web\.yaml -o json$/);
    assert.match(lines[3] ?? '', /rollout status deployment\/web --timeout=20s$/);
    assert.match(lines[5] ?? '', /rollout undo deployment\/web {3}# only on failure$/);
  });

  it('`shipclock deploy` with a YAML config in apply mode deploys, records the generation, and exits 1 on a refused manifest', async () => {
    manifest('k8s/web.yaml', { image: 'registry.example/web:7' });
    const file = join(cluster.dir, 'shipclock.yaml');
    const config = (m: string) => `state_dir: ./state
deployments:
  web:
    provider: kubernetes
    deployment: web
    namespace: prod
    manifest: ${m}
    kubeconfig: ./kubeconfig
    rollout_timeout: 20s
    max_retries: 0
`;
    writeFileSync(file, config('./k8s/web.yaml'));
    const ok = await runCli(['deploy', 'web', '-c', file], { cwd: cluster.dir });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.deepEqual(images(), ['app=registry.example/web:7', 'sidecar=envoy:1']);
    const history = JSON.parse((await runCli(['history', 'web', '--json', '-c', file], { cwd: cluster.dir })).stdout) as Record<string, unknown>[];
    assert.equal(history[0]?.['state'], 'succeeded');
    assert.match(JSON.stringify(history[0]), /prod\/deployment\/web@2/);

    manifest('k8s/api.yaml', { name: 'api' });
    writeFileSync(file, config('./k8s/api.yaml'));
    const bad = await runCli(['deploy', 'web', '-c', file], { cwd: cluster.dir });
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout + bad.stderr, /holds no Deployment "web"/);
  });
});
