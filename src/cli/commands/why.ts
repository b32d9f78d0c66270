import { compileJob } from '../../app/compose.js';
import { explainOccurrence } from '../../app/why.js';
import { UsageError } from '../../errors/usage-error.js';
import { CONFIG_OPTIONS, instantFlag, parse } from '../args.js';
import type { Command } from '../command.js';
import { loadCliConfig, pickJob, withReadStore } from '../context.js';
import { writeJson } from '../format.js';
import { EXIT_OK } from '../io.js';

export const whyCommand: Command = {
  name: 'why',
  summary: "answer 'what happened at TIME, and why?' for a job, from the ledger",
  usage: `Usage: shipclock why JOB TIME [--json]

TIME is an ISO-8601 instant with an offset (2025-03-09T02:00:00-05:00 or …Z). Says whether the
job was due then and what happened: ran (attempts and outcomes), skipped because another run was
still going, missed because the scheduler was down, paused (by whom, with which note), blocked.
`,
  async run(args, io) {
    const { values, positionals } = parse('why', args, { ...CONFIG_OPTIONS, json: { type: 'boolean' } }, 2);
    if (positionals.length < 2) throw new UsageError('why: give a job and a time, e.g. shipclock why web 2025-03-09T02:00:00Z');
    const config = await loadCliConfig(values, io);
    const job = pickJob(config, positionals[0], 'why');
    const at = instantFlag('TIME', positionals[1])!;
    const answer = await withReadStore(config, io, (store) =>
      explainOccurrence(store, job, job.schedule === null ? null : compileJob(job), at.getTime()),
    );
    if (values.json) writeJson(io, answer);
    else io.stdout.write(`${answer.text}\n`);
    return EXIT_OK;
  },
};
