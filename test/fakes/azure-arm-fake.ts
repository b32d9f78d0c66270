/**
 * A wire-level HTTPS fake of the bits of Azure Resource Manager the azure-container-apps
 * provider uses (Microsoft.App containerApps GET/PATCH with an Azure-AsyncOperation
 * long-running operation, revisions GET) and of the App Service managed-identity token endpoint
 * that DefaultAzureCredential's ManagedIdentityCredential calls (IDENTITY_ENDPOINT /
 * IDENTITY_HEADER). Serves a self-signed certificate made with the openssl CLI: the SDK refuses
 * bearer tokens over plain http.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = Record<string, any>;
export type AzureRevisionFate = 'running' | 'failed';

export class AzureArmFake implements AsyncDisposable {
  readonly requests: string[] = [];
  readonly certFile: string;
  fate: AzureRevisionFate = 'running';
  /** The next PATCH answers with this error instead (status, ARM error code). */
  failNextPatch: { status: number; code: string } | undefined;
  readonly identityHeader = 'fake-identity-header';
  private readonly key: Buffer;
  private readonly cert: Buffer;
  private readonly apps = new Map<string, Json>();
  private readonly revisions = new Map<string, Json>();
  private readonly operations = new Map<string, { polls: number; onDone: () => void }>();
  private server: Server | undefined;
  url = '';

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'shipclock-azure-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    this.key = readFileSync(join(dir, 'key.pem'));
    this.cert = readFileSync(join(dir, 'cert.pem'));
    this.certFile = join(dir, 'cert.pem');
  }

  async start(): Promise<this> {
    this.server = createServer({ key: this.key, cert: this.cert }, (req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const a = this.server.address();
    this.url = `https://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    return this;
  }

  /** Environment for a child process using DefaultAzureCredential against this fake. */
  childEnv(): Record<string, string> {
    return {
      NODE_EXTRA_CA_CERTS: this.certFile,
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
      IDENTITY_ENDPOINT: `${this.url}/msi/token`,
      IDENTITY_HEADER: this.identityHeader,
    };
  }

  addApp(sub: string, rg: string, name: string, containers: Record<string, string>): void {
    const rev = `${name}--initial`;
    const id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.App/containerApps/${name}`;
    this.revisions.set(`${id}/revisions/${rev}`, this.revision(id, rev, 'running'));
    this.apps.set(id, {
      id,
      name,
      type: 'Microsoft.App/containerApps',
      location: 'westeurope',
      properties: {
        provisioningState: 'Succeeded',
        latestRevisionName: rev,
        latestReadyRevisionName: rev,
        configuration: { activeRevisionsMode: 'Single' },
        template: { revisionSuffix: 'initial', containers: Object.entries(containers).map(([n, image]) => ({ name: n, image })) },
      },
    });
  }

  app(sub: string, rg: string, name: string): Json | undefined {
    return this.apps.get(`/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.App/containerApps/${name}`);
  }

  private revision(appId: string, name: string, fate: AzureRevisionFate | 'provisioning'): Json {
    const states =
      fate === 'running'
        ? { provisioningState: 'Provisioned', runningState: 'Running', healthState: 'Healthy', active: true, replicas: 1, trafficWeight: 100 }
        : fate === 'failed'
          ? { provisioningState: 'Failed', runningState: 'Failed', healthState: 'Unhealthy', active: false, replicas: 0, trafficWeight: 0 }
          : { provisioningState: 'Provisioning', runningState: 'Processing', healthState: 'None', active: true, replicas: 0, trafficWeight: 0 };
    return { id: `${appId}/revisions/${name}`, name, type: 'Microsoft.App/containerApps/revisions', properties: { createdTime: new Date().toISOString(), ...states } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method ?? ''} ${url.pathname}`);
    const send = (status: number, obj: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(obj === undefined ? '' : JSON.stringify(obj));
    };
    const armError = (status: number, code: string, message: string): void => send(status, { error: { code, message } });

    if (url.pathname === '/msi/token') {
      if (req.headers['x-identity-header'] !== this.identityHeader) return send(401, { error: 'bad identity header' });
      const expires = Math.floor(Date.now() / 1000) + 3600;
      return send(200, { access_token: 'fake-arm-token', expires_on: String(expires), resource: url.searchParams.get('resource'), token_type: 'Bearer' });
    }
    if (req.headers.authorization !== 'Bearer fake-arm-token') return armError(401, 'InvalidAuthenticationToken', 'no token');

    const op = /\/operations\/([^/]+)$/.exec(url.pathname)?.[1];
    if (op) {
      const o = this.operations.get(op);
      if (!o) return armError(404, 'NotFound', 'no such operation');
      o.polls++;
      if (o.polls < 2) return send(200, { id: op, status: 'InProgress' }, { 'retry-after': '0' });
      o.onDone();
      return send(200, { id: op, status: 'Succeeded' });
    }
    const revMatch = /^(.*\/containerApps\/[^/]+)\/revisions\/([^/]+)$/.exec(url.pathname);
    if (revMatch) {
      const rev = this.revisions.get(url.pathname);
      return rev ? send(200, rev) : armError(404, 'ContainerAppRevisionNotFound', `revision ${revMatch[2] ?? ''} not found`);
    }
    const app = this.apps.get(url.pathname);
    if (!app) return armError(404, 'ResourceNotFound', `The Resource '${url.pathname}' was not found.`);
    if (req.method === 'GET') return send(200, app);
    if (req.method === 'PATCH') {
      if (this.failNextPatch) {
        const f = this.failNextPatch;
        this.failNextPatch = undefined;
        return armError(f.status, f.code, `scripted ${f.code}`);
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Json;
      const template = body.properties?.template ?? body.template;
      const revName = `${app.name}--${template?.revisionSuffix ?? Math.random().toString(36).slice(2, 8)}`;
      if (this.revisions.has(`${app.id}/revisions/${revName}`)) return armError(400, 'ContainerAppRevisionSuffixConflict', 'suffix in use');
      app.properties.template = template;
      app.properties.provisioningState = 'InProgress';
      app.properties.latestRevisionName = revName;
      this.revisions.set(`${app.id}/revisions/${revName}`, this.revision(app.id, revName, 'provisioning'));
      const opId = `op-${this.operations.size + 1}`;
      const fate = this.fate;
      this.operations.set(opId, {
        polls: 0,
        onDone: () => {
          app.properties.provisioningState = 'Succeeded';
          this.revisions.set(`${app.id}/revisions/${revName}`, this.revision(app.id, revName, fate));
          if (fate === 'running') app.properties.latestReadyRevisionName = revName;
        },
      });
      const opUrl = `${this.url}/subscriptions/x/providers/Microsoft.App/locations/westeurope/operations/${opId}?api-version=2025-07-01`;
      return send(202, undefined, { 'azure-asyncoperation': opUrl, location: opUrl, 'retry-after': '0' });
    }
    return armError(405, 'MethodNotAllowed', 'not in the fake');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
