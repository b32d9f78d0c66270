/**
 * A wire-level fake of the Cloud Run Admin API v1 (the Knative-style `serving.knative.dev/v1`
 * surface the real `gcloud run` uses) plus the Service Usage check gcloud makes first.
 * gcloud prefixes the region to the endpoint host (`us-central1-run.fake.test`), so the fake
 * is reached as gcloud's HTTP proxy (CLOUDSDK_PROXY_*) with CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN
 * pointing at a made-up host: every request arrives here in absolute form.
 * A script decides whether the next revision becomes Ready or fails. Source deploys add the
 * APIs of the build (gcp-source-deploy-api.ts) on the same server: `serveApi`, `runV2`.
 *
 * What gcloud v528 was seen to request (logged by this fake):
 * - `run deploy --async`: GET serviceusage …/services/run.googleapis.com (API enabled?), GET
 *   …/namespaces/P/services/S, then PUT it (existing) or POST …/namespaces/P/services after a
 *   …/locations/R/services/S:testIamPermissions (new service);
 * - `run revisions describe`: GET …/namespaces/P/revisions/R; `run services describe`: GET the
 *   service; `run revisions list --service S`: GET …/revisions?labelSelector=serving.knative.dev/service=S.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';

type Json = Record<string, any>;
export type RevisionFate = 'ready' | 'fail';

/** A request to another Google API host served by this fake (see `serveApi`). */
export interface FakeApiRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}
export type FakeApiHandler = (req: FakeApiRequest, res: ServerResponse) => void | Promise<void>;

export class CloudRunFake implements AsyncDisposable {
  readonly requests: string[] = [];
  /** What happens to the next revision created. */
  fate: RevisionFate = 'ready';
  /** Answer every Cloud Run call with this HTTP error (status, google.rpc status name). */
  failWith: { code: number; status: string } | undefined;
  /** How many GETs of a new revision answer "Unknown" before it settles (a revision takes time). */
  settleAfterGets = 1;
  private readonly services = new Map<string, Json>();
  private readonly revisions = new Map<string, Json>();
  private readonly pendingGets = new Map<string, number>();
  private readonly apis = new Map<string, FakeApiHandler>();
  private readonly overrides: Record<string, string> = {};
  /** Cloud Run Admin API v2 calls (`/v2/…` on the regional host), when a fake serves them. */
  runV2: FakeApiHandler | undefined;
  private server: Server | undefined;
  port = 0;

  /**
   * Serves another Google API (`cloudbuild`, `storage`, …) from this server: gcloud sends every
   * API through the one proxy, so the fakes of a source deploy share it. `path` is the API's
   * base path when gcloud's endpoint override must carry one (storage: `storage/v1/`).
   */
  serveApi(api: string, handler: FakeApiHandler, path = ''): void {
    this.apis.set(`${api}.fake.test`, handler);
    this.overrides[`CLOUDSDK_API_ENDPOINT_OVERRIDES_${api.toUpperCase()}`] = `http://${api}.fake.test/${path}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      // A bug in the fake must answer (500), not leave gcloud retrying a silent socket.
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 500, status: 'INTERNAL', message: `fake bug: ${String(err)}` } }));
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this;
  }

  /** Environment that points the real gcloud at this fake, with a throwaway config dir. */
  gcloudEnv(configDir: string): Record<string, string> {
    return {
      CLOUDSDK_CONFIG: configDir,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN: 'http://run.fake.test/',
      CLOUDSDK_API_ENDPOINT_OVERRIDES_SERVICEUSAGE: 'http://serviceusage.fake.test/',
      CLOUDSDK_PROXY_TYPE: 'http',
      CLOUDSDK_PROXY_ADDRESS: '127.0.0.1',
      CLOUDSDK_PROXY_PORT: String(this.port),
      CLOUDSDK_AUTH_ACCESS_TOKEN: 'fake-token-for-contract-test',
      CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
      CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
      CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
      ...this.overrides,
    };
  }

  /** An existing service whose first revision is Ready and serving. */
  addService(project: string, region: string, name: string, image: string): void {
    const rev = `${name}-00001-aaa`;
    this.revisions.set(`${project}/${rev}`, this.revision(project, region, name, rev, image, 1, 'ready'));
    this.services.set(`${project}/${name}`, {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name, namespace: project, generation: 1, resourceVersion: 'rv1', uid: `uid-${name}`, labels: { 'cloud.googleapis.com/location': region }, annotations: {} },
      spec: { template: { metadata: { name: rev, annotations: {} }, spec: { containers: [{ image }], containerConcurrency: 80, timeoutSeconds: 300 } }, traffic: [{ percent: 100, latestRevision: true }] },
      status: {},
    });
    this.settleService(project, name, rev, 'ready');
  }

  service(project: string, name: string): Json | undefined {
    return this.services.get(`${project}/${name}`);
  }

  private revision(project: string, region: string, service: string, name: string, image: string, gen: number, fate: RevisionFate | 'unknown'): Json {
    const ready =
      fate === 'ready'
        ? { type: 'Ready', status: 'True' }
        : fate === 'fail'
          ? { type: 'Ready', status: 'False', reason: 'HealthCheckContainerError', message: `The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable.` }
          : { type: 'Ready', status: 'Unknown', reason: 'Deploying' };
    return {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Revision',
      metadata: { name, namespace: project, generation: 1, labels: { 'serving.knative.dev/service': service, 'serving.knative.dev/configurationGeneration': String(gen), 'cloud.googleapis.com/location': region } },
      spec: { containers: [{ image }] },
      status: { observedGeneration: 1, conditions: [ready, { ...ready, type: 'ContainerHealthy' }], ...(fate === 'ready' ? { imageDigest: `${image.split(':')[0]}@sha256:${'ab'.repeat(32)}` } : {}) },
    };
  }

  private settleService(project: string, name: string, rev: string, fate: RevisionFate | 'unknown'): void {
    const svc = this.services.get(`${project}/${name}`);
    if (!svc) return;
    const prev = svc.status ?? {};
    const ok = fate === 'ready';
    const routes = (svc.spec.traffic as Json[] | undefined) ?? [{ percent: 100, latestRevision: true }];
    const noTraffic = routes.every((t) => !t.latestRevision);
    const traffic = ok && !noTraffic ? [{ revisionName: rev, percent: 100, latestRevision: true }] : prev.traffic ?? [];
    for (const t of routes) if (t.tag && ok) traffic.push({ revisionName: t.revisionName ?? rev, tag: t.tag, url: `https://${t.tag}---${name}-xyz.a.run.app` });
    svc.status = {
      observedGeneration: svc.metadata.generation,
      latestCreatedRevisionName: rev,
      latestReadyRevisionName: ok ? rev : prev.latestReadyRevisionName,
      url: `https://${name}-xyz.a.run.app`,
      address: { url: `https://${name}-xyz.a.run.app` },
      traffic,
      conditions: ['Ready', 'ConfigurationsReady', 'RoutesReady'].map((type) =>
        fate === 'unknown'
          ? { type, status: 'Unknown' }
          : ok
            ? { type, status: 'True' }
            : { type, status: type === 'RoutesReady' ? 'True' : 'False', reason: 'RevisionFailed', message: `Revision '${rev}' is not ready and cannot serve traffic.` },
      ),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://unknown.invalid');
    this.requests.push(`${req.method} ${url.host}${url.pathname}`);
    const send = (code: number, obj: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(obj));
    };
    const error = (code: number, status: string, message: string): void => send(code, { error: { code, status, message } });

    if (url.host === 'serviceusage.fake.test') return send(200, { name: url.pathname.slice(4), state: 'ENABLED' });
    const api = this.apis.get(url.host);
    if (api) return api({ method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks) }, res);
    const region = /^([a-z0-9-]+)-run\.fake\.test$/.exec(url.host)?.[1];
    if (!region) return error(404, 'NOT_FOUND', `unknown host ${url.host}`);
    if (this.failWith) return error(this.failWith.code, this.failWith.status, `scripted ${this.failWith.status}`);
    if (url.pathname.startsWith('/v2/') && this.runV2) return this.runV2({ method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks) }, res);

    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Json) : undefined;
    const m = /^\/apis\/serving\.knative\.dev\/v1\/namespaces\/([^/]+)\/(services|revisions)(?:\/([^/]+))?$/.exec(url.pathname);
    if (m) {
      const [, project = '', kind, name] = m;
      if (kind === 'revisions' && !name) {
        const svcName = /serving\.knative\.dev\/service=([^,]+)/.exec(url.searchParams.get('labelSelector') ?? '')?.[1];
        const items = [...this.revisions.values()].filter((r) => r.metadata.namespace === project && (!svcName || r.metadata.labels['serving.knative.dev/service'] === svcName));
        return send(200, { apiVersion: 'serving.knative.dev/v1', kind: 'RevisionList', metadata: {}, items });
      }
      if (kind === 'revisions') {
        const key = `${project}/${name ?? ''}`;
        const rev = this.revisions.get(key);
        if (!rev) return error(404, 'NOT_FOUND', `Revision [${name ?? ''}] could not be found.`);
        const left = this.pendingGets.get(key);
        if (left !== undefined) {
          // The revision settles after a few looks, as a real one does after some seconds.
          if (left <= 0) {
            this.pendingGets.delete(key);
            const fate = rev.metadata.annotations?.fate as RevisionFate;
            const gen = Number(rev.metadata.labels['serving.knative.dev/configurationGeneration']);
            Object.assign(rev, this.revision(project, region, rev.metadata.labels['serving.knative.dev/service'], rev.metadata.name, rev.spec.containers[0].image, gen, fate));
            this.settleService(project, rev.metadata.labels['serving.knative.dev/service'], rev.metadata.name, fate);
          } else this.pendingGets.set(key, left - 1);
        }
        return send(200, rev);
      }
      const svcKey = `${project}/${name ?? body?.metadata?.name ?? ''}`;
      if (req.method === 'GET') {
        const svc = this.services.get(svcKey);
        return svc ? send(200, svc) : error(404, 'NOT_FOUND', `Service [${name ?? ''}] could not be found.`);
      }
      if ((req.method === 'PUT' || req.method === 'POST') && body) {
        const existing = this.services.get(svcKey);
        if (req.method === 'POST' && existing) return error(409, 'ALREADY_EXISTS', 'Resource already exists');
        const svcName = String(body.metadata?.name);
        const gen = (existing?.metadata.generation ?? 0) + 1;
        const count = [...this.revisions.values()].filter((r) => r.metadata.labels['serving.knative.dev/service'] === svcName).length;
        const revName = body.spec?.template?.metadata?.name ?? `${svcName}-${String(count + 1).padStart(5, '0')}-xyz`;
        if (this.revisions.has(`${project}/${revName}`)) {
          return error(409, 'ALREADY_EXISTS', `Revision named '${revName}' with different configuration already exists.`);
        }
        const svc: Json = { ...body, metadata: { ...body.metadata, namespace: project, generation: gen, resourceVersion: `rv${gen}`, uid: `uid-${svcName}`, labels: { ...body.metadata?.labels, 'cloud.googleapis.com/location': region } }, status: existing?.status ?? {} };
        this.services.set(svcKey, svc);
        const rev = this.revision(project, region, svcName, revName, body.spec.template.spec.containers[0].image, gen, 'unknown');
        rev.metadata.annotations = { fate: this.fate };
        this.revisions.set(`${project}/${revName}`, rev);
        this.pendingGets.set(`${project}/${revName}`, this.settleAfterGets);
        this.settleService(project, svcName, revName, 'unknown');
        return send(200, svc);
      }
    }
    if (/:testIamPermissions$/.test(url.pathname)) return send(200, { permissions: (body?.permissions as string[]) ?? [] });
    return error(404, 'NOT_FOUND', `the fake does not implement ${req.method ?? ''} ${url.pathname}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
