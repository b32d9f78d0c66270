import { formatInZone } from '../../calendar/index.js';
import { UsageError } from '../../errors/usage-error.js';
import { windowsOf } from '../../scheduler/windows.js';
import { CONFIG_OPTIONS, instantFlag, parse } from '../args.js';
import type { Command } from '../command.js';
import { clockOf, loadCliConfig, pickJob } from '../context.js';
import { writeJson } from '../format.js';
import { EXIT_OK } from '../io.js';

export const windowsCommand: Command = {
  name: 'windows',
  summary: "explain a job's deploy windows: is a moment allowed, which window decided, when next",
  usage: `Usage: shipclock windows JOB [--at ISO] [--json]

For the moment --at (default: now), says whether JOB may deploy under its allow/deny windows,
which window decided, and the next allowed moment. Lists the job's windows.
`,
  async run(args, io) {
    const { values, positionals } = parse('windows', args, { ...CONFIG_OPTIONS, at: { type: 'string' }, json: { type: 'boolean' } }, 1);
    if (positionals[0] === undefined) throw new UsageError('windows: name the job, e.g. shipclock windows web --at 2026-01-09T15:00:00+01:00');
    const config = await loadCliConfig(values, io);
    const job = pickJob(config, positionals[0], 'windows');
    const at = instantFlag('at', values.at)?.getTime() ?? clockOf(io).now();
    const windows = windowsOf(job);
    const e = windows?.explain(at) ?? null;
    const answer = {
      job: job.name,
      at: formatInZone(new Date(at), job.timezone),
      allowed: e ? e.allowed : true,
      decided_by: e?.decidedBy?.label ?? null,
      reason: e ? e.reason : 'the job has no deploy windows',
      next_allowed: e?.nextAllowedMs == null ? (e ? null : formatInZone(new Date(at), job.timezone)) : formatInZone(new Date(e.nextAllowedMs), job.timezone),
      windows: (job.windows ?? []).map((w) => ({ kind: w.kind, schedule: w.schedule, duration_ms: w.durationMs, timezone: w.timezone, name: w.name ?? null })),
    };
    if (values.json) {
      writeJson(io, answer);
      return EXIT_OK;
    }
    io.stdout.write(
      `${job.name} at ${answer.at}: ${answer.allowed ? 'allowed' : 'not allowed'} (${answer.reason})\n` +
        (answer.allowed ? '' : `next allowed: ${answer.next_allowed ?? 'none within 400 days'}\n`) +
        answer.windows.map((w) => `  ${w.kind} "${w.schedule}" for ${w.duration_ms / 60_000}m (${w.timezone})${w.name ? ` "${w.name}"` : ''}\n`).join(''),
    );
    return EXIT_OK;
  },
};
