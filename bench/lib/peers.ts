// The same job set, loaded into each library the way its README says to. Every library gets
// plain UTC 6-field cron expressions and a callback that writes down when it ran.
import { Cron } from 'croner';
import { CronJob } from 'cron';
import cron from 'node-cron';
import type { JobSpec } from './jobs.js';

export const PEERS = ['croner', 'node-cron', 'cron'] as const;
export type Peer = (typeof PEERS)[number];
export const LIBS = ['shipclock', ...PEERS] as const;
export type Lib = (typeof LIBS)[number];

export const VERSIONS: Record<Lib, string> = {
  shipclock: 'shipclock',
  croner: 'croner@11.0.1',
  'node-cron': 'node-cron@4.6.0',
  cron: 'cron@4.4.0',
};

/** Schedules every job in `peer`; `onFire(i)` runs when job i fires. Returns a stop function. */
export function loadPeer(peer: Peer, specs: readonly JobSpec[], onFire: (i: number) => void): () => void {
  const stops: (() => void)[] = [];
  specs.forEach((spec, i) => {
    const fn = (): void => onFire(i);
    switch (peer) {
      case 'croner': {
        // croner's fastest correct setting for UTC: a fixed offset, no Intl per computation.
        const job = new Cron(spec.expr, { utcOffset: 0, name: spec.name }, fn);
        stops.push(() => job.stop());
        break;
      }
      case 'node-cron': {
        const task = cron.schedule(spec.expr, fn, { timezone: 'UTC', name: spec.name });
        stops.push(() => void task.destroy());
        break;
      }
      case 'cron': {
        const job = CronJob.from({ cronTime: spec.expr, onTick: fn, start: true, timeZone: 'UTC' });
        stops.push(() => void job.stop());
        break;
      }
    }
  });
  return () => stops.forEach((s) => s());
}
