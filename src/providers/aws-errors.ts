/**
 * AWS SDK v3 errors → error classes, from the error's `name` (the service's exception shape),
 * `$metadata.httpStatusCode` and `$retryable`, which the SDK fills from the wire response.
 * Shared by aws-ecs and aws-lambda.
 */
import { DeployError } from './deploy-error.js';
import { classifyHttpStatus, classifyNodeError, fieldOf, isAbort } from './classify.js';
import type { ErrorClass } from './types.js';

const BY_NAME: Readonly<Record<string, ErrorClass>> = {
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  LimitExceededException: 'throttled',
  ServerException: 'transient',
  ServiceException: 'transient',
  ServiceUnavailableException: 'transient',
  InternalFailure: 'transient',
  AccessDeniedException: 'auth',
  UnrecognizedClientException: 'auth',
  InvalidSignatureException: 'auth',
  ExpiredTokenException: 'auth',
  InvalidClientTokenId: 'auth',
  CredentialsProviderError: 'auth',
  ClusterNotFoundException: 'not_found',
  ServiceNotFoundException: 'not_found',
  ServiceNotActiveException: 'not_found',
  ResourceNotFoundException: 'not_found',
  ConflictException: 'conflict',
  UpdateInProgressException: 'conflict',
  ResourceConflictException: 'conflict',
  ResourceInUseException: 'conflict',
  PreconditionFailedException: 'conflict',
  InvalidParameterException: 'invalid',
  InvalidParameterValueException: 'invalid',
  ClientException: 'invalid',
  ValidationException: 'invalid',
  CodeStorageExceededException: 'invalid',
};

export function classifyAwsError(err: unknown): ErrorClass {
  const name = fieldOf(err, 'name');
  if (typeof name === 'string' && BY_NAME[name]) return BY_NAME[name];
  const retryable = fieldOf(err, '$retryable');
  if (fieldOf(retryable, 'throttling') === true) return 'throttled';
  const status = fieldOf(fieldOf(err, '$metadata'), 'httpStatusCode');
  if (typeof status === 'number') return classifyHttpStatus(status) ?? 'unknown';
  return classifyNodeError(err) ?? 'unknown';
}

const LOGIN_HINT =
  'AWS credentials come from the standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ' +
  'AWS_PROFILE (run `aws sso login --profile NAME` or `aws configure`), or an instance/task role.';

/** Wraps an SDK failure as a DeployError naming the step; abort stays an abort. */
export function awsDeployError(provider: string, step: string, err: unknown, signal: AbortSignal): DeployError {
  if (isAbort(err, signal)) return new DeployError(provider, 'cancelled', `${step}: aborted`, { cause: err });
  const errorClass = classifyAwsError(err);
  const name = fieldOf(err, 'name');
  const detail = err instanceof Error ? err.message : String(err);
  const hint = errorClass === 'auth' ? ` ${LOGIN_HINT}` : '';
  return new DeployError(provider, errorClass, `${step} failed (${String(name ?? 'error')}): ${detail}.${hint}`, {
    cause: err,
  });
}
