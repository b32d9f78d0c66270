import type { Clock } from './clock.js';
import type { SchedulerEmitter } from './events.js';

/**
 * Retries a ledger write until it lands: a run's outcome must never be lost to a passing store
 * error (a timeout, a reconnect). Backs off 100 ms → 10 s on the injected clock.
 */
export async function persist<T>(deps: { clock: Clock; events: SchedulerEmitter }, write: () => Promise<T>): Promise<T> {
  let delay = 100;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      deps.events.emit('store:error', { error });
      await deps.clock.sleepUntil(deps.clock.now() + delay);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}
