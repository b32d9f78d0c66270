/**
 * A fake Kubernetes API server for the real `kubectl`: just the endpoints `set image`,
 * `apply`, `get`, `rollout status` (list + watch) and `rollout undo` use: version and legacy
 * discovery, deployments (GET, LIST/WATCH, PATCH strategic-merge / JSON-patch / merge) and
 * replica sets. A rollout script decides what the "controller" does after each change:
 * complete it, or stall it until its progress deadline is exceeded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { applyJsonPatch, mergeContainers, type Json } from './kube-patch.js';

export type KubeRollout = 'complete' | 'deadline-exceeded';

interface Stored {
  deployment: Json;
  replicaSets: Json[];
}

export class KubeApiServer implements AsyncDisposable {
  readonly requests: string[] = [];
  rollout: KubeRollout = 'complete';
  /** Answer every request 401, as a cluster does for an expired or missing login. */
  unauthorized = false;
  private readonly deployments = new Map<string, Stored>();
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

  /** What the deployment controller would do with the current spec. */
  private settle(stored: Stored, how: KubeRollout): void {
    const d = stored.deployment as any;
    const generation = d.metadata.generation as number;
    const template = d.spec.template;
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
        spec: { replicas: 2, selector: { matchLabels: { ...d.spec.selector.matchLabels, 'pod-template-hash': hash } }, template: structuredClone(template) },
        status: { replicas: 2 },
      };
      stored.replicaSets.push(rs);
    } else {
      rs.metadata.annotations['deployment.kubernetes.io/revision'] = revision; // a rollback re-uses the old RS
    }
    d.metadata.annotations['deployment.kubernetes.io/revision'] = rs.metadata.annotations['deployment.kubernetes.io/revision'];
    const ok = how === 'complete';
    d.status = {
      observedGeneration: generation,
      replicas: 2,
      updatedReplicas: ok ? 2 : 1,
      readyReplicas: ok ? 2 : 1,
      availableReplicas: ok ? 2 : 1,
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
    const status = (code: number, reason: string, message: string): void =>
      send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, message, code });
    if (this.unauthorized) return status(401, 'Unauthorized', 'Unauthorized');

    const p = url.pathname;
    if (p === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0-fake' });
    if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (p === '/apis') {
      const v = { groupVersion: 'apps/v1', version: 'v1' };
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [v], preferredVersion: v }] });
    }
    if (p === '/api/v1') {
      const pods = { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'] };
      return send(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [pods] });
    }
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
      return send(200, { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: String(this.resourceVersion) }, items: stored ? [stored.deployment] : [] });
    }
    if (!stored) return status(404, 'NotFound', `deployments.apps "${name}" not found`);
    if (req.method === 'GET') return send(200, stored.deployment);
    if (req.method === 'PATCH') {
      const d = stored.deployment as any;
      const before = JSON.stringify(d.spec);
      const type = String(req.headers['content-type'] ?? '');
      if (type.startsWith('application/json-patch+json')) applyJsonPatch(d, JSON.parse(body) as Json[]);
      else mergeContainers(d, JSON.parse(body) as Json);
      if (JSON.stringify(d.spec) !== before) {
        d.metadata.generation += 1;
        d.status.observedGeneration = d.metadata.generation - 1; // the controller has not seen it yet
        d.metadata.resourceVersion = String(this.resourceVersion++);
        send(200, d);
        // The controller acts after the response, as a real one would.
        setImmediate(() => this.settle(stored, this.rollout));
        return;
      }
      return send(200, d);
    }
    return status(405, 'MethodNotAllowed', `${req.method ?? ''} not supported by the fake`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
