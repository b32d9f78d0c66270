import { parseSchedule } from '../calendar/index.js';
import type { Schedule } from '../calendar/types.js';
import { InputError } from '../errors/input-error.js';

/**
 * parseSchedule for a command-line argument: each problem names where it came from, the `--tz`
 * flag or the expression argument, so the message says which one to fix.
 */
export function scheduleArg(expr: string, timezone: string): Schedule {
  try {
    return parseSchedule(expr, { timezone });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      error.problems.map((p) => (p.code === 'E_TIMEZONE' ? { ...p, path: '--tz', col: undefined } : { ...p, path: `schedule ${JSON.stringify(expr)}` })),
      { cause: error },
    );
  }
}
