import { ShipclockError } from '../errors/shipclock-error.js';
import { UsageError } from '../errors/usage-error.js';
import { InputError } from '../errors/input-error.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { legacyToCommand } from './legacy.js';
import { VERSION } from './version.js';

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `shipclock ${VERSION}: deploy once or on a schedule, with a ledger for every scheduled time

Usage:
  shipclock <command> [options]
  shipclock --deploy [--schedule EXPR] [--schedule-config FILE] [--provider NAME] [--max-retries N]

Commands:
${lines.join('\n')}

Global options:
  -c, --config FILE        config file (default: ./shipclock.yaml); --schedule-config is an alias
      --state DIR          state directory (default: .shipclock/ beside the config; env SHIPCLOCK_STATE)
      --store URL          ledger store: a SQLite file path or postgres://… (env SHIPCLOCK_STORE)
  -h, --help               help for shipclock or a command
      --version            print the version

Exit codes: 0 ok, 1 the deploy or job failed, 2 bad usage or bad input.
Run 'shipclock <command> --help' for a command's options.
`;
}

/**
 * The whole command line as a function: argv in, exit code out. `bin/shipclock` is the only
 * caller that touches `process`; tests call this in-process with their own io.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const first = argv[0];
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout.write(usage());
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    let command: Command | undefined;
    let args: readonly string[];
    if (first.startsWith('-')) {
      // The original form: `shipclock --deploy [--schedule …]`.
      ({ command, args } = legacyToCommand(argv));
    } else {
      command = COMMANDS.find((c) => c.name === first);
      args = argv.slice(1);
      if (!command) {
        const near = COMMANDS.map((c) => c.name).filter((n) => n.startsWith(first.slice(0, 2)));
        throw new UsageError(
          `unknown command ${JSON.stringify(first)}${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : ''}\nRun 'shipclock --help' for the list of commands.`,
        );
      }
    }
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
      return EXIT_OK;
    }
    return await command.run(args, io);
  } catch (error) {
    return reportError(error, io);
  }
}

export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof InputError) {
    const n = error.problems.length;
    io.stderr.write(`shipclock: ${n === 1 ? 'invalid input' : `${n} problems in the input`}; nothing was changed\n\n${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ShipclockError) {
    io.stderr.write(`shipclock: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`shipclock: internal error: ${message}\n`);
  return EXIT_FAILED;
}
