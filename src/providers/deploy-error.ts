import { ShipclockError } from '../errors/shipclock-error.js';
import type { ErrorClass } from './types.js';

/** A deploy step failed; `errorClass` tells the runner whether retrying can help. */
export class DeployError extends ShipclockError {
  readonly errorClass: ErrorClass;
  readonly provider: string;

  constructor(
    provider: string,
    errorClass: ErrorClass,
    message: string,
    options: { cause?: unknown; code?: string } = {},
  ) {
    super(options.code ?? `E_DEPLOY_${errorClass.toUpperCase()}`, message, { cause: options.cause, exitCode: 1 });
    this.provider = provider;
    this.errorClass = errorClass;
  }
}
