import { explainSchedule, formatExplain } from '../../calendar/index.js';
import { scheduleArg } from '../schedule-arg.js';
import { UsageError } from '../../errors/usage-error.js';
import { instantFlag, parse } from '../args.js';
import type { Command } from '../command.js';
import { clockOf } from '../context.js';
import { writeJson } from '../format.js';
import { EXIT_OK } from '../io.js';

export const explainCommand: Command = {
  name: 'explain',
  summary: 'show what a schedule compiles to, in words, with its next times and DST effects',
  usage: `Usage: shipclock explain EXPR [--tz ZONE] [--from ISO] [--json]

Shows what EXPR compiled to (cron fields expanded, or an interval), an English description, the
next 5 fire times with their UTC offsets, and the DST transitions in the next year that affect it.

  --tz ZONE      IANA timezone (default UTC)
  --from ISO     reference instant (default: now)
  --json         the same as JSON
`,
  async run(args, io) {
    const { values, positionals } = parse('explain', args, { tz: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean' } }, 1);
    const expr = positionals[0];
    if (expr === undefined) throw new UsageError("explain: give a schedule expression, e.g. shipclock explain '30 2 * * *' --tz America/New_York");
    const from = instantFlag('from', values.from) ?? new Date(clockOf(io).now());
    const explanation = explainSchedule(scheduleArg(expr, values.tz ?? 'UTC'), { from, count: 5 });
    if (values.json) writeJson(io, explanation);
    else io.stdout.write(formatExplain(explanation));
    return EXIT_OK;
  },
};
