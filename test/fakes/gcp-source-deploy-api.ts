/**
 * Wire-level fakes of the Google APIs that `gcloud run deploy --source DIR` (gcloud v528)
 * calls before it deploys to Cloud Run, served through the CloudRunFake's proxy (each API by
 * its endpoint override, CLOUDSDK_API_ENDPOINT_OVERRIDES_*). The order gcloud was seen to call
 * them (`--log-http`), which is the path a user gets by default:
 *
 * 1. Service Usage: run, artifactregistry and cloudbuild enabled? (CloudRunFake answers.)
 * 2. Cloud Run v1: GET the service.
 * 3. Artifact Registry: GET …/repositories/cloud-run-source-deploy; when missing, POST it
 *    (a long-running operation, polled with GET …/operations/ID).
 * 4. Cloud Build: GET …/locations/R/defaultServiceAccount; IAM: GET that service account
 *    (a disabled one stops the deploy).
 * 5. Cloud Storage: GET the bucket `run-sources-P-R`, POST it when missing (then no ownership
 *    check), then upload the folder as a zip (`services/S/<stamp>-<uuid>.zip`, multipart).
 * 6. Cloud Run v2: POST …/locations/R/builds:submit (image URI
 *    `R-docker.pkg.dev/P/cloud-run-source-deploy/S`, the storage source, `dockerBuild` when
 *    the folder has a Dockerfile, else `buildpackBuild`) → a Cloud Build operation, polled with
 *    Cloud Build's GET …/locations/R/operations/BUILD_ID until done; its response is the Build,
 *    whose `results.images[0].digest` gcloud pins in the service's image. (gcloud falls back to
 *    Cloud Build's own builds.create only when builds:submit is 404 AND no base image is set;
 *    528 always sets one, so that path is not taken and not faked.)
 * 7. Cloud Run v1: PUT/POST the service (CloudRunFake), with the build noted in annotations.
 *
 * The "build" is the fake's: it unpacks the uploaded zip (a docker build without a Dockerfile
 * fails) and its outcome is scripted (`buildFate`), reported as Cloud Build reports it: the
 * operation `done` with an `error` ("Build failed; check build logs for details"), the Build
 * `FAILURE` with `failureInfo.type` USER_BUILD_STEP. `gcloud builds list` reads the same builds;
 * `gcloud builds cancel` (POST …/builds/ID:cancel) ends a queued or running one CANCELLED.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import type { CloudRunFake, FakeApiRequest } from './cloud-run-api.js';

type Json = Record<string, any>;
export type BuildFate = 'success' | 'fail';

/** Cloud Build statuses after which a build changes no more. */
const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELLED', 'TIMEOUT', 'INTERNAL_ERROR', 'EXPIRED']);

/** The project number the fake gives every project (Cloud Build names builds by number). */
export const PROJECT_NUMBER = '123456789012';

interface StoredBuild {
  build: Json;
  /** Polls of the operation left before the build settles. */
  pollsLeft: number;
  fate: BuildFate;
}

export class SourceDeployFake {
  /** `project/location/repo` of existing Artifact Registry repositories. */
  readonly repositories = new Set<string>();
  readonly buckets = new Map<string, { project: string; location: string }>();
  /** Uploaded objects, by `bucket/object`. */
  readonly objects = new Map<string, Buffer>();
  readonly builds = new Map<string, StoredBuild>();
  private readonly arOperations = new Map<string, Json>();
  private generation = 1_700_000_000_000_000;
  /** What happens to the next build submitted. */
  buildFate: BuildFate = 'success';
  /** How many operation polls answer "running" before a build settles (gcloud waits ~2-3 s between polls). */
  pollsBeforeDone = 0;
  /** Called each time gcloud polls a build's operation (after the build has moved on). */
  onPoll: ((build: Json) => void) | undefined;
  /** Answer builds:submit with this HTTP error (status, google.rpc status name). */
  submitFailWith: { code: number; status: string } | undefined;

  constructor(private readonly api: CloudRunFake) {
    api.serveApi('artifactregistry', (q, r) => this.artifactRegistry(q, r));
    api.serveApi('cloudbuild', (q, r) => this.cloudBuild(q, r));
    api.serveApi('iam', (q, r) => send(r, 200, { name: q.url.pathname.slice(4), email: decodeURIComponent(q.url.pathname.split('/').pop() ?? ''), disabled: false }));
    api.serveApi('storage', (q, r) => this.storage(q, r), 'storage/v1/');
    api.runV2 = (q, r) => this.runV2(q, r);
  }

  /** The build gcloud submitted last, as Cloud Build reports it. */
  lastBuild(): Json | undefined {
    return [...this.builds.values()].at(-1)?.build;
  }

  /** Cloud Run v2 `builds:submit`: starts a Cloud Build build of the uploaded source. */
  private runV2(q: FakeApiRequest, res: ServerResponse): void {
    const m = /^\/v2\/projects\/([^/]+)\/locations\/([^/]+)\/builds:submit$/.exec(q.url.pathname);
    if (!m || q.method !== 'POST') return error(res, 404, 'NOT_FOUND', `the fake does not implement ${q.method} ${q.url.pathname}`);
    if (this.submitFailWith) return error(res, this.submitFailWith.code, this.submitFailWith.status, `scripted ${this.submitFailWith.status}`);
    const [, project = '', region = ''] = m;
    const body = JSON.parse(q.body.toString()) as Json;
    const src = body['storageSource'] as Json | undefined;
    const key = `${String(src?.['bucket'])}/${String(src?.['object'])}`;
    const archive = this.objects.get(key);
    if (!archive) return error(res, 400, 'INVALID_ARGUMENT', `source gs://${key} not found`);
    const imageUri = String(body['imageUri'] ?? '');
    if (!this.repositories.has(`${project}/${region}/${imageUri.split('/')[2] ?? ''}`)) {
      return error(res, 400, 'INVALID_ARGUMENT', `Artifact Registry repository for ${imageUri} does not exist`);
    }
    const id = randomUUID();
    const docker = body['dockerBuild'] !== undefined;
    const now = new Date().toISOString();
    const build: Json = {
      id,
      name: `projects/${PROJECT_NUMBER}/locations/${region}/builds/${id}`,
      projectId: project,
      status: 'QUEUED',
      source: { storageSource: src },
      steps: docker
        ? [{ name: 'gcr.io/cloud-builders/docker', args: ['build', '--network', 'cloudbuild', '--no-cache', '-t', imageUri, '.'] }]
        : [{ name: 'gcr.io/k8s-skaffold/pack', entrypoint: 'pack', args: ['build', imageUri, '--network', 'cloudbuild', '--builder', 'gcr.io/buildpacks/builder:latest'] }],
      images: [imageUri],
      tags: body['tags'] ?? [],
      createTime: now,
      logUrl: `https://console.cloud.google.com/cloud-build/builds;region=${region}/${id}?project=${PROJECT_NUMBER}`,
      logsBucket: `gs://${PROJECT_NUMBER}.cloudbuild-logs.googleusercontent.com`,
    };
    // The fake's "build": a docker build needs a Dockerfile in the uploaded archive; the rest is scripted.
    const files = this.uploadedFiles(key);
    const fate: BuildFate = docker && !files.includes('Dockerfile') ? 'fail' : this.buildFate;
    this.builds.set(id, { build, pollsLeft: this.pollsBeforeDone, fate });
    return send(res, 200, { buildOperation: this.operation(project, region, id), baseImageUri: '', baseImageWarning: '' });
  }

  /** The Cloud Build operation of a build (gcloud names it by the build id); settles the build after some polls. */
  private operation(project: string, region: string, id: string): Json {
    const stored = this.builds.get(id);
    if (!stored) return {};
    const { build } = stored;
    const done = TERMINAL.has(String(build['status']));
    return {
      name: `projects/${project}/locations/${region}/operations/${id}`,
      metadata: { '@type': 'type.googleapis.com/google.devtools.cloudbuild.v1.BuildOperationMetadata', build },
      done,
      ...(build['status'] === 'SUCCESS' ? { response: { '@type': 'type.googleapis.com/google.devtools.cloudbuild.v1.Build', ...build } } : {}),
      ...(build['status'] === 'FAILURE' ? { error: { code: 2, message: 'Build failed; check build logs for details' } } : {}),
      ...(build['status'] === 'CANCELLED' ? { error: { code: 1, message: 'Build was cancelled' } } : {}),
    };
  }

  private advance(stored: StoredBuild, key: string): void {
    const { build } = stored;
    if (TERMINAL.has(String(build['status']))) return;
    build['startTime'] ??= new Date().toISOString();
    if (stored.pollsLeft > 0) {
      stored.pollsLeft -= 1;
      build['status'] = 'WORKING';
      return;
    }
    build['finishTime'] = new Date().toISOString();
    if (stored.fate === 'success') {
      build['status'] = 'SUCCESS';
      const image = String((build['images'] as string[])[0]);
      build['results'] = { images: [{ name: image, digest: digestOf(this.objects.get(key) ?? Buffer.alloc(0)) }, { name: `${image}:latest`, digest: digestOf(this.objects.get(key) ?? Buffer.alloc(0)) }] };
    } else {
      build['status'] = 'FAILURE';
      build['statusDetail'] = 'Build failed; check build logs for details';
      build['failureInfo'] = { type: 'USER_BUILD_STEP', detail: `Build step failure: build step 0 "${String((build['steps'] as Json[])[0]?.['name'])}" failed: step exited with non-zero status: 1` };
    }
  }

  /** File names inside an uploaded source archive (gcloud uploads a zip; tar.gz read too). */
  uploadedFiles(key: string): string[] {
    const data = this.objects.get(key);
    if (!data) return [];
    return key.endsWith('.zip') ? zipEntries(data).map((e) => e.name) : tarEntries(gunzipSync(data)).map((e) => e.name);
  }

  private artifactRegistry(q: FakeApiRequest, res: ServerResponse): void {
    const p = q.url.pathname;
    const repo = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/repositories\/([^/]+)$/.exec(p);
    if (repo && q.method === 'GET') {
      const [, project, location, id] = repo;
      if (!this.repositories.has(`${project}/${location}/${id}`)) return error(res, 404, 'NOT_FOUND', `Requested entity was not found.`);
      return send(res, 200, { name: p.slice(4), format: 'DOCKER', description: 'Cloud Run Source Deployments' });
    }
    const create = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/repositories$/.exec(p);
    if (create && q.method === 'POST') {
      const [, project, location] = create;
      const id = q.url.searchParams.get('repositoryId') ?? '';
      this.repositories.add(`${project}/${location}/${id}`);
      const repoName = `projects/${project}/locations/${location}/repositories/${id}`;
      const op = { name: `projects/${project}/locations/${location}/operations/${randomUUID()}`, done: true, response: { '@type': 'type.googleapis.com/google.devtools.artifactregistry.v1.Repository', name: repoName, format: 'DOCKER' } };
      this.arOperations.set(op.name, op);
      return send(res, 200, op);
    }
    const op = this.arOperations.get(p.slice(4));
    if (op && q.method === 'GET') return send(res, 200, op);
    return error(res, 404, 'NOT_FOUND', `the fake does not implement ${q.method} ${p}`);
  }

  private storage(q: FakeApiRequest, res: ServerResponse): void {
    const p = q.url.pathname;
    const bucket = /^\/storage\/v1\/b\/([^/]+)$/.exec(p)?.[1];
    if (bucket && q.method === 'GET') {
      const b = this.buckets.get(bucket);
      return b ? send(res, 200, this.bucketJson(bucket)) : error(res, 404, 'NOT_FOUND', `The specified bucket does not exist.`);
    }
    if (p === '/storage/v1/b' && q.method === 'POST') {
      const body = JSON.parse(q.body.toString()) as Json;
      const name = String(body['name']);
      if (this.buckets.has(name)) return error(res, 409, 'ALREADY_EXISTS', 'Your previous request to create the named bucket succeeded and you already own it.');
      this.buckets.set(name, { project: q.url.searchParams.get('project') ?? '', location: String(body['location'] ?? 'US').toUpperCase() });
      return send(res, 200, this.bucketJson(name));
    }
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(p)?.[1];
    if (upload && q.method === 'POST') {
      if (!this.buckets.has(upload)) return error(res, 404, 'NOT_FOUND', 'The specified bucket does not exist.');
      const name = q.url.searchParams.get('name') ?? '';
      const type = q.url.searchParams.get('uploadType');
      const data = type === 'multipart' ? multipartMedia(q.body, String(q.headers['content-type'])) : q.body;
      if (!data) return error(res, 400, 'INVALID_ARGUMENT', 'malformed multipart upload');
      this.objects.set(`${upload}/${name}`, data);
      this.generation += 1;
      return send(res, 200, { kind: 'storage#object', bucket: upload, name, id: `${upload}/${name}/${this.generation}`, generation: String(this.generation), size: String(data.length), md5Hash: createHash('md5').update(data).digest('base64') });
    }
    if (p === '/storage/v1/b' && q.method === 'GET') {
      const project = q.url.searchParams.get('project');
      const prefix = q.url.searchParams.get('prefix') ?? '';
      const items = [...this.buckets].filter(([n, b]) => b.project === project && n.startsWith(prefix)).map(([n]) => this.bucketJson(n));
      return send(res, 200, { kind: 'storage#buckets', items });
    }
    return error(res, 404, 'NOT_FOUND', `the fake does not implement ${q.method} ${p}`);
  }

  private bucketJson(name: string): Json {
    const b = this.buckets.get(name);
    return { kind: 'storage#bucket', id: name, name, projectNumber: PROJECT_NUMBER, location: b?.location, storageClass: 'STANDARD', iamConfiguration: { uniformBucketLevelAccess: { enabled: true } } };
  }

  private cloudBuild(q: FakeApiRequest, res: ServerResponse): void {
    const p = q.url.pathname;
    const sa = /^\/v1\/projects\/([^/]+)\/locations\/[^/]+\/defaultServiceAccount$/.exec(p);
    if (sa) {
      const email = `${PROJECT_NUMBER}-compute@developer.gserviceaccount.com`;
      return send(res, 200, { name: p.slice(4), serviceAccountEmail: `projects/${sa[1] ?? ''}/serviceAccounts/${email}` });
    }
    const op = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/operations\/([^/]+)$/.exec(p);
    if (op && q.method === 'GET') {
      const [, project = '', region = '', id = ''] = op;
      const stored = this.builds.get(id);
      if (!stored) return error(res, 404, 'NOT_FOUND', `operation ${id} not found`);
      this.advance(stored, `${String(stored.build['source'].storageSource.bucket)}/${String(stored.build['source'].storageSource.object)}`);
      send(res, 200, this.operation(project, region, id));
      return this.onPoll?.(stored.build);
    }
    const cancel = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/builds\/([^/:]+):cancel$/.exec(p);
    if (cancel && q.method === 'POST') {
      // Cloud Build: a queued or running build ends CANCELLED; an ended one is returned as it is.
      const stored = this.builds.get(cancel[3] ?? '');
      if (!stored || stored.build['projectId'] !== cancel[1]) return error(res, 404, 'NOT_FOUND', `build ${cancel[3] ?? ''} not found`);
      if (!TERMINAL.has(String(stored.build['status']))) {
        stored.build['status'] = 'CANCELLED';
        stored.build['finishTime'] = new Date().toISOString();
      }
      return send(res, 200, stored.build);
    }
    const one = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/builds\/([^/]+)$/.exec(p);
    if (one && q.method === 'GET') {
      const stored = this.builds.get(one[3] ?? '');
      return stored && stored.build['projectId'] === one[1] ? send(res, 200, stored.build) : error(res, 404, 'NOT_FOUND', `build ${one[3] ?? ''} not found`);
    }
    const list = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/builds$/.exec(p);
    if (list && q.method === 'GET') {
      // gcloud sends `--filter tags=X` to the server as `filter=tags="X"`.
      const tag = /^tags="([^"]*)"$/.exec(q.url.searchParams.get('filter') ?? '')?.[1];
      const builds = [...this.builds.values()]
        .map((b) => b.build)
        .filter((b) => b['projectId'] === list[1] && String(b['name']).includes(`/locations/${list[2] ?? ''}/`) && (tag === undefined || (b['tags'] as string[]).includes(tag)));
      return send(res, 200, { builds: builds.reverse() });
    }
    return error(res, 404, 'NOT_FOUND', `the fake does not implement ${q.method} ${p}`);
  }
}

function send(res: ServerResponse, code: number, obj: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(obj));
}
function error(res: ServerResponse, code: number, status: string, message: string): void {
  send(res, code, { error: { code, status, message } });
}

/** The media part of a `multipart/related` upload (metadata part first, then the bytes). */
function multipartMedia(body: Buffer, contentType: string): Buffer | undefined {
  const boundary = /boundary=(?:'([^']+)'|"([^"]+)"|([^;\s]+))/.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2] ?? boundary?.[3];
  if (!b) return undefined;
  const sep = Buffer.from(`--${b}`);
  const parts: Buffer[] = [];
  for (let at = body.indexOf(sep); at >= 0; ) {
    const next = body.indexOf(sep, at + sep.length);
    if (next < 0) break;
    parts.push(body.subarray(at + sep.length, next));
    at = next;
  }
  const media = parts[1];
  const headEnd = media?.indexOf('\r\n\r\n') ?? -1;
  const lf = media?.indexOf('\n\n') ?? -1;
  if (!media || (headEnd < 0 && lf < 0)) return undefined;
  const start = headEnd >= 0 && (lf < 0 || headEnd < lf) ? headEnd + 4 : lf + 2;
  const end = media.subarray(media.length - 2).toString() === '\r\n' ? media.length - 2 : media.length - 1;
  return media.subarray(start, end);
}

/** The files in a zip archive (central directory), with their bytes. */
export function zipEntries(zip: Buffer): { name: string; data: Buffer }[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let off = zip.readUInt32LE(eocd + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(off + 10);
    const size = zip.readUInt32LE(off + 20);
    const nameLen = zip.readUInt16LE(off + 28);
    const extraLen = zip.readUInt16LE(off + 30);
    const commentLen = zip.readUInt16LE(off + 32);
    const local = zip.readUInt32LE(off + 42);
    const name = zip.subarray(off + 46, off + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + size);
    if (!name.endsWith('/')) out.push({ name, data: method === 8 ? inflateRawSync(raw) : raw });
    off += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The entries of a (ustar) tar archive: 512-byte headers, name and octal size. */
export function tarEntries(tar: Buffer): { name: string; size: number }[] {
  const out: { name: string; size: number }[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (a: number, b: number): string => header.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 500);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 136).trim() || '0', 8);
    const type = field(156, 157);
    if (type === '0' || type === '') out.push({ name, size });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

export function digestOf(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
