import type { Command } from '../command.js';
import { backfillCommand } from './backfill.js';
import { deployCommand } from './deploy.js';
import { doctorCommand } from './doctor.js';
import { explainCommand } from './explain.js';
import { historyCommand } from './history.js';
import { nextCommand } from './next.js';
import { pauseCommand, resumeCommand } from './pause.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { statusCommand } from './status.js';
import { triggerCommand } from './trigger.js';
import { validateCommand } from './validate.js';
import { whyCommand } from './why.js';
import { windowsCommand } from './windows.js';

/** Every subcommand, in the order `shipclock --help` lists them. */
export const COMMANDS: readonly Command[] = [
  deployCommand,
  runCommand,
  serveCommand,
  nextCommand,
  explainCommand,
  validateCommand,
  statusCommand,
  historyCommand,
  whyCommand,
  windowsCommand,
  pauseCommand,
  resumeCommand,
  triggerCommand,
  backfillCommand,
  doctorCommand, // store health: connectivity, schema drift, clock skew, scheduler lock
];
