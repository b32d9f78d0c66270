import { createScheduler } from '../../app/compose.js';
import { createFileLogger, logEvents } from '../../app/event-log.js';
import { CONFIG_OPTIONS, parse } from '../args.js';
import type { Command } from '../command.js';
import { clockOf, loadCliConfig } from '../context.js';
import { EXIT_OK } from '../io.js';
import { reportRuns } from '../run-reporter.js';
import { openStore } from '../../store/open-store.js';
import { attachServices } from '../../app/services.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run the scheduler in the foreground (every job on its schedule) until stopped',
  usage: `Usage: shipclock run [options]
       shipclock --deploy --schedule EXPR [options]

Runs every scheduled job in the config until SIGINT/SIGTERM. The first signal stops new starts and
gives running deploys the shutdown grace (5m by default) to finish; what is still running then is
recorded as interrupted. A second signal stops at once.

  --once               decide and start what is due now, wait for those runs, then exit
  --schedule EXPR      schedule for the (only or selected) job, e.g. "daily", "*/6h", "0 2 * * *"
  --tz ZONE            timezone for that schedule
  --job NAME           the job --schedule/--provider/--max-retries apply to
  --provider NAME      provider override
  --max-retries N      retries after the first attempt
  --timeout DURATION   hard limit per run
  --http ADDR          also serve the API and dashboard on ADDR (default port 127.0.0.1:8642)
  -c, --config FILE    config file (default ./shipclock.yaml); alias --schedule-config
  --state DIR, --store URL
`,
  async run(args, io) {
    const { values } = parse('run', args, {
      ...CONFIG_OPTIONS,
      once: { type: 'boolean' },
      schedule: { type: 'string' },
      tz: { type: 'string' },
      job: { type: 'string' },
      provider: { type: 'string' },
      'max-retries': { type: 'string' },
      timeout: { type: 'string' },
      http: { type: 'string' },
    });
    const config = await loadCliConfig(values, io, {
      ...(values.schedule !== undefined ? { schedule: values.schedule } : {}),
      ...(values.tz !== undefined ? { timezone: values.tz } : {}),
      ...(values.job !== undefined ? { job: values.job } : {}),
      ...(values.provider !== undefined ? { provider: values.provider } : {}),
      ...(values['max-retries'] !== undefined ? { maxRetries: values['max-retries'] } : {}),
      ...(values.timeout !== undefined ? { timeout: values.timeout } : {}),
    });
    const clock = clockOf(io);
    const store = await openStore(config.store);
    const scheduler = createScheduler(config, { store, clock });
    const detach = [reportRuns(scheduler.events, io, () => clock.now()), logEvents(scheduler.events, createFileLogger(config.stateDir))];
    const services = await attachServices({ config, store, scheduler, clock, io, http: values.http ?? null });
    try {
      for (const notice of config.notices) io.stderr.write(`shipclock: note: ${notice}\n`);
      await scheduler.start({ loop: !values.once });
      const scheduled = config.jobs.filter((j) => j.schedule !== null);
      io.stdout.write(
        `shipclock: scheduler ${scheduler.owner} started with ${scheduled.length} scheduled job${scheduled.length === 1 ? '' : 's'}; state in ${config.stateDir}\n`,
      );
      if (values.once) {
        await scheduler.tick();
        await scheduler.idle();
      } else {
        await waitForSignal(io.signal);
        io.stdout.write('shipclock: stopping: no new runs; waiting for running deploys (send the signal again to stop now)\n');
      }
      const force = io.forceSignal;
      const stopping = scheduler.stop();
      if (force && !force.aborted) force.addEventListener('abort', () => void scheduler.stop({ force: true }), { once: true });
      await stopping;
      return EXIT_OK;
    } finally {
      await services.close();
      detach.forEach((d) => d());
      await store.close();
    }
  },
};

function waitForSignal(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return; // no way to be stopped: run until the process ends
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
