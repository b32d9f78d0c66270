import { UsageError } from '../errors/usage-error.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';

/**
 * The command line shipclock started from, kept working:
 *   shipclock --deploy                         → shipclock deploy
 *   shipclock --deploy --schedule "daily" …    → shipclock run --schedule "daily" …
 * Every other flag passes through to that command (`--schedule-config`, `--provider`,
 * `--max-retries`, `--state`, …), where unknown flags are refused as usual.
 */
export function legacyToCommand(argv: readonly string[]): { command: Command; args: readonly string[] } {
  if (!argv.includes('--deploy')) {
    throw new UsageError(
      `unknown usage ${JSON.stringify(argv.join(' '))}: start with a command (e.g. 'shipclock deploy') or with --deploy\nRun 'shipclock --help' for usage.`,
    );
  }
  const rest = argv.filter((a) => a !== '--deploy');
  const scheduled = rest.some((a) => a === '--schedule' || a.startsWith('--schedule='));
  const name = scheduled ? 'run' : 'deploy';
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`command ${name} missing from the registry`);
  return { command, args: rest };
}
