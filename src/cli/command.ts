import type { CliIO } from './io.js';

/** One subcommand. Each parses its own arguments (util.parseArgs, strict) and returns an exit code. */
export interface Command {
  readonly name: string;
  /** One line for `shipclock --help`. */
  readonly summary: string;
  /** Full usage text for `shipclock NAME --help`. */
  readonly usage: string;
  run(args: readonly string[], io: CliIO): Promise<number>;
}
