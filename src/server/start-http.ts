import type { Config } from '../config/types.js';
import type { CliIO } from '../cli/io.js';
import type { Clock } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Store } from '../store/types.js';
import { type ApiServer, createApiServer } from './api-server.js';
import { TOKEN_ENV } from './auth.js';
import { isLoopback, parseListenAddress } from './listen-address.js';

/**
 * `--http ADDR` for `run` and `serve`: parses the address, takes the token from the
 * environment only (a token in a config file would end up in version control), starts the
 * server and says where it listens.
 */
export async function startHttp(deps: {
  config: Config;
  store: Store;
  scheduler: Scheduler | null;
  clock: Clock;
  io: CliIO;
  address: string;
}): Promise<ApiServer> {
  const { host, port } = parseListenAddress(deps.address);
  const token = deps.io.env[TOKEN_ENV] ?? null;
  const api = await createApiServer({ config: deps.config, store: deps.store, scheduler: deps.scheduler, clock: deps.clock, token, host, port });
  deps.io.stdout.write(
    `shipclock: dashboard and API on ${api.url}/ (metrics at /metrics)` +
      `${token ? (isLoopback(host) ? '; actions need the API token' : '; every request needs the API token') : ''}\n`,
  );
  return api;
}
