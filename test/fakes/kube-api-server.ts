/**
 * A fake Kubernetes API server for the real `kubectl`: just the endpoints `set image`,
 * `apply`, `get`, `rollout status` (list + watch) and `rollout undo` use: version and legacy
 * discovery, a minimal OpenAPI v3 (kube-openapi.ts), deployments (GET, LIST/WATCH, POST,
 * PATCH strategic-merge / JSON-patch / merge, checked as in kube-validate.ts), replica sets, and
 * config maps (GET, POST, PATCH: a second kind, so a manifest can hold more than one object).
 * A rollout script decides what the "controller" does after each change: complete it, or stall
 * it until its progress deadline is exceeded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { applyJsonPatch, jsonMergePatch, PatchError, strategicMerge, type Json } from './kube-patch.js';
import { openApiV3Document, openApiV3Index } from './kube-openapi.js';
import { invalidDeployment, strictRefusal, type Refusal } from './kube-validate.js';

export type KubeRollout = 'complete' | 'deadline-exceeded';

/** One write as the server saw it, for tests that check what kubectl sent. */
export interface KubeWrite {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface Stored {
  deployment: Json;
  replicaSets: Json[];
}

type StatusSender = (code: number, reason: string, message: string, details?: Json) => void;

function refusalDetails(r: { reason: string; causes?: Refusal['causes'] }, name: string): Json | undefined {
  return r.reason === 'Invalid' ? { name, group: 'apps', kind: 'Deployment', causes: r.causes ?? [] } : undefined;
}

export class KubeApiServer implements AsyncDisposable {
  readonly requests: string[] = [];
  readonly writes: KubeWrite[] = [];
  rollout: KubeRollout = 'complete';
  /** Answer every request 401, as a cluster does for an expired or missing login. */
  unauthorized = false;
  /** Refuse writes (POST, PATCH) 403, as RBAC does for a user allowed to read but not to change. */
  forbidWrites = false;
  private readonly deployments = new Map<string, Stored>();
  private readonly configMaps = new Map<string, Json>();
  private readonly watchers = new Set<{ ns: string; name: string; res: ServerResponse }>();
  private resourceVersion = 100;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this;
  }

  /** Adds a deployment that has completed its first rollout (revision 1). */
  addDeployment(ns: string, name: string, containers: Record<string, string>): void {
    const template = {
      metadata: { labels: { app: name } },
      spec: { containers: Object.entries(containers).map(([n, image]) => ({ name: n, image })) },
    };
    const deployment: Json = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, uid: `uid-${name}`, generation: 1, resourceVersion: String(this.resourceVersion++), annotations: { 'deployment.kubernetes.io/revision': '1' }, labels: { app: name } },
      spec: { replicas: 2, selector: { matchLabels: { app: name } }, progressDeadlineSeconds: 600, template },
      status: {},
    };
    const stored = { deployment, replicaSets: [] as Json[] };
    this.deployments.set(`${ns}/${name}`, stored);
    this.settle(stored, 'complete');
  }

  deployment(ns: string, name: string): Json | undefined {
    return this.deployments.get(`${ns}/${name}`)?.deployment;
  }

  configMap(ns: string, name: string): Json | undefined {
    return this.configMaps.get(`${ns}/${name}`);
  }

  /** What the deployment controller would do with the current spec. */
  private settle(stored: Stored, how: KubeRollout): void {
    const d = stored.deployment as any;
    const generation = d.metadata.generation as number;
    const template = d.spec.template;
    const want = (d.spec.replicas ?? 1) as number;
    const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
    let rs = stored.replicaSets.find((r: any) => r.metadata.labels['pod-template-hash'] === hash) as any;
    const revision = String(1 + Math.max(0, ...stored.replicaSets.map((r: any) => Number(r.metadata.annotations['deployment.kubernetes.io/revision']))));
    if (!rs) {
      rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          uid: `rs-${hash}`,
          labels: { ...template.metadata.labels, 'pod-template-hash': hash },
          annotations: { 'deployment.kubernetes.io/revision': revision },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true }],
        },
        spec: { replicas: want, selector: { matchLabels: { ...d.spec.selector.matchLabels, 'pod-template-hash': hash } }, template: structuredClone(template) },
        status: { replicas: want },
      };
      stored.replicaSets.push(rs);
    } else {
      rs.metadata.annotations['deployment.kubernetes.io/revision'] = revision; // a rollback re-uses the old RS
    }
    d.metadata.annotations['deployment.kubernetes.io/revision'] = rs.metadata.annotations['deployment.kubernetes.io/revision'];
    const ok = how === 'complete';
    d.status = {
      observedGeneration: generation,
      replicas: want,
      updatedReplicas: ok ? want : want - 1,
      readyReplicas: ok ? want : want - 1,
      availableReplicas: ok ? want : want - 1,
      unavailableReplicas: ok ? 0 : 1,
      conditions: [
        { type: 'Available', status: ok ? 'True' : 'False', reason: ok ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' },
        ok
          ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.` }
          : { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.` },
      ],
    };
    d.metadata.resourceVersion = String(this.resourceVersion++);
    for (const w of this.watchers) {
      if (`${w.ns}/${w.name}` === `${d.metadata.namespace}/${d.metadata.name}`) {
        w.res.write(JSON.stringify({ type: 'MODIFIED', object: d }) + '\n');
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}${url.searchParams.get('watch') === 'true' ? '?watch' : ''}`);
    const send = (status: number, obj: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(obj));
    };
    const status: StatusSender = (code, reason, message, details) =>
      send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, message, ...(details ? { details } : {}), code });
    if (this.unauthorized) return status(401, 'Unauthorized', 'Unauthorized');

    const p = url.pathname;
    if (p === '/openapi/v3') return send(200, openApiV3Index());
    if (p.startsWith('/openapi/v3/')) {
      const doc = openApiV3Document(p.slice('/openapi/v3/'.length));
      return doc ? send(200, doc) : status(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (p === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0-fake' });
    if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (p === '/apis') {
      const v = { groupVersion: 'apps/v1', version: 'v1' };
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [v], preferredVersion: v }] });
    }
    if (p === '/api/v1') {
      const pods = { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'] };
      const configMaps = { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'list', 'create', 'patch', 'update'], shortNames: ['cm'] };
      return send(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [pods, configMaps] });
    }
    const cm = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps(?:\/([^/]+))?$/.exec(p);
    if (cm) return this.configMapRequest(req, url, body, cm[1] ?? '', cm[2], send, status);
    if (p === '/apis/apps/v1') {
      const verbs = ['get', 'list', 'watch', 'patch', 'update', 'create'];
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'apps/v1',
        resources: [
          { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs, shortNames: ['deploy'] },
          { name: 'replicasets', singularName: 'replicaset', namespaced: true, kind: 'ReplicaSet', verbs, shortNames: ['rs'] },
        ],
      });
    }
    const m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|replicasets)(?:\/([^/]+))?$/.exec(p);
    if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
    const [, ns = '', kind, name] = m;
    if (kind === 'replicasets') {
      const items = [...this.deployments.values()].filter((s) => (s.deployment as any).metadata.namespace === ns).flatMap((s) => s.replicaSets);
      return send(200, { kind: 'ReplicaSetList', apiVersion: 'apps/v1', metadata: { resourceVersion: String(this.resourceVersion) }, items });
    }
    const fieldName = /metadata\.name=([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
    const key = `${ns}/${name ?? fieldName ?? ''}`;
    const stored = this.deployments.get(key);
    if (!name) {
      if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        res.flushHeaders(); // a watch answers at once and streams events later; kubectl waits for the headers
        const w = { ns, name: fieldName ?? '', res };
        this.watchers.add(w);
        res.on('close', () => this.watchers.delete(w));
        return;
      }
      if (req.method === 'POST') return this.create(req, url, body, ns, send, status);
      return send(200, { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: String(this.resourceVersion) }, items: stored ? [stored.deployment] : [] });
    }
    if (!stored) return status(404, 'NotFound', `deployments.apps "${name}" not found`, { name, group: 'apps', kind: 'deployments' });
    if (req.method === 'GET') return send(200, stored.deployment);
    if (req.method === 'PATCH') {
      const write = this.recordWrite(req, url, body);
      const refused = this.refuseWrite(write, name);
      if (refused) return status(refused.code, refused.reason, refused.message, refusalDetails(refused, name));
      const d = stored.deployment as any;
      let patched: any;
      try {
        patched = this.patched(d, write);
      } catch (e) {
        if (e instanceof PatchError || e instanceof SyntaxError) return status(400, 'BadRequest', e.message);
        throw e;
      }
      const invalid = invalidDeployment(patched);
      if (invalid) return status(invalid.code, invalid.reason, invalid.message, refusalDetails(invalid, name));
      // Server-managed fields stay the server's; status is only written by the controller.
      const specChanged = JSON.stringify(patched.spec) !== JSON.stringify(d.spec);
      d.metadata = { ...patched.metadata, name: d.metadata.name, namespace: d.metadata.namespace, uid: d.metadata.uid, generation: d.metadata.generation };
      d.spec = patched.spec;
      d.metadata.resourceVersion = String(this.resourceVersion++);
      if (!specChanged) return send(200, d);
      d.metadata.generation += 1;
      send(200, d);
      // The controller acts after the response, as a real one would.
      setImmediate(() => this.settle(stored, this.rollout));
      return;
    }
    return status(405, 'MethodNotAllowed', `${req.method ?? ''} not supported by the fake`);
  }

  private recordWrite(req: IncomingMessage, url: URL, body: string): KubeWrite {
    let parsed: unknown = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      // left as text: the patch step answers 400 for it
    }
    const write = { method: req.method ?? '', path: url.pathname, contentType: String(req.headers['content-type'] ?? ''), query: Object.fromEntries(url.searchParams), body: parsed };
    this.writes.push(write);
    return write;
  }

  /** RBAC and strict field validation, both decided before the object is looked at. */
  private refuseWrite(write: KubeWrite, name: string, kind: 'Deployment' | 'ConfigMap' = 'Deployment'): Refusal | { code: 403; reason: 'Forbidden'; message: string } | undefined {
    if (this.forbidWrites) {
      const verb = write.method === 'POST' ? 'create' : 'patch';
      const [resource, group] = kind === 'Deployment' ? ['deployments', 'apps'] : ['configmaps', ''];
      return { code: 403, reason: 'Forbidden', message: `${resource}${group ? `.${group}` : ''} "${name}" is forbidden: User "system:serviceaccount:ci:deployer" cannot ${verb} resource "${resource}" in API group "${group}"` };
    }
    return write.query['fieldValidation'] === 'Strict' ? strictRefusal(write.body, kind) : undefined;
  }

  /** Config maps: plain storage, no controller. */
  private configMapRequest(req: IncomingMessage, url: URL, body: string, ns: string, name: string | undefined, send: (code: number, obj: unknown) => void, status: StatusSender): void {
    const notFound = (n: string) => status(404, 'NotFound', `configmaps "${n}" not found`, { name: n, kind: 'configmaps' });
    if (req.method === 'GET') {
      const found = name ? this.configMaps.get(`${ns}/${name}`) : undefined;
      return found ? send(200, found) : notFound(name ?? '');
    }
    if (req.method !== 'POST' && req.method !== 'PATCH') return status(405, 'MethodNotAllowed', `${req.method ?? ''} not supported by the fake`);
    const write = this.recordWrite(req, url, body);
    const target = name ?? String((write.body as any)?.metadata?.name ?? '');
    const refused = this.refuseWrite(write, target, 'ConfigMap');
    if (refused) return status(refused.code, refused.reason, refused.message);
    const key = `${ns}/${target}`;
    const existing = this.configMaps.get(key);
    if (req.method === 'POST') {
      if (existing) return status(409, 'AlreadyExists', `configmaps "${target}" already exists`, { name: target, kind: 'configmaps' });
      const created: any = structuredClone(write.body);
      created.metadata = { ...created.metadata, namespace: ns, uid: `uid-cm-${target}`, resourceVersion: String(this.resourceVersion++) };
      this.configMaps.set(key, created);
      return send(201, created);
    }
    if (!existing) return notFound(target);
    let patched: any;
    try {
      patched = this.patched(existing, write);
    } catch (e) {
      if (e instanceof PatchError) return status(400, 'BadRequest', e.message);
      throw e;
    }
    patched.metadata = { ...patched.metadata, name: target, namespace: ns, uid: (existing as any).metadata.uid, resourceVersion: String(this.resourceVersion++) };
    this.configMaps.set(key, patched);
    return send(200, patched);
  }

  private patched(d: Json, write: KubeWrite): any {
    if (typeof write.body !== 'object' || write.body === null) throw new PatchError('the patch is not JSON');
    const t = write.contentType;
    if (t.startsWith('application/strategic-merge-patch+json')) return strategicMerge(d, write.body as Json);
    if (t.startsWith('application/merge-patch+json')) return jsonMergePatch(d, write.body);
    if (t.startsWith('application/json-patch+json')) {
      const copy = structuredClone(d);
      applyJsonPatch(copy, write.body as Json[]);
      return copy;
    }
    throw new PatchError(`the fake does not handle patch type ${t}`);
  }

  private create(req: IncomingMessage, url: URL, body: string, ns: string, send: (code: number, obj: unknown) => void, status: StatusSender): void {
    const write = this.recordWrite(req, url, body);
    const d = write.body as any;
    const name = String(d?.metadata?.name ?? '');
    const refused = this.refuseWrite(write, name);
    if (refused) return status(refused.code, refused.reason, refused.message, refusalDetails(refused, name));
    if (this.deployments.has(`${ns}/${name}`)) return status(409, 'AlreadyExists', `deployments.apps "${name}" already exists`, { name, group: 'apps', kind: 'deployments' });
    const invalid = invalidDeployment(d);
    if (invalid) return status(invalid.code, invalid.reason, invalid.message, refusalDetails(invalid, name));
    const deployment = {
      ...d,
      metadata: { ...d.metadata, namespace: ns, uid: `uid-${name}`, generation: 1, resourceVersion: String(this.resourceVersion++), annotations: { ...d.metadata.annotations } },
      spec: { progressDeadlineSeconds: 600, ...d.spec, replicas: d.spec.replicas ?? 1 },
      status: {},
    };
    const stored = { deployment, replicaSets: [] as Json[] };
    this.deployments.set(`${ns}/${name}`, stored);
    send(201, deployment);
    setImmediate(() => this.settle(stored, this.rollout));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
