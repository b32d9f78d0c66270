import { ShipclockError } from './shipclock-error.js';

/** Bad command-line usage: unknown flag, missing argument, bad flag value. Exit code 2. */
export class UsageError extends ShipclockError {
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(options.code ?? 'E_USAGE', message, { cause: options.cause, exitCode: 2 });
  }
}
