import { main } from './main.js';

/**
 * The process edge: builds the CLI's io from `process`, turns the first SIGINT/SIGTERM into a
 * graceful stop and a second into a forced one, and is the only place that exits the process.
 */
const stop = new AbortController();
const force = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (!stop.signal.aborted) stop.abort('interrupted');
    else force.abort('interrupted');
  });
}

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
  forceSignal: force.signal,
  onReload: (listener) => {
    process.on('SIGHUP', listener);
    return () => process.off('SIGHUP', listener);
  },
});
process.exitCode = code;
// Let stdout drain, then leave even if a library left a handle open.
setImmediate(() => process.exit(code));
