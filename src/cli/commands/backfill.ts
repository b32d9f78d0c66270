import { compileJob } from '../../app/compose.js';
import { runHere } from '../../app/deploy-now.js';
import { createFileLogger, logEvents } from '../../app/event-log.js';
import { UsageError } from '../../errors/usage-error.js';
import { SchedulerEmitter } from '../../scheduler/events.js';
import { backfillTimes, enqueueBackfill } from '../../scheduler/operations.js';
import { CONFIG_OPTIONS, instantFlag, intFlag, parse } from '../args.js';
import type { Command } from '../command.js';
import { actor, clockOf, loadCliConfig, pickJob, withStore } from '../context.js';
import { writeJson } from '../format.js';
import { EXIT_FAILED, EXIT_OK } from '../io.js';
import { reportRuns } from '../run-reporter.js';
import { graceSignal } from '../grace-signal.js';
import { formatInZone } from '../../calendar/index.js';
import type { Occurrence } from '../../store/types.js';

const MAX_BACKFILL = 10_000;

export const backfillCommand: Command = {
  name: 'backfill',
  summary: 'list (dry run) or run the fire times of a job in a past range [from, to)',
  usage: `Usage: shipclock backfill JOB --from ISO --to ISO [--execute] [--parallel N] [--json]

Lists the job's fire times in the half-open range [--from, --to). Nothing runs unless --execute:
then each time becomes a 'backfill' occurrence in the ledger and is deployed from this terminal,
in nominal order, at most N at a time (default 1), obeying overlap and the target lock.
`,
  async run(args, io) {
    const { values, positionals } = parse(
      'backfill',
      args,
      { ...CONFIG_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, execute: { type: 'boolean' }, parallel: { type: 'string' }, json: { type: 'boolean' } },
      1,
    );
    if (positionals[0] === undefined) throw new UsageError('backfill: name the job');
    const from = instantFlag('from', values.from);
    const to = instantFlag('to', values.to);
    if (!from || !to) throw new UsageError('backfill: give both --from and --to (ISO-8601 with an offset)');
    if (to.getTime() <= from.getTime()) throw new UsageError(`backfill: --to (${values.to}) must be after --from (${values.from})`);
    const parallel = intFlag('parallel', values.parallel, 1, 64) ?? 1;
    const config = await loadCliConfig(values, io);
    const job = pickJob(config, positionals[0], 'backfill');
    const schedule = compileJob(job);
    const { times, truncated } = backfillTimes(schedule, from.getTime(), to.getTime(), MAX_BACKFILL);
    if (truncated) throw new UsageError(`backfill: the range holds more than ${MAX_BACKFILL} fire times; narrow it`);

    if (!values.execute) {
      const listed = times.map((t) => formatInZone(new Date(t), job.timezone));
      if (values.json) writeJson(io, { job: job.name, dry_run: true, times: listed });
      else io.stdout.write(`${job.name}: ${times.length} fire time${times.length === 1 ? '' : 's'} in [${values.from}, ${values.to}) (dry run; add --execute to run them)\n${listed.map((t) => `  ${t}\n`).join('')}`);
      return EXIT_OK;
    }

    const clock = clockOf(io);
    const events = new SchedulerEmitter();
    const stop = graceSignal(io, clock, config.shutdownGraceMs);
    const detach = [reportRuns(events, values.json ? { ...io, stdout: io.stderr } : io, () => clock.now()), logEvents(events, createFileLogger(config.stateDir)), stop.dispose];
    try {
      const results = await withStore(config, async (store) => {
        const queued = await enqueueBackfill(store, job, times, { nowMs: clock.now(), by: actor(io) });
        const done: Occurrence[] = [];
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < queued.length) {
            const occ = queued[next++]!;
            if (stop.signal.aborted) return;
            done.push(await runHere({ store, clock, config, job, events, signal: stop.signal }, occ));
          }
        };
        await Promise.all(Array.from({ length: Math.min(parallel, queued.length) }, worker));
        // Stopped part-way: what never started is recorded, not left queued.
        for (const occ of queued.slice(next)) {
          await store.settle(occ.id, { state: 'cancelled', reason: 'backfill stopped before this time started', nowMs: clock.now() });
          done.push((await store.getOccurrence(occ.id)) ?? occ);
        }
        return done.sort((a, b) => a.nominalMs - b.nominalMs);
      });
      if (values.json) writeJson(io, results.map((o) => ({ nominal_time: new Date(o.nominalMs).toISOString(), state: o.state, id: o.id })));
      else io.stdout.write(`${job.name}: backfill finished: ${results.filter((o) => o.state === 'succeeded').length}/${results.length} succeeded\n`);
      return results.every((o) => o.state === 'succeeded') ? EXIT_OK : EXIT_FAILED;
    } finally {
      detach.forEach((d) => d());
    }
  },
};
