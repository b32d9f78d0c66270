// Restart step of the quickstart, run by shipclock inside the release folder that just went
// live: stop the app started by the previous restart (its pid is in a pid file), then start
// this release's server.mjs detached, so it outlives this script and shipclock itself.
//
//   node restart.mjs          restart (stop the old app, start this one)
//   node restart.mjs --stop   only stop the running app
//
// Pid and log files live in the releases folder (SHIPCLOCK_RELEASES_DIR), shared by releases.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const home = process.env.SHIPCLOCK_RELEASES_DIR ?? dirname(here);
const pidFile = join(home, 'app.pid');
const logFile = join(home, 'app.log');

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // Only our server counts: after a reboot the pid may belong to something else.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.mjs');
  } catch {
    return true; // no /proc (macOS): trust the signal check
  }
}

async function stopPrevious() {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    console.log(`stopped previous app (pid ${pid})`);
  }
  rmSync(pidFile, { force: true });
}

await stopPrevious();
if (process.argv.includes('--stop')) process.exit(0);

const log = openSync(logFile, 'a');
const child = spawn(process.execPath, [join(here, 'server.mjs')], {
  cwd: here,
  detached: true, // its own process group: it survives this script and shipclock's timeouts
  stdio: ['ignore', log, log],
  env: process.env,
});
writeFileSync(pidFile, `${child.pid}\n`);
child.unref();
console.log(`started ${here} (pid ${child.pid}), log ${logFile}`);

// Wait until *this* release answers: if the port is taken by something else, a health check
// alone could be answered by the wrong process. Exit 1 (shipclock rolls back) if it never does.
const expected = existsSync(join(here, 'RELEASE')) ? readFileSync(join(here, 'RELEASE'), 'utf8').trim() : basename(here);
const port = Number(process.env.PORT ?? 8787);
let exited = false;
child.once('exit', () => (exited = true));
for (let i = 0; i < 100 && !exited; i++) {
  const release = await fetch(`http://127.0.0.1:${port}/health`)
    .then((r) => r.json())
    .then((body) => body.release)
    .catch(() => null);
  if (release === expected) {
    console.log(`release ${expected} answers on port ${port}`);
    process.exit(0);
  }
  await new Promise((r) => setTimeout(r, 100));
}
console.error(`release ${expected} did not come up on port ${port}${exited ? ' (it exited: see the log)' : ''}`);
process.exit(1);
