/**
 * Source deploys (`gcloud run deploy --source DIR`): gcloud uploads DIR, has Cloud Build build
 * it (Cloud Run's `builds:submit`), waits for the build, then deploys the image it produced.
 * When the build fails gcloud prints no API status (`Build failed; check build logs for
 * details`), so the provider reads the build itself (`gcloud builds list`, tagged
 * `service_NAME` by gcloud) and classifies it from Cloud Build's structured fields: the
 * build's `status` and `failureInfo.type`. Pure.
 */
import type { ErrorClass } from './types.js';

export interface CloudBuild {
  id?: string;
  status?: string;
  createTime?: string;
  logUrl?: string;
  tags?: string[];
  failureInfo?: { type?: string; detail?: string };
  statusDetail?: string;
  source?: { storageSource?: { bucket?: string; object?: string } };
}

/** The tag gcloud puts on the builds of a service's source deploys. */
export function buildTag(service: string): string {
  return `service_${service}`;
}

/**
 * How far the cloud's clock may be behind ours, when a build's age is known only from its
 * `createTime` (the cloud's clock). A build created well before the deploy started belongs
 * to an earlier deploy or attempt.
 */
const CLOCK_SLACK_MS = 30_000;

/**
 * When gcloud uploaded the build's source, by OUR clock: gcloud names the object
 * `services/S/<unix seconds>-<uuid hex>.zip` from the local time. Undefined if named otherwise.
 */
export function uploadedAtMs(build: CloudBuild): number | undefined {
  const stamp = /\/(\d{9,}(?:\.\d+)?)-[0-9a-f]{32}\.(?:zip|tar\.gz|tgz)$/.exec(build.source?.storageSource?.object ?? '')?.[1];
  return stamp === undefined ? undefined : Number(stamp) * 1000;
}

function startedSince(b: CloudBuild, startedMs: number): boolean {
  const uploaded = uploadedAtMs(b);
  return uploaded !== undefined ? uploaded >= startedMs : Date.parse(b.createTime ?? '') >= startedMs - CLOCK_SLACK_MS;
}

/** This service's builds started since `startedMs`, newest first. */
export function buildsSince(builds: readonly CloudBuild[], service: string, startedMs: number): CloudBuild[] {
  const tag = buildTag(service);
  return builds
    .filter((b) => b.tags?.includes(tag) && startedSince(b, startedMs))
    .sort((a, b) => Date.parse(b.createTime ?? '') - Date.parse(a.createTime ?? ''));
}

/** The newest build of this service started since `startedMs` (ours: one deploy per target at a time). */
export function buildOfThisDeploy(builds: readonly CloudBuild[], service: string, startedMs: number): CloudBuild | undefined {
  return buildsSince(builds, service, startedMs)[0];
}

/** Cloud Build statuses of a build that has not ended. */
export function buildIsActive(build: CloudBuild): boolean {
  return build.status === 'QUEUED' || build.status === 'WORKING' || build.status === 'PENDING';
}

/** `failureInfo.type` → class: a failing build step is the user's code or Dockerfile, which a retry rebuilds the same. */
const BY_FAILURE: Readonly<Record<string, ErrorClass>> = {
  USER_BUILD_STEP: 'invalid',
  PUSH_NOT_AUTHORIZED: 'auth',
  PUSH_FAILED: 'transient',
  PUSH_IMAGE_NOT_FOUND: 'transient',
  FETCH_SOURCE_FAILED: 'transient',
  LOGGING_FAILURE: 'transient',
};

/** `status` → class, when the build did not succeed. */
const BY_STATUS: Readonly<Record<string, ErrorClass>> = {
  INTERNAL_ERROR: 'transient',
  EXPIRED: 'transient',
  TIMEOUT: 'unknown',
  CANCELLED: 'unknown',
};

/** The class of a failed build, or undefined when the build did not fail (the failure came later). */
export function buildFailureClass(build: CloudBuild): ErrorClass | undefined {
  if (build.status === 'FAILURE') return BY_FAILURE[build.failureInfo?.type ?? ''] ?? 'unknown';
  return BY_STATUS[build.status ?? ''];
}

/** One line for the error message: what failed and where its log is. */
export function describeBuildFailure(build: CloudBuild): string {
  const why = build.failureInfo?.detail ?? build.statusDetail ?? '';
  const fix = build.failureInfo?.type === 'USER_BUILD_STEP' ? ' Fix the source (or its Dockerfile) and deploy again.' : '';
  return `Cloud Build build ${build.id ?? '?'} ended ${build.status ?? '?'}${build.failureInfo?.type ? ` (${build.failureInfo.type})` : ''}${why ? `: ${why}` : ''}.${fix}${build.logUrl ? ` Logs: ${build.logUrl}` : ''}`;
}
