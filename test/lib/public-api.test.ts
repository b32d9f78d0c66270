/** The package's library surface, imported the way a user would (through the exports map). */
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('the package exports parseSchedule with next() and describe()', async () => {
  const lib = (await import('shipclock')) as unknown as typeof import('../../src/index.js');
  const s = lib.parseSchedule('0 2 * * *', { timezone: 'Asia/Shanghai' });
  assert.equal(s.next(new Date('2026-01-01T00:00:00Z'))!.toISOString(), '2026-01-01T18:00:00.000Z');
  assert.match(s.describe(), /02:00/);
  assert.equal(typeof lib.Scheduler, 'function');
  assert.equal(typeof lib.main, 'function');
});
