import type { Clock } from '../scheduler/clock.js';
import type { Store } from '../store/types.js';
import type { Instruments } from './instruments.js';

const PAGE = 10_000;
const REORDER_MARGIN_MS = 5 * 60_000;

/**
 * What the metrics read from the ledger at scrape time rather than from events:
 * - notification failures: the notifier records every delivery try as a `notification` event
 *   (src/app/notify-bridge.ts); a failure is one with `ok: false` and `final: true`. Reading them
 *   back also counts deliveries made by a scheduler in another process (`serve`).
 * - under `serve`, whether some scheduler holds the state dir (the single-node lock).
 */
export function ledgerCollector(store: Store, m: Instruments, clock: Clock, opts: { schedulerFromLock: boolean }): () => Promise<void> {
  // Ids already counted; those older than the re-read margin are dropped as they fall out.
  let counted = new Set<number>();
  let lastAtMs: number | undefined;
  return async () => {
    // Re-read a margin before the newest time seen: deliveries that end out of order are recorded
    // with earlier times after later ones. Ids keep anything from counting twice.
    const fromMs = lastAtMs === undefined ? undefined : lastAtMs - REORDER_MARGIN_MS;
    const events = await store.listEvents({ type: 'notification', limit: PAGE, ...(fromMs !== undefined ? { fromMs } : {}) });
    for (const e of [...events].reverse()) {
      if (counted.has(e.id)) continue;
      counted.add(e.id);
      lastAtMs = Math.max(lastAtMs ?? e.atMs, e.atMs);
      const data = e.data ?? {};
      if (data.ok === false && data.final === true) {
        m.notificationFailures.inc({ job: e.job ?? '', channel: typeof data.channel === 'string' ? data.channel : 'unknown' });
      }
    }
    if (lastAtMs !== undefined) {
      const keep = new Set(events.filter((e) => e.atMs >= lastAtMs! - REORDER_MARGIN_MS).map((e) => e.id));
      counted = new Set([...counted].filter((id) => keep.has(id)));
    }
    if (opts.schedulerFromLock) {
      const holder = store.backend === 'sqlite' ? await store.lockHolder('scheduler') : null;
      m.up.set(holder !== null && holder.untilMs >= clock.now() ? 1 : 0);
    }
  };
}
