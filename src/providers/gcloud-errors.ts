/**
 * gcloud failures → error classes. gcloud prints API errors as
 * `ERROR: (gcloud.run.deploy) STATUS: message`, where STATUS is the google.rpc status name
 * from the API's JSON error body (a closed enum), so that token is the structured field read
 * here. gcloud's own failures carry no token; when there is none, the caller asks gcloud
 * whether it has credentials at all (`gcloud auth print-access-token`, exit code) to tell
 * "not logged in" apart from the rest.
 */
import type { CliResult } from './cli-exec.js';
import { classifyHttpStatus } from './classify.js';
import type { ErrorClass } from './types.js';

const BY_STATUS: Readonly<Record<string, ErrorClass>> = {
  NOT_FOUND: 'not_found',
  PERMISSION_DENIED: 'auth',
  UNAUTHENTICATED: 'auth',
  RESOURCE_EXHAUSTED: 'throttled',
  ABORTED: 'conflict',
  ALREADY_EXISTS: 'conflict',
  FAILED_PRECONDITION: 'conflict',
  INVALID_ARGUMENT: 'invalid',
  OUT_OF_RANGE: 'invalid',
  UNIMPLEMENTED: 'invalid',
  UNAVAILABLE: 'transient',
  INTERNAL: 'transient',
  DEADLINE_EXCEEDED: 'transient',
  UNKNOWN: 'transient',
};

const STATUS = new RegExp(`\\(gcloud\\.[a-z0-9_.-]+\\) (${Object.keys(BY_STATUS).join('|')}):`);

/**
 * Errors gcloud does not translate come out as `HttpError accessing <url>: response:
 * <{…, 'status': 503}>, content <{"error": {…, "status": "UNAVAILABLE"}}>`: the API's JSON
 * error body and the HTTP status, both structured.
 */
const RAW_CONTENT = /content <(\{.*\})>/s;
const RAW_STATUS = /'status': '?(\d{3})'?/;

/** The class from the status token, or undefined when gcloud printed none. */
export function classifyGcloud(result: CliResult): ErrorClass | undefined {
  const status = STATUS.exec(result.stderr)?.[1];
  if (status) return BY_STATUS[status];
  const body = RAW_CONTENT.exec(result.stderr)?.[1];
  if (body) {
    try {
      const rpc = (JSON.parse(body) as { error?: { status?: string } }).error?.status;
      if (rpc && BY_STATUS[rpc]) return BY_STATUS[rpc];
    } catch {
      // not JSON: fall through to the HTTP status
    }
  }
  const http = RAW_STATUS.exec(result.stderr)?.[1];
  return http ? classifyHttpStatus(Number(http)) : undefined;
}

export const GCLOUD_LOGIN_HINT =
  'gcloud has no usable credentials: run `gcloud auth login` (or `gcloud auth activate-service-account --key-file=…`), ' +
  'or set CLOUDSDK_AUTH_ACCESS_TOKEN; check the active account with `gcloud auth list`.';
