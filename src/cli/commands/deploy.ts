import { deployNow } from '../../app/deploy-now.js';
import { providerFor } from '../../app/compose.js';
import { createFileLogger, logEvents } from '../../app/event-log.js';
import { SchedulerEmitter } from '../../scheduler/events.js';
import { CONFIG_OPTIONS, parse } from '../args.js';
import type { Command } from '../command.js';
import { actor, clockOf, loadCliConfig, pickJob, withStore } from '../context.js';
import { writeJson } from '../format.js';
import { EXIT_FAILED, EXIT_OK } from '../io.js';
import { reportRuns } from '../run-reporter.js';
import { occurrenceJson } from '../views.js';
import { graceSignal } from '../grace-signal.js';

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'deploy a job once, now, and exit (0 succeeded, 1 failed)',
  usage: `Usage: shipclock deploy [JOB] [options]
       shipclock --deploy [options]

Deploys JOB (or the only job) once, now. The run is recorded in the ledger as a manual occurrence,
obeys the job's overlap policy and the target lock (waits while another deploy holds the target),
and succeeds only when the provider confirms this deploy succeeded.

  --force              ignore the overlap policy and the target lock
  --dry-run            print the commands or API calls the deploy would make, and exit
  --provider NAME      override the job's provider (gcp, aws, azure, shell, local, …)
  --max-retries N      retries after the first attempt
  --timeout DURATION   hard limit for the run, e.g. 10m
  --json               print the recorded occurrence as JSON
  -c, --config FILE    config file (default ./shipclock.yaml); alias --schedule-config
  --state DIR, --store URL
`,
  async run(args, io) {
    const { values, positionals } = parse(
      'deploy',
      args,
      {
        ...CONFIG_OPTIONS,
        force: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        provider: { type: 'string' },
        'max-retries': { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
      },
      1,
    );
    const config = await loadCliConfig(values, io, {
      ...(values.provider !== undefined ? { provider: values.provider } : {}),
      ...(values['max-retries'] !== undefined ? { maxRetries: values['max-retries'] } : {}),
      ...(values.timeout !== undefined ? { timeout: values.timeout } : {}),
      ...(positionals[0] !== undefined ? { job: positionals[0] } : {}),
    });
    const job = pickJob(config, positionals[0], 'deploy');
    const clock = clockOf(io);

    if (values['dry-run']) {
      const { planContext } = await import('../../app/plan-context.js');
      const steps = await providerFor(job, config).plan(planContext(config, job, clock.now()));
      io.stdout.write(`# ${job.name}: ${job.provider.kind} deploy plan (dry run; nothing was changed)\n${steps.join('\n')}\n`);
      return EXIT_OK;
    }

    const events = new SchedulerEmitter();
    // With --json, stdout carries only the JSON document: progress goes to stderr.
    const progressIo = values.json ? { ...io, stdout: io.stderr } : io;
    const stop = graceSignal(io, clock, config.shutdownGraceMs);
    const detach = [reportRuns(events, progressIo, () => clock.now()), logEvents(events, createFileLogger(config.stateDir)), stop.dispose];
    try {
      const occ = await withStore(config, async (store) => {
        const done = await deployNow({ store, clock, config, job, by: actor(io), force: values.force ?? false, events, signal: stop.signal });
        return { done, attempts: await store.listAttempts(done.id) };
      });
      if (values.json) writeJson(io, occurrenceJson(occ.done, occ.attempts));
      return occ.done.state === 'succeeded' ? EXIT_OK : EXIT_FAILED;
    } finally {
      detach.forEach((d) => d());
    }
  },
};
