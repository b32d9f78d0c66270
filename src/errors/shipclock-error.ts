/**
 * Base class of every error shipclock raises on purpose. Code recognises errors by `code`
 * (stable, machine-readable), never by message text. `exitCode` is what the CLI returns when
 * the error reaches it: 2 for bad usage or bad input, 1 for a failed deploy or job.
 */
export class ShipclockError extends Error {
  readonly code: string;
  readonly exitCode: 1 | 2;

  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: 1 | 2 } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}
