import { requestRun } from '../../scheduler/operations.js';
import { CONFIG_OPTIONS, parse } from '../args.js';
import type { Command } from '../command.js';
import { actor, clockOf, loadCliConfig, pickJob, withStore } from '../context.js';
import { writeJson } from '../format.js';
import { EXIT_OK } from '../io.js';
import { UsageError } from '../../errors/usage-error.js';

export const triggerCommand: Command = {
  name: 'trigger',
  summary: 'ask the running scheduler to deploy a job now (obeys overlap and the target lock)',
  usage: `Usage: shipclock trigger JOB [--force] [--note TEXT] [--json]

Records a manual run request in the ledger; the running scheduler starts it within a second,
subject to the job's overlap policy and the target lock unless --force. When no scheduler is
running, the request waits for the next 'shipclock run'; use 'shipclock deploy JOB' to deploy
from this terminal instead.
`,
  async run(args, io) {
    const { values, positionals } = parse('trigger', args, { ...CONFIG_OPTIONS, force: { type: 'boolean' }, note: { type: 'string' }, json: { type: 'boolean' } }, 1);
    if (positionals[0] === undefined) throw new UsageError('trigger: name the job to deploy');
    const config = await loadCliConfig(values, io);
    const job = pickJob(config, positionals[0], 'trigger');
    const now = clockOf(io).now();
    const { occ, running } = await withStore(config, async (store) => {
      const holder = await store.lockHolder('scheduler');
      const occ = await requestRun(store, job, { nowMs: now, by: actor(io), force: values.force ?? false, ...(values.note ? { note: values.note } : {}) });
      return { occ, running: store.backend === 'postgres' || (holder !== null && holder.untilMs >= now) };
    });
    if (values.json) writeJson(io, { job: job.name, occurrence_id: occ.id, nominal_time: new Date(occ.nominalMs).toISOString(), force: occ.force, scheduler_running: running });
    else
      io.stdout.write(
        `${job.name}: run requested (${occ.id})${occ.force ? ', forced' : ''}; ` +
          `${running ? 'the running scheduler will start it shortly' : "no scheduler is running: it starts with the next 'shipclock run'"}\n`,
      );
    return EXIT_OK;
  },
};
