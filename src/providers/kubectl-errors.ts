/**
 * kubectl failures → error classes. kubectl has no machine-readable error output; what it does
 * print in a fixed form is the API server's Status `reason` (a closed enum:
 * `Error from server (NotFound): …`, `error: You must be logged in to the server (Unauthorized)`),
 * so that token is the structured field we read. No reason and a non-zero exit code means
 * kubectl never got an answer from the API server.
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

export function classifyKubectl(result: CliResult): ErrorClass {
  const reason = REASON.exec(result.stderr)?.[1];
  if (reason) return BY_REASON[reason] ?? 'unknown';
  // Exit 1 without a server status: kubectl's own usage/validation errors start with "error:"
  // and name a local problem (bad flag, missing file, no such container in `set image`).
  if (/^error: /m.test(result.stderr)) return 'invalid';
  return 'transient';
}

const LOGIN_HINT =
  'kubectl could not authenticate: check `kubectl config current-context` (or the `context:`/`kubeconfig:` settings) ' +
  'and log in again, e.g. `gcloud container clusters get-credentials`, `aws eks update-kubeconfig` or `az aks get-credentials`.';

export function kubectlError(step: string, result: CliResult): DeployError {
  const errorClass = classifyKubectl(result);
  const detail = result.stderr.trim().split('\n').slice(-3).join(' | ');
  const hint = errorClass === 'auth' ? ` ${LOGIN_HINT}` : '';
  return new DeployError('kubernetes', errorClass, `kubectl ${step} failed (exit ${String(result.code)}): ${detail}.${hint}`);
}
