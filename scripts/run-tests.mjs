#!/usr/bin/env node
// Runs the whole suite with Node's test runner (TypeScript through tsx), then runs the
// calendar suites again under two more process timezones: fire times must not depend on TZ.
// Usage: node scripts/run-tests.mjs [path-substring ...]   (filters test files)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out.sort();
}

const all = findTests(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
const zoneSensitive = all.filter((f) => f.startsWith('test/calendar/'));

function run(files, tz) {
  if (files.length === 0) return 0;
  console.log(`\n=== ${files.length} test files, TZ=${tz} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TZ: tz },
  });
  return r.status ?? 1;
}

let failed = 0;
failed |= run(all, 'UTC');
for (const tz of ['Australia/Sydney', 'America/New_York']) failed |= run(zoneSensitive, tz);
process.exit(failed ? 1 : 0);
