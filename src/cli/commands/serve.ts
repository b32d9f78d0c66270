import { startHttp } from '../../server/start-http.js';
import { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT } from '../../server/listen-address.js';
import { openStore } from '../../store/open-store.js';
import { CONFIG_OPTIONS, parse } from '../args.js';
import type { Command } from '../command.js';
import { clockOf, loadCliConfig } from '../context.js';
import { EXIT_OK } from '../io.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the dashboard, JSON API and /metrics for a state dir, without running the scheduler',
  usage: `Usage: shipclock serve [--http ADDR] [options]

Serves the dashboard, the JSON API and /metrics from the ledger, without deciding or starting
anything itself: actions (trigger, pause, resume) are written to the ledger, and the scheduler of
a separate 'shipclock run' picks them up within a second. Use 'shipclock run --http ADDR' to run
the scheduler and serve in one process.

  --http ADDR          where to listen (default ${DEFAULT_HTTP_HOST}:${DEFAULT_HTTP_PORT}). Any address other
                       than loopback needs SHIPCLOCK_API_TOKEN in the environment, and then every
                       request must send "Authorization: Bearer <token>". On loopback, actions need
                       the token when it is set.
  -c, --config FILE    config file (default ./shipclock.yaml); alias --schedule-config
  --state DIR, --store URL

Endpoints (JSON unless noted; bad input is a 400 problem naming the field and what is allowed):
  GET  /                                   the dashboard (also /runs/ID)
  GET  /api/jobs                           jobs: schedule in words, next time, last result, paused
  GET  /api/occurrences?job=&state=&from=&to=&limit=&cursor=   newest first, paged (next_cursor)
  GET  /api/occurrences/ID                 one occurrence with its attempts
  GET  /api/occurrences/ID/log?attempt=N   the attempt's log (text; follows it while it runs)
  GET  /api/why?job=NAME&time=ISO          what happened at that time, and why
  POST /api/jobs/NAME/trigger  {"force": bool, "note": str}
  POST /api/jobs/NAME/pause    {"note": str, "until": ISO}
  POST /api/jobs/NAME/resume   {"catch_up": bool}
  GET  /api/events                         server-sent events (runs, logs, decisions)
  GET  /metrics                            Prometheus metrics;  GET /healthz
`,
  async run(args, io) {
    const { values } = parse('serve', args, { ...CONFIG_OPTIONS, http: { type: 'string' } });
    const config = await loadCliConfig(values, io);
    const clock = clockOf(io);
    const store = await openStore(config.store);
    try {
      const api = await startHttp({ config, store, scheduler: null, clock, io, address: values.http ?? `${DEFAULT_HTTP_HOST}:${DEFAULT_HTTP_PORT}` });
      try {
        await waitForSignal(io.signal);
      } finally {
        await api.close();
      }
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

function waitForSignal(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return; // no way to be stopped: serve until the process ends
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
