/**
 * Everything that can stop a run from outside its provider, folded into one AbortSignal: the
 * run's hard timeout (measured on the injected clock, backoff waits included) and the caller's
 * signal (operator cancel, or shutdown past its grace). The first reason wins.
 */
import type { Clock } from '../scheduler/clock.js';
import { waitUntil } from './clock-wait.js';
import type { RunStopReason } from './types.js';

export class RunStop {
  private readonly controller = new AbortController();
  /** Stops the deadline watcher when the run ends first. */
  private readonly watcher = new AbortController();
  private readonly external: AbortSignal | undefined;
  private readonly onExternal = () => this.stop(externalReason(this.external?.reason));
  private resolveStopped!: (r: RunStopReason) => void;
  /** Settles with the reason when the run is stopped; never rejects. */
  readonly stopped = new Promise<RunStopReason>((r) => (this.resolveStopped = r));

  constructor(clock: Clock, deadlineMs: number | null, external?: AbortSignal) {
    this.external = external;
    if (external?.aborted) this.onExternal();
    else external?.addEventListener('abort', this.onExternal, { once: true });
    if (deadlineMs !== null && !this.signal.aborted) {
      void waitUntil(clock, deadlineMs, this.watcher.signal).then((reached) => {
        if (reached) this.stop('timed_out');
      });
    }
  }

  /** Aborted (with the RunStopReason as its reason) when the run must stop. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): RunStopReason | null {
    return this.controller.signal.aborted ? (this.controller.signal.reason as RunStopReason) : null;
  }

  stop(reason: RunStopReason): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.resolveStopped(reason);
  }

  /** The run is over: stop watching the deadline and the caller's signal. */
  dispose(): void {
    this.watcher.abort();
    this.external?.removeEventListener('abort', this.onExternal);
  }
}

/** `'interrupted'` means shutdown past its grace; any other reason is a cancel. */
function externalReason(reason: unknown): RunStopReason {
  return reason === 'interrupted' ? 'interrupted' : 'cancelled';
}
