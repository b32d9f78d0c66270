import type { OccurrenceState } from '../../store/types.js';
import { CONFIG_OPTIONS, instantFlag, intFlag, parse } from '../args.js';
import type { Command } from '../command.js';
import { loadCliConfig, pickJob, withReadStore } from '../context.js';
import { clean, humanDuration, paint, stateColor, table, useColor, writeJson } from '../format.js';
import { EXIT_OK } from '../io.js';
import { occurrenceJson } from '../views.js';
import { UsageError } from '../../errors/usage-error.js';

const STATES: readonly OccurrenceState[] = [
  'pending', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'interrupted', 'skipped_overlap', 'missed',
  'coalesced', 'paused', 'blocked_window', 'blocked_dependency', 'superseded', 'skipped_dst_gap',
];

export const historyCommand: Command = {
  name: 'history',
  summary: 'the ledger: what happened to each scheduled time, newest first',
  usage: `Usage: shipclock history [JOB] [--limit N] [--only STATE] [--from ISO] [--to ISO] [--json]

Lists occurrences (scheduled, manual, backfill) with their final state, reason and attempts.
--json prints [{job, nominal_time, kind, state, reason, attempts: [{started_at, ended_at, outcome, error_class}], …}].
`,
  async run(args, io) {
    const { values, positionals } = parse(
      'history',
      args,
      { ...CONFIG_OPTIONS, json: { type: 'boolean' }, limit: { type: 'string' }, only: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
      1,
    );
    const config = await loadCliConfig(values, io);
    const job = positionals[0] === undefined ? undefined : pickJob(config, positionals[0], 'history').name;
    const state = values.only as OccurrenceState | undefined;
    if (state !== undefined && !STATES.includes(state)) {
      throw new UsageError(`--only: ${JSON.stringify(state)} is not a state; allowed: ${STATES.join(', ')}`);
    }
    const from = instantFlag('from', values.from);
    const to = instantFlag('to', values.to);
    if (from && to && to.getTime() <= from.getTime()) throw new UsageError(`history: --to (${values.to}) must be after --from (${values.from})`);
    const limit = intFlag('limit', values.limit, 1, 100_000) ?? 50;
    const items = await withReadStore(config, io, async (store) => {
      const occs = await store.listOccurrences({
        ...(job ? { job } : {}),
        ...(state ? { states: [state] } : {}),
        ...(from ? { fromMs: from.getTime() } : {}),
        ...(to ? { toMs: to.getTime() } : {}),
        limit,
      });
      return Promise.all(occs.map(async (o) => ({ o, attempts: await store.listAttempts(o.id) })));
    });
    if (values.json) {
      writeJson(io, items.map(({ o, attempts }) => occurrenceJson(o, attempts)));
      return EXIT_OK;
    }
    const color = useColor(io);
    io.stdout.write(
      table(
        ['NOMINAL', 'JOB', 'KIND', 'STATE', 'ATTEMPTS', 'DURATION', 'REASON'],
        items.map(({ o }) => [
          new Date(o.nominalMs).toISOString().replace('.000Z', 'Z') + (o.spanCount ? ` (+${o.spanCount - 1})` : o.spanEndMs ? ' (+…)' : ''),
          o.job,
          o.kind,
          paint(color, stateColor(o.state), o.state),
          String(o.attempts),
          o.startedMs !== null && o.endedMs !== null ? humanDuration(o.endedMs - o.startedMs) : '-',
          clean(o.reason ?? ''),
        ]),
        color,
      ),
    );
    return EXIT_OK;
  },
};
