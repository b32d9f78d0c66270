import type { Clock } from '../scheduler/clock.js';

export interface Writable {
  write(chunk: string): unknown;
  /** True when the stream is a terminal (tables get colour, deploys show progress). */
  readonly isTTY?: boolean;
}

/**
 * Everything the CLI touches of the outside world, passed in so tests run commands in-process.
 * `bin/shipclock` builds the real one from `process`.
 */
export interface CliIO {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Wall clock for the scheduler; the system clock unless a test injects one. */
  readonly clock?: Clock;
  /** Aborted on SIGINT/SIGTERM (the first signal); long-running commands stop gracefully. */
  readonly signal?: AbortSignal;
  /** Aborted on a second signal: stop now, record what is left as interrupted. */
  readonly forceSignal?: AbortSignal;
  /** Subscribes to reload requests (SIGHUP); returns the unsubscribe function. */
  readonly onReload?: (listener: () => void) => () => void;
}

/** Exit codes: 0 ok, 1 the deploy or job failed, 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
