/**
 * kubectl failures → error classes. kubectl has no machine-readable error output; what it does
 * print in a fixed form is the API server's Status `reason` (a closed enum:
 * `Error from server (NotFound): …`, `error: You must be logged in to the server (Unauthorized)`),
 * so that token is the structured field we read. The one reason kubectl prints in another fixed
 * form is `Invalid` (422), which it spells out as `The Deployment "web" is invalid: …` (or
 * `The request is invalid`). No reason and a non-zero exit code means kubectl never got an
 * answer from the API server.
 */
import type { CliResult } from './cli-exec.js';
import { DeployError } from './deploy-error.js';
import type { ErrorClass } from './types.js';

const BY_REASON: Readonly<Record<string, ErrorClass>> = {
  NotFound: 'not_found',
  Unauthorized: 'auth',
  Forbidden: 'auth',
  Conflict: 'conflict',
  AlreadyExists: 'conflict',
  TooManyRequests: 'throttled',
  ServiceUnavailable: 'transient',
  InternalError: 'transient',
  Timeout: 'transient',
  ServerTimeout: 'transient',
  Invalid: 'invalid',
  BadRequest: 'invalid',
  MethodNotAllowed: 'invalid',
  UnsupportedMediaType: 'invalid',
  Gone: 'transient',
  Expired: 'transient',
};

const REASON = new RegExp(`\\((${Object.keys(BY_REASON).join('|')})\\)`);
/** kubectl's rendering of a 422 Status (k8s.io/kubectl cmd/util helpers: "The %s %q is invalid"). */
const INVALID_STATUS = /^The (?:\S+ "[^"]*"|request) is invalid/m;

/** The API Status reason kubectl printed, if any. */
export function kubectlReason(result: CliResult): string | undefined {
  const reason = REASON.exec(result.stderr)?.[1];
  if (reason) return reason;
  return INVALID_STATUS.test(result.stderr) ? 'Invalid' : undefined;
}

export function classifyKubectl(result: CliResult): ErrorClass {
  const reason = kubectlReason(result);
  if (reason) return BY_REASON[reason] ?? 'unknown';
  // Exit 1 without a server status: kubectl's own usage/validation errors start with "error:"
  // and name a local problem (bad flag, missing file, no such container in `set image`).
  if (/^error: /m.test(result.stderr)) return 'invalid';
  return 'transient';
}

const LOGIN_HINT =
  'kubectl could not authenticate: check `kubectl config current-context` (or the `context:`/`kubeconfig:` settings) ' +
  'and log in again, e.g. `gcloud container clusters get-credentials`, `aws eks update-kubeconfig` or `az aks get-credentials`.';
const RBAC_HINT =
  'The cluster knows this user but its RBAC does not allow the change: check with ' +
  '`kubectl auth can-i patch deployments --namespace NAMESPACE` (and `create` when a manifest creates the Deployment), ' +
  'or use a context whose user may.';

/**
 * The lines worth reading: the one that states the error (kubectl then often echoes the whole
 * patch over several lines) and the last one, which holds the server's message.
 */
function detail(stderr: string): string {
  const lines = stderr.trim().split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const head = lines.find((l) => /^(Error from server|error:|The \S+ .* is invalid)/.test(l));
  const last = lines.at(-1) ?? '';
  const picked = head !== undefined && head !== last ? [head, last] : [last];
  return picked.map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l)).join(' … ');
}

export function kubectlError(step: string, result: CliResult): DeployError {
  const reason = kubectlReason(result);
  const errorClass = classifyKubectl(result);
  const hint = reason === 'Forbidden' ? ` ${RBAC_HINT}` : errorClass === 'auth' ? ` ${LOGIN_HINT}` : '';
  return new DeployError('kubernetes', errorClass, `kubectl ${step} failed (exit ${String(result.code)}): ${detail(result.stderr)}${hint}`);
}
