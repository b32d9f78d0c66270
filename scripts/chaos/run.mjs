#!/usr/bin/env node
// The chaos run, in one command: node scripts/chaos/run.mjs --minutes 10
// (chaos.ts does the work; this only starts it with tsx, so it can reuse the store and the
// embedded-PostgreSQL helper the tests use). Exit 0 when the checker passes, 1 when not.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', `${here}chaos.ts`, ...process.argv.slice(2)], {
  cwd: fileURLToPath(new URL('../..', import.meta.url)),
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
