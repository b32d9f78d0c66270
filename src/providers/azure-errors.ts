/**
 * Azure SDK errors → error classes: `RestError.statusCode` (and the ARM error `code` for the
 * one case the status does not tell: an operation already running on the app), and
 * @azure/identity's error names for "no usable credential".
 */
import { classifyHttpStatus, classifyNodeError, fieldOf, isAbort } from './classify.js';
import { DeployError } from './deploy-error.js';
import type { ErrorClass } from './types.js';

const AUTH_NAMES = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError']);
const CONFLICT_CODES = new Set(['ContainerAppOperationInProgress', 'OperationInProgress', 'AnotherOperationInProgress', 'Conflict']);

export function classifyAzureError(err: unknown): ErrorClass {
  const name = fieldOf(err, 'name');
  if (typeof name === 'string' && AUTH_NAMES.has(name)) return 'auth';
  const code = fieldOf(err, 'code');
  if (typeof code === 'string' && CONFLICT_CODES.has(code)) return 'conflict';
  const status = fieldOf(err, 'statusCode');
  if (typeof status === 'number') return classifyHttpStatus(status) ?? 'unknown';
  return classifyNodeError(err) ?? 'unknown';
}

const LOGIN_HINT =
  'Azure credentials come from DefaultAzureCredential: AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, ' +
  'workload or managed identity, or `az login` (then `az account show`).';

export function azureDeployError(step: string, err: unknown, signal: AbortSignal): DeployError {
  if (isAbort(err, signal)) return new DeployError('azure-container-apps', 'cancelled', `${step}: aborted`, { cause: err });
  const errorClass = classifyAzureError(err);
  const code = fieldOf(err, 'code');
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  const hint = errorClass === 'auth' ? ` ${LOGIN_HINT}` : '';
  return new DeployError('azure-container-apps', errorClass, `${step} failed${typeof code === 'string' ? ` (${code})` : ''}: ${detail}.${hint}`, { cause: err });
}
