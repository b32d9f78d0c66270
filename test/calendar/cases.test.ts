// Every case in ../shared/cases/cron-cases.json, as data: next, prev, errors and fire kinds.
// Run under several process timezones by scripts/run-tests.mjs; nothing here may depend on TZ.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors/index.js';
import { explainSchedule, formatInZone, parseSchedule } from '../../src/calendar/index.js';

interface Case {
  id: string;
  expr: string;
  tz: string;
  from: string;
  expect_next: string[];
  expect_prev?: string[];
  expect_error?: boolean;
  fire_kinds?: string[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The shared case corpus lives beside the repository (../shared/cases), as on CI; point
// SHIPCLOCK_CASES_DIR elsewhere when the clone is somewhere else.
const casesFile = path.resolve(process.env.SHIPCLOCK_CASES_DIR ?? path.resolve(repoRoot, '../shared/cases'), 'cron-cases.json');
const cases = JSON.parse(readFileSync(casesFile, 'utf8')) as Case[];

describe(`cron-cases.json (${cases.length} cases, process TZ=${process.env.TZ ?? 'unset'})`, () => {
  for (const c of cases) {
    it(`${c.id}: ${c.expr} in ${c.tz}`, () => {
      if (c.expect_error) {
        assert.throws(
          () => parseSchedule(c.expr, { timezone: c.tz }),
          (e: unknown) => e instanceof InputError && e.problems.every((p) => p.code.startsWith('E_SCHEDULE_') && typeof p.col === 'number'),
        );
        return;
      }
      const s = parseSchedule(c.expr, { timezone: c.tz });
      const from = new Date(c.from);
      const got = s.nextN(from, c.expect_next.length).map((d) => formatInZone(d, c.tz));
      assert.deepEqual(got, c.expect_next, 'next');
      // The instants, too (the strings above also pin the offsets).
      assert.deepEqual(got.map(Date.parse), c.expect_next.map(Date.parse));
      if (c.expect_prev) {
        const prevs: string[] = [];
        let t: Date | null = from;
        for (let i = 0; i < c.expect_prev.length && t; i++) {
          t = s.prev(t);
          if (t) prevs.push(formatInZone(t, c.tz));
        }
        assert.deepEqual(prevs, c.expect_prev, 'prev');
      }
      if (c.fire_kinds) {
        const kinds = explainSchedule(s, { from, count: c.expect_next.length }).next.map((f) => f.fireKind);
        assert.deepEqual(kinds, c.fire_kinds, 'fire kinds');
      }
    });
  }
});
