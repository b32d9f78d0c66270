import type { Clock } from '../scheduler/clock.js';
import type { CliIO } from './io.js';

/**
 * The stop signal for a deploy run from the terminal, with the same promise as `run`: the first
 * SIGINT/SIGTERM gives the running deploy `graceMs` to finish, a second one stops it at once.
 * Either way the run is recorded `interrupted`, never lost.
 */
export function graceSignal(io: CliIO, clock: Clock, graceMs: number): { signal: AbortSignal; dispose(): void } {
  const stop = new AbortController();
  const done = new AbortController();
  const now = (): void => stop.abort('interrupted');
  io.forceSignal?.addEventListener('abort', now, { once: true });
  io.signal?.addEventListener(
    'abort',
    () => {
      io.stderr.write(`shipclock: stopping: the deploy has ${Math.round(graceMs / 1000)}s to finish (send the signal again to stop now)\n`);
      void clock.sleepUntil(clock.now() + graceMs, done.signal).then(() => !done.signal.aborted && now());
    },
    { once: true },
  );
  if (io.forceSignal?.aborted) now();
  return {
    signal: stop.signal,
    dispose: () => {
      done.abort();
      io.forceSignal?.removeEventListener('abort', now);
    },
  };
}
