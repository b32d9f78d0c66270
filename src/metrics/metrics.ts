import type { Clock } from '../scheduler/clock.js';
import type { SchedulerEmitter } from '../scheduler/events.js';
import type { Store } from '../store/types.js';
import { collectSchedulerEvents } from './collect.js';
import { createInstruments } from './instruments.js';
import { ledgerCollector } from './ledger-collect.js';

export interface Metrics {
  readonly contentType: string;
  /** The Prometheus text exposition, after reading what comes from the ledger. */
  scrape(): Promise<string>;
  close(): void;
}

/**
 * `/metrics` for one process: fed by the in-process scheduler's events when there is one, and
 * by the ledger (notification failures; under `serve`, whether a scheduler holds the lock).
 */
export function createMetrics(deps: { store: Store; clock: Clock; events: SchedulerEmitter | null }): Metrics {
  const m = createInstruments({ clock: deps.clock, withTickAge: deps.events !== null });
  const detach = deps.events ? collectSchedulerEvents(deps.events, m) : () => undefined;
  const fromLedger = ledgerCollector(deps.store, m, deps.clock, { schedulerFromLock: deps.events === null });
  return {
    contentType: m.registry.contentType,
    async scrape() {
      await fromLedger();
      return m.registry.metrics();
    },
    close: detach,
  };
}
