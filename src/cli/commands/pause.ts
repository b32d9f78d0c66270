import { pauseJob, resumeJob } from '../../scheduler/operations.js';
import { CONFIG_OPTIONS, instantFlag, parse } from '../args.js';
import type { Command } from '../command.js';
import { actor, clockOf, loadCliConfig, pickJob, withStore } from '../context.js';
import { clean, writeJson } from '../format.js';
import { EXIT_OK } from '../io.js';
import { UsageError } from '../../errors/usage-error.js';

export const pauseCommand: Command = {
  name: 'pause',
  summary: 'stop a job from starting scheduled runs (each skipped time is recorded as paused)',
  usage: `Usage: shipclock pause JOB [--note TEXT] [--until ISO] [--json]

Works on a running scheduler (it sees the change within a second) and on a stopped one.
Times that come due while paused are recorded 'paused' with your name and note; 'resume' does not
replay them unless you ask with --catch-up. --until resumes automatically at that instant.
`,
  async run(args, io) {
    const { values, positionals } = parse('pause', args, { ...CONFIG_OPTIONS, note: { type: 'string' }, until: { type: 'string' }, json: { type: 'boolean' } }, 1);
    if (positionals[0] === undefined) throw new UsageError('pause: name the job to pause');
    const config = await loadCliConfig(values, io);
    const job = pickJob(config, positionals[0], 'pause');
    const until = instantFlag('until', values.until);
    const now = clockOf(io).now();
    if (until && until.getTime() <= now) throw new UsageError(`--until: ${values.until} is not in the future`);
    const rec = await withStore(config, (store) =>
      pauseJob(store, job, { nowMs: now, by: actor(io), note: values.note ?? null, untilMs: until?.getTime() ?? null }),
    );
    if (values.json) writeJson(io, { job: rec.name, paused: rec.paused, note: rec.pausedNote, by: rec.pausedBy, until: until?.toISOString() ?? null });
    else io.stdout.write(`${job.name}: paused${rec.pausedNote ? ` (${clean(rec.pausedNote)})` : ''}${until ? ` until ${until.toISOString()}` : ''}\n`);
    return EXIT_OK;
  },
};

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'resume a paused job (optionally one catch-up run for the paused span)',
  usage: `Usage: shipclock resume JOB [--catch-up] [--json]

Scheduled runs start again from the next fire time. With --catch-up, the latest time recorded as
paused runs once now, standing for the whole paused span.
`,
  async run(args, io) {
    const { values, positionals } = parse('resume', args, { ...CONFIG_OPTIONS, 'catch-up': { type: 'boolean' }, json: { type: 'boolean' } }, 1);
    if (positionals[0] === undefined) throw new UsageError('resume: name the job to resume');
    const config = await loadCliConfig(values, io);
    const job = pickJob(config, positionals[0], 'resume');
    const { caughtUp } = await withStore(config, (store) =>
      resumeJob(store, job, { nowMs: clockOf(io).now(), by: actor(io), catchUp: values['catch-up'] ?? false }),
    );
    if (values.json) writeJson(io, { job: job.name, paused: false, catch_up_occurrence: caughtUp?.id ?? null });
    else
      io.stdout.write(
        `${job.name}: resumed${caughtUp ? `; one catch-up run for ${new Date(caughtUp.nominalMs).toISOString()} is queued (it starts when the scheduler runs)` : ''}\n`,
      );
    return EXIT_OK;
  },
};
