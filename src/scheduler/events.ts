import { EventEmitter } from 'node:events';
import type { RunResult, AttemptResult } from '../runner/types.js';
import type { Occurrence } from '../store/types.js';

/**
 * Everything the scheduler does, as typed events: tests wait on them instead of sleeping, and
 * logs, metrics, notifications and the dashboard all listen to the same stream.
 */
export interface SchedulerEvents {
  'scheduler:started': { owner: string; jobs: number };
  'scheduler:stopped': { owner: string };
  tick: { nowMs: number; lateMs: number };
  'clock:jump': { fromMs: number; toMs: number; deltaMs: number; correction: boolean };
  /** A decision written to the ledger (pending or a never-started state). */
  'occurrence:recorded': { occurrence: Occurrence };
  /** An occurrence ended without running (skipped, superseded, missed, …). */
  'occurrence:settled': { occurrence: Occurrence };
  'run:started': { occurrence: Occurrence; runId: string; lateMs: number };
  'run:attempt': { occurrence: Occurrence; attempt: AttemptResult };
  'run:retrying': { occurrence: Occurrence; attempt: number; delayMs: number; errorClass: string };
  'run:log': { occurrence: Occurrence; attempt: number; line: string };
  'run:finished': { occurrence: Occurrence; result: RunResult };
  /** A store call failed. From the loop: how many passes in a row failed, and when it tries again. */
  'store:error': { error: unknown; retryInMs?: number; failures?: number };
  warning: { code: string; message: string; job?: string };
}

export type SchedulerEventName = keyof SchedulerEvents;

export class SchedulerEmitter {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  on<K extends SchedulerEventName>(name: K, listener: (payload: SchedulerEvents[K]) => void): () => void {
    this.emitter.on(name, listener as (p: unknown) => void);
    return () => this.emitter.off(name, listener as (p: unknown) => void);
  }

  emit<K extends SchedulerEventName>(name: K, payload: SchedulerEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  /** Resolves with the first payload of `name` that satisfies `predicate`. */
  waitFor<K extends SchedulerEventName>(
    name: K,
    predicate: (payload: SchedulerEvents[K]) => boolean = () => true,
    signal?: AbortSignal,
  ): Promise<SchedulerEvents[K]> {
    return new Promise((resolve, reject) => {
      const off = this.on(name, (p) => {
        if (!predicate(p)) return;
        off();
        resolve(p);
      });
      signal?.addEventListener('abort', () => (off(), reject(signal.reason)), { once: true });
    });
  }
}
