import type { Config } from '../config/types.js';
import type { CliIO } from '../cli/io.js';
import type { Clock } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Store } from '../store/types.js';
import { attachNotifier } from './notify-bridge.js';
import { startHttp } from '../server/start-http.js';

export interface Services {
  close(): Promise<void>;
}

/**
 * Everything that listens to a running scheduler besides the terminal: notifications (and,
 * when asked, the HTTP API, dashboard and metrics). Each piece only subscribes to events.
 */
export async function attachServices(deps: {
  config: Config;
  store: Store;
  scheduler: Scheduler;
  clock: Clock;
  io: CliIO;
  http: string | null;
}): Promise<Services> {
  const closers: (() => Promise<void>)[] = [];
  closers.push(attachNotifier(deps.config, deps.scheduler.events, deps.clock, deps.io.env, deps.store));
  if (deps.http !== null) {
    try {
      const api = await startHttp({ ...deps, address: deps.http });
      closers.push(() => api.close());
    } catch (error) {
      for (const close of closers.reverse()) await close();
      throw error;
    }
  }
  return {
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
