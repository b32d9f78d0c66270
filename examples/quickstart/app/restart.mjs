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
import { dirname, join } from 'node:path';
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
