import { compileJob, createScheduler, openStoreWithRetry } from '../../app/compose.js';
import { formatInZone } from '../../calendar/index.js';
import { humanDuration } from '../format.js';
import { clockForStore } from '../../app/db-clock.js';
import { measureClockSkew } from '../../store/clock-skew.js';
import type { CliIO } from '../io.js';
import { StoreError } from '../../store/store-error.js';
import type { Clock } from '../../scheduler/clock.js';
import { createFileLogger, logEvents } from '../../app/event-log.js';
import { CONFIG_OPTIONS, parse } from '../args.js';
import type { Command } from '../command.js';
import { clockOf, loadCliConfig } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../io.js';
import { reportRuns } from '../run-reporter.js';
import { attachServices } from '../../app/services.js';
import { ConfigReloader } from '../../app/config-reloader.js';

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
    const overrides = {
      ...(values.schedule !== undefined ? { schedule: values.schedule } : {}),
      ...(values.tz !== undefined ? { timezone: values.tz } : {}),
      ...(values.job !== undefined ? { job: values.job } : {}),
      ...(values.provider !== undefined ? { provider: values.provider } : {}),
      ...(values['max-retries'] !== undefined ? { maxRetries: values['max-retries'] } : {}),
      ...(values.timeout !== undefined ? { timeout: values.timeout } : {}),
    };
    const config = await loadCliConfig(values, io, overrides);
    const localClock = clockOf(io);
    // A database that is down at start is waited for (each failure reported), not fatal.
    let store;
    try {
      store = await openStoreWithRetry(config.store, {
        clock: localClock,
        // A one-shot run (from cron, CI) must end: wait for the database a minute at most.
        ...(values.once ? { giveUpAfterMs: 60_000 } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
        onRetry: (error, delayMs) =>
          io.stderr.write(`shipclock: cannot open the store (${error.code}: ${error.message}); retrying in ${Math.round(delayMs / 1000)}s\n`),
      });
    } catch (error) {
      if (io.signal?.aborted) return EXIT_OK; // stopped (SIGTERM) while waiting for the database: nothing ran
      throw error;
    }
    // With PostgreSQL the database's clock decides what is due (DESIGN.md §7): the same instant
    // for every instance, whatever this machine's clock says. SQLite keeps the local clock.
    const dbClock = clockForStore(store, (localNow) => measureClockSkew(store, localNow), localClock, {
      onSkew: ({ skewMs }) => {
        const message = `this machine's clock is ${Math.round(Math.abs(skewMs) / 1000)}s ${skewMs > 0 ? 'behind' : 'ahead of'} the database's; shipclock uses the database's clock, but check NTP here`;
        io.stderr.write(`shipclock: warning: ${message}\n`);
        scheduler.events.emit('warning', { code: 'W_CLOCK_SKEW', message });
      },
    });
    const clock = dbClock ?? localClock;
    const scheduler = createScheduler(config, { store, clock });
    const detach: (() => void)[] = [reportRuns(scheduler.events, io, () => clock.now()), logEvents(scheduler.events, createFileLogger(config.stateDir))];
    const services = await attachServices({ config, store, scheduler, clock, io, http: values.http ?? null });
    try {
      for (const notice of config.notices) io.stderr.write(`shipclock: note: ${notice}\n`);
      await dbClock?.start();
      await startWhenReachable(scheduler, localClock, io, !values.once);
      const scheduled = config.jobs.filter((j) => j.schedule !== null);
      io.stdout.write(
        `shipclock: scheduler ${scheduler.owner} started with ${scheduled.length} scheduled job${scheduled.length === 1 ? '' : 's'}; state in ${config.stateDir}\n`,
      );
      for (const job of scheduled) {
        const schedule = compileJob(job);
        const next = schedule.nextMs(clock.now());
        const when = next === null ? 'no further fire times' : `next ${formatInZone(new Date(next), job.timezone)} (in ${humanDuration(next - clock.now())})`;
        io.stdout.write(`  ${job.name}: ${job.schedule} (${schedule.describe()}, ${job.timezone}); ${when}\n`);
      }
      // Live reload: SIGHUP or an edit of the file. A bad config is refused and the old one kept.
      const reloader = new ConfigReloader({
        current: config,
        load: () => loadCliConfig(values, io, overrides),
        apply: async (next) => {
          scheduler.setJobs(next.jobs);
          await scheduler.syncJobs();
          scheduler.poke();
        },
        report: (line) => io.stderr.write(`shipclock: ${line}\n`),
      });
      if (!values.once && config.file) reloader.watchFile(config.file);
      const offReload = io.onReload?.(() => void reloader.reload());
      detach.push(() => (reloader.close(), offReload?.()));
      let failedRuns = 0;
      scheduler.events.on('run:finished', ({ result }) => void (result.outcome !== 'succeeded' && failedRuns++));
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
      // `run --once` reports like `deploy`: 1 when a run it started did not succeed.
      return values.once && failedRuns > 0 ? EXIT_FAILED : EXIT_OK;
    } finally {
      await dbClock?.stop();
      await services.close();
      detach.forEach((d) => d());
      await store.close();
    }
  },
};

/**
 * scheduler.start() (register jobs, recover orphans) is safe to repeat: when the database drops
 * between opening the store and starting, wait for it as openStoreWithRetry does.
 */
async function startWhenReachable(scheduler: ReturnType<typeof createScheduler>, clock: Clock, io: CliIO, loop: boolean): Promise<void> {
  let delay = 1_000;
  for (;;) {
    try {
      return await scheduler.start({ loop });
    } catch (error) {
      if (!(error instanceof StoreError && error.transient) || io.signal?.aborted) throw error;
      io.stderr.write(`shipclock: cannot start the scheduler (${error.code}: ${error.message}); retrying in ${Math.round(delay / 1000)}s\n`);
      await clock.sleepUntil(clock.now() + delay, io.signal);
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

function waitForSignal(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return; // no way to be stopped: run until the process ends
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
