// Grammar: what parses, what it means, and how refusals are reported (code, col, value, hint).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, type Problem } from '../../src/errors/index.js';
import { parseSchedule, isValidTimezone, formatInZone } from '../../src/calendar/index.js';

const next = (expr: string, from: string, n = 3, tz = 'UTC', hashKey?: string) =>
  parseSchedule(expr, { timezone: tz, ...(hashKey === undefined ? {} : { hashKey }) })
    .nextN(new Date(from), n)
    .map((d) => formatInZone(d, tz));

function problems(expr: string, tz = 'UTC'): Problem[] {
  try {
    parseSchedule(expr, { timezone: tz });
  } catch (e) {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.equal(e.exitCode, 2);
    return [...e.problems];
  }
  assert.fail(`"${expr}" was accepted`);
}

describe('cron grammar', () => {
  it('5 fields, 6 fields (seconds first), lists, ranges, steps, names in any case', () => {
    assert.deepEqual(next('15,45 9-10 * * *', '2025-01-01T00:00:00Z'), ['2025-01-01T09:15:00Z', '2025-01-01T09:45:00Z', '2025-01-01T10:15:00Z']);
    assert.deepEqual(next('*/20 0 0 * * *', '2025-01-01T00:00:00Z'), ['2025-01-01T00:00:20Z', '2025-01-01T00:00:40Z', '2025-01-02T00:00:00Z']);
    assert.deepEqual(next('0 12 * jan,Dec Mon-wed', '2025-01-30T00:00:00Z', 2), ['2025-12-01T12:00:00Z', '2025-12-02T12:00:00Z']);
    assert.deepEqual(next('0 0 * * SUN', '2025-01-01T00:00:00Z', 1), ['2025-01-05T00:00:00Z']);
  });

  it('DOW 0 and 7 are both Sunday; ? in day fields only', () => {
    assert.deepEqual(next('0 0 * * 0', '2025-01-01T00:00:00Z'), next('0 0 * * 7', '2025-01-01T00:00:00Z'));
    assert.deepEqual(next('0 0 ? * 1', '2025-01-01T00:00:00Z', 1), ['2025-01-06T00:00:00Z']);
    const p = problems('? * * * *');
    assert.equal(p[0]?.code, 'E_SCHEDULE_SYNTAX');
    assert.equal(p[0]?.col, 1);
  });

  it('nicknames are case-sensitive and complete', () => {
    const from = '2025-06-15T12:00:00Z';
    assert.deepEqual(next('@yearly', from, 1), ['2026-01-01T00:00:00Z']);
    assert.deepEqual(next('@annually', from, 1), ['2026-01-01T00:00:00Z']);
    assert.deepEqual(next('@monthly', from, 1), ['2025-07-01T00:00:00Z']);
    assert.deepEqual(next('@weekly', from, 1), ['2025-06-22T00:00:00Z']);
    assert.deepEqual(next('@daily', from, 1), ['2025-06-16T00:00:00Z']);
    assert.deepEqual(next('@midnight', from, 1), ['2025-06-16T00:00:00Z']);
    assert.deepEqual(next('@hourly', from, 1), ['2025-06-15T13:00:00Z']);
    const p = problems('@Daily');
    assert.equal(p[0]?.code, 'E_SCHEDULE_NICKNAME');
    assert.match(p[0]?.hint ?? '', /@daily/);
    assert.equal(problems('@reboot')[0]?.code, 'E_SCHEDULE_NICKNAME');
  });

  it('Quartz day forms: L, L-n, nW, LW, nL, n#k', () => {
    assert.deepEqual(next('0 0 L * *', '2024-01-31T00:00:00Z', 2), ['2024-02-29T00:00:00Z', '2024-03-31T00:00:00Z']);
    assert.deepEqual(next('0 0 L-2 * *', '2025-02-01T00:00:00Z', 1), ['2025-02-26T00:00:00Z']);
    assert.deepEqual(next('0 0 15W * *', '2025-03-01T00:00:00Z', 2), ['2025-03-14T00:00:00Z', '2025-04-15T00:00:00Z']); // 2025-03-15 is a Saturday
    assert.deepEqual(next('0 0 31W * *', '2025-08-01T00:00:00Z', 1), ['2025-08-29T00:00:00Z']); // Sunday 31st: Friday before
    assert.deepEqual(next('0 0 * * 1#1', '2025-09-02T00:00:00Z', 1), ['2025-10-06T00:00:00Z']);
    assert.deepEqual(next('0 0 * * MON#2', '2025-09-02T00:00:00Z', 1), ['2025-09-08T00:00:00Z']);
    assert.deepEqual(next('0 0 * * 0L', '2025-01-01T00:00:00Z', 1), ['2025-01-26T00:00:00Z']);
    for (const bad of ['0 0 * * 1#6', '0 0 * * 1#0']) assert.equal(problems(bad)[0]?.code, 'E_SCHEDULE_NTH');
  });

  it('Jenkins H: stable per key, inside the range, different keys spread', () => {
    const a = next('H H * * *', '2025-01-01T00:00:00Z', 1, 'UTC', 'deploy-web');
    assert.deepEqual(a, next('H H * * *', '2025-01-01T00:00:00Z', 1, 'UTC', 'deploy-web'));
    // Pinned: FNV-1a of the key, so every machine and every release picks the same time.
    assert.deepEqual(next('H H * * *', '2025-01-01T00:00:00Z', 1, 'UTC', 'deploy-web'), ['2025-01-01T15:14:00Z']);
    assert.deepEqual(next('H H * * *', '2025-01-01T00:00:00Z', 1, 'UTC', 'api'), ['2025-01-01T21:00:00Z']);
    const minutes = new Set<string>();
    for (let i = 0; i < 40; i++) minutes.add(next('H * * * *', '2025-01-01T00:00:00Z', 1, 'UTC', `job-${i}`)[0] ?? '');
    assert.ok(minutes.size > 10, 'H spreads jobs over the hour');
    const ranged = next('H(0-29) 3 * * *', '2025-01-01T00:00:00Z', 1, 'UTC', 'x')[0] ?? '';
    assert.ok(Number(ranged.slice(14, 16)) <= 29);
    const stepped = parseSchedule('H/15 * * * *', { hashKey: 'api' }).nextN(new Date('2025-01-01T00:00:00Z'), 4).map((d) => d.getUTCMinutes());
    assert.deepEqual(stepped.map((m) => m % 15), [stepped[0]! % 15, stepped[0]! % 15, stepped[0]! % 15, stepped[0]! % 15]);
    assert.equal(new Set(stepped).size, 4);
  });

  it('the Vixie day rule: OR when both restricted, AND when one starts with *', () => {
    assert.deepEqual(next('0 0 1 * 1', '2025-09-01T00:00:00Z', 3), ['2025-09-08T00:00:00Z', '2025-09-15T00:00:00Z', '2025-09-22T00:00:00Z']);
    assert.deepEqual(next('0 0 */10 * 1', '2025-09-01T00:00:00Z', 1), ['2025-12-01T00:00:00Z']); // days 1,11,21,31 that are Mondays
  });
});

describe('edges of time', () => {
  it('instants at the ends of the Date range give null, never a throw', () => {
    for (const expr of ['0 2 * * *', '*/6h']) {
      const s = parseSchedule(expr, { timezone: 'Europe/Berlin' });
      assert.equal(s.next(new Date(8.64e15)), null);
      assert.equal(s.prev(new Date(-8.64e15)), null);
      assert.equal(s.nextMs(Number.NaN), null);
    }
  });

  it('works before 1970 and far ahead (400-year horizon)', () => {
    assert.deepEqual(next('0 12 29 2 *', '1899-03-01T00:00:00Z', 1), ['1904-02-29T12:00:00Z']);
    assert.deepEqual(next('0 0 * 2 5#5', '2400-03-01T00:00:00Z', 1), ['2408-02-29T00:00:00Z']);
    const ny = parseSchedule('0 9 * * 1', { timezone: 'America/New_York' });
    assert.equal(formatInZone(ny.next(new Date('1950-01-01T00:00:00Z')) as Date, 'America/New_York'), '1950-01-02T09:00:00-05:00');
  });
});

describe('refusals carry code, column, value, allowed and hint', () => {
  const cases: Array<[string, string, number, string]> = [
    ['60 * * * *', 'E_SCHEDULE_RANGE', 1, '60'],
    ['0 24 * * *', 'E_SCHEDULE_RANGE', 3, '24'],
    ['0 0 32 * *', 'E_SCHEDULE_RANGE', 5, '32'],
    ['0 0 0 * *', 'E_SCHEDULE_RANGE', 5, '0'],
    ['0 0 * 13 *', 'E_SCHEDULE_RANGE', 7, '13'],
    ['0 0 * * 8', 'E_SCHEDULE_RANGE', 9, '8'],
    ['*/0 * * * *', 'E_SCHEDULE_STEP', 3, '*/0'],
    ['*/60 * * * *', 'E_SCHEDULE_STEP', 3, '*/60'],
    ['0-10/20 * * * *', 'E_SCHEDULE_STEP', 6, '0-10/20'],
    ['5/15 * * * *', 'E_SCHEDULE_STEP_WITHOUT_RANGE', 1, '5/15'],
    ['0 22-2 * * *', 'E_SCHEDULE_REVERSED_RANGE', 3, '22-2'],
    ['0 0 * * FRI-MON', 'E_SCHEDULE_REVERSED_RANGE', 9, 'FRI-MON'],
    ['0 0 30 2 *', 'E_SCHEDULE_NEVER', 5, '30 2 *'],
    ['* * 31 2 *', 'E_SCHEDULE_NEVER', 5, '31 2 *'],
    ['0 0 31 4,6,9,11 *', 'E_SCHEDULE_NEVER', 5, '31 4,6,9,11 *'],
    ['0 0 * * * * *', 'E_SCHEDULE_FIELD_COUNT', 1, '0 0 * * * * *'],
    ['0 0 * * MONDAY', 'E_SCHEDULE_SYNTAX', 9, 'MONDAY'],
    ['@wekly', 'E_SCHEDULE_NICKNAME', 1, '@wekly'],
    ['*/0h', 'E_SCHEDULE_INTERVAL', 3, '0h'],
    ['0', 'E_SCHEDULE_INTERVAL', 1, '0'],
    ['', 'E_SCHEDULE_EMPTY', 1, ''],
  ];
  for (const [expr, code, col, value] of cases) {
    it(`${JSON.stringify(expr)} → ${code} at column ${col}`, () => {
      const p = problems(expr);
      assert.equal(p[0]?.code, code, JSON.stringify(p));
      assert.equal(p[0]?.col, col);
      assert.equal(p[0]?.value, value);
      assert.equal(p[0]?.path, undefined);
      assert.ok(p[0]?.message);
      if (code !== 'E_SCHEDULE_EMPTY') assert.ok(p[0]?.allowed, 'says what is allowed');
    });
  }

  it('a fifth Friday of February is possible (leap years), so it is accepted', () => {
    assert.deepEqual(next('0 0 * 2 5#5', '2008-03-01T00:00:00Z', 1), ['2036-02-29T00:00:00Z']);
  });

  it('reports every bad field at once', () => {
    const p = problems('60 24 * * 8');
    assert.deepEqual(p.map((x) => [x.code, x.col]), [['E_SCHEDULE_RANGE', 1], ['E_SCHEDULE_RANGE', 4], ['E_SCHEDULE_RANGE', 11]]);
  });

  it('unknown timezone: E_TIMEZONE with a did-you-mean, alongside expression problems', () => {
    const p = problems('0 2 * * *', 'America/New_Yrok');
    assert.equal(p[0]?.code, 'E_TIMEZONE');
    assert.equal(p[0]?.value, 'America/New_Yrok');
    assert.match(p[0]?.hint ?? '', /America\/New_York/);
    assert.equal(problems('0 2 * * *', 'Mars/Olympus')[0]?.code, 'E_TIMEZONE');
    assert.match(problems('0 2 * * *', 'Shanghai')[0]?.hint ?? '', /Asia\/Shanghai/);
    assert.deepEqual(problems('61 * * * *', 'Mars/Olympus').map((x) => x.code), ['E_TIMEZONE', 'E_SCHEDULE_RANGE']);
    assert.equal(isValidTimezone('Europe/Berlin'), true);
    assert.equal(isValidTimezone('US/Pacific'), true);
    assert.equal(isValidTimezone('Mars/Olympus'), false);
  });
});
