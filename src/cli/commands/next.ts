import { formatInZone } from '../../calendar/index.js';
import { scheduleArg } from '../schedule-arg.js';
import { instantFlag, intFlag, parse } from '../args.js';
import type { Command } from '../command.js';
import { clockOf } from '../context.js';
import { writeJson } from '../format.js';
import { EXIT_OK, EXIT_USAGE } from '../io.js';
import { UsageError } from '../../errors/usage-error.js';

export const nextCommand: Command = {
  name: 'next',
  summary: 'list the next fire times of a schedule expression',
  usage: `Usage: shipclock next EXPR [--tz ZONE] [--from ISO] [-n N] [--json]

Prints the next fire times of EXPR, strictly after --from (default: now), with the zone's UTC offset.

  EXPR           cron ("0 2 * * *"), a word (daily), a phrase ("weekdays at 9:00") or an interval ("*/6h")
  --tz ZONE      IANA timezone (default UTC)
  --from ISO     start instant with an offset, e.g. 2025-03-08T12:00:00Z (exclusive)
  -n, --count N  how many times (default 5, at most 1000)
  --json         a JSON array of ISO-8601 instants with the schedule's offset
`,
  async run(args, io) {
    const { values, positionals } = parse(
      'next',
      args,
      { tz: { type: 'string' }, from: { type: 'string' }, count: { type: 'string', short: 'n' }, json: { type: 'boolean' } },
      1,
    );
    const expr = positionals[0];
    if (expr === undefined) throw new UsageError("next: give a schedule expression, e.g. shipclock next '0 2 * * *' --tz Europe/Berlin");
    const timezone = values.tz ?? 'UTC';
    const count = intFlag('count', values.count, 1, 1000) ?? 5;
    const from = instantFlag('from', values.from) ?? new Date(clockOf(io).now());
    const schedule = scheduleArg(expr, timezone);
    const times = schedule.nextN(from, count).map((d) => formatInZone(d, timezone));
    if (values.json) writeJson(io, times);
    else io.stdout.write(times.length ? `${times.join('\n')}\n` : 'no fire times within the search horizon\n');
    return times.length ? EXIT_OK : EXIT_USAGE;
  },
};
