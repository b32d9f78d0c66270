// Words, phrases and intervals: what they compile to, and the English sentences.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors/index.js';
import { explainSchedule, formatInZone, parseSchedule, parseDuration } from '../../src/calendar/index.js';

const compiled = (expr: string) => {
  const e = explainSchedule(parseSchedule(expr), { from: new Date(0), count: 0 });
  return e.kind === 'cron' ? (e.compiled as { expression: string }).expression : `interval ${(e.compiled as { intervalMs: number }).intervalMs}`;
};

describe('words and phrases compile to cron', () => {
  const table: Array<[string, string]> = [
    ['hourly', '0 0 * * * *'],
    ['daily', '0 0 0 * * *'],
    ['weekly', '0 0 0 * * 0'],
    ['monthly', '0 0 0 1 * *'],
    ['yearly', '0 0 0 1 1 *'],
    ['every 15 minutes', '0 0-59/15 * * * *'.replace('0-59/15', '0,15,30,45')],
    ['every 2 hours', '0 0 0,2,4,6,8,10,12,14,16,18,20,22 * * *'],
    ['every minute', '0 * * * * *'],
    ['daily at 02:30', '0 30 2 * * *'],
    ['every day at 2:30pm', '0 30 14 * * *'],
    ['weekdays at 9:00', '0 0 9 * * 1-5'],
    ['weekends at 10:00', '0 0 10 * * 0,6'],
    ['every monday at 10:00', '0 0 10 * * 1'],
    ['fridays at 17:45:30', '30 45 17 * * 5'],
    ['monthly on the 1st at 03:00', '0 0 3 1 * *'],
    ['monthly on the last day at 23:00', '0 0 23 L * *'],
  ];
  for (const [expr, cron] of table) it(`${expr} → ${cron}`, () => assert.equal(compiled(expr), cron));

  it('phrases that cannot be a calendar are refused with a hint', () => {
    for (const bad of ['every 2 days', 'daily at 25:00', 'every blursday at 10:00', 'monthly on the 32nd']) {
      assert.throws(() => parseSchedule(bad), (e: unknown) => e instanceof InputError && (e.problems[0]?.code ?? '').startsWith('E_SCHEDULE_'), bad);
    }
  });
});

describe('intervals: real elapsed time aligned to the Unix epoch', () => {
  const table: Array<[string, number]> = [
    ['*/6h', 6 * 3600_000],
    ['*/30m', 30 * 60_000],
    ['*/45s', 45_000],
    ['*/10s', 10_000],
    ['every 6h', 6 * 3600_000],
    ['every 90s', 90_000],
    ['every 1h30m', 5400_000],
    ['every 7 minutes', 7 * 60_000], // 7 does not divide the hour: a true interval
    ['3600', 3600_000],
  ];
  for (const [expr, ms] of table) {
    it(`${expr} = ${ms} ms`, () => {
      const s = parseSchedule(expr, { timezone: 'Asia/Kolkata' });
      assert.equal(s.kind, 'interval');
      assert.equal(s.intervalMs, ms);
      const a = s.next(new Date('2025-03-09T06:59:59.500Z'));
      assert.ok(a);
      assert.equal(a.getTime() % ms, 0);
    });
  }

  it('the same nominal times in every process and zone; offsetMs shifts them', () => {
    const from = new Date('2025-01-01T00:10:00Z');
    const t1 = parseSchedule('*/6h', { timezone: 'UTC' }).next(from);
    const t2 = parseSchedule('*/6h', { timezone: 'America/New_York' }).next(from);
    assert.equal(t1?.toISOString(), '2025-01-01T06:00:00.000Z');
    assert.equal(t2?.toISOString(), t1?.toISOString());
    assert.equal(parseSchedule('*/6h', { offsetMs: 15 * 60_000 }).next(from)?.toISOString(), '2025-01-01T00:15:00.000Z');
    assert.equal(formatInZone(t2 as Date, 'America/New_York'), '2025-01-01T01:00:00-05:00');
  });

  it('*/0h and 0 are refused', () => {
    for (const bad of ['*/0h', '0', 'every 0s', '*/500ms']) {
      assert.throws(() => parseSchedule(bad), (e: unknown) => e instanceof InputError && e.problems[0]?.code === 'E_SCHEDULE_INTERVAL', bad);
    }
  });
});

describe('describe()', () => {
  const table: Array<[string, string]> = [
    ['0 2 1,15 * 5', 'at 02:00 on the 1st and 15th of the month, and on Fridays'],
    ['30 2 * * *', 'at 02:30'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['* * * * *', 'every minute'],
    ['0 0 * * 5L', 'at 00:00 on the last Friday of the month'],
    ['0 11 * * 5#5', 'at 11:00 on the 5th Friday of the month'],
    ['0 5 LW * *', 'at 05:00 on the last weekday of the month'],
    ['0 9 * * 1-5', 'at 09:00 on weekdays (Monday to Friday)'],
    ['0 0 * * 7', 'at 00:00 on Sundays'],
    ['0 30 15 * * 1-6', 'at 15:30 on Monday through Saturday'],
    ['0 12 * * 2,4', 'at 12:00 on Tuesdays and Thursdays'],
    ['0 0 1 1 *', 'at 00:00 on the 1st of January'],
    ['0 9-17 * * *', 'every hour at minute 0, from 09:00 to 17:00'],
    ['0 0 */2 * 1', 'at 00:00 on every 2nd day starting on the 1st of the month, but only on Mondays'],
    ['*/6h', 'every 6 hours (aligned to the Unix epoch)'],
    ['3600', 'every hour (aligned to the Unix epoch)'],
  ];
  for (const [expr, text] of table) it(`${expr}: ${text}`, () => assert.equal(parseSchedule(expr).describe(), text));
});

describe('parseDuration', () => {
  it('parses the documented forms', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('64h'), 230_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('2d'), 172_800_000);
    assert.equal(parseDuration('1d2h3m4s5ms'), 93_784_005);
  });
  it('refuses anything else with E_DURATION and the allowed forms', () => {
    for (const bad of ['', '10', '1.5h', '30m1h', 'ten minutes', '0s', '5w', '-1s', '1h 30m']) {
      assert.throws(
        () => parseDuration(bad),
        (e: unknown) => e instanceof InputError && e.code === 'E_DURATION' && /ms, s, m, h or d/.test(e.problems[0]?.allowed ?? ''),
        bad,
      );
    }
  });
});

describe('one-shot "at" schedules', () => {
  it('fire once at the instant, then never; describe and explain say so', () => {
    const s = parseSchedule('at 2026-05-01T10:00:00+02:00', { timezone: 'Europe/Berlin' });
    assert.equal(s.kind, 'once');
    assert.equal(s.nextMs(Date.UTC(2026, 0, 1)), Date.UTC(2026, 4, 1, 8));
    assert.equal(s.nextMs(Date.UTC(2026, 4, 1, 8)), null);
    assert.equal(s.prevMs(Date.UTC(2026, 4, 1, 9)), Date.UTC(2026, 4, 1, 8));
    assert.match(s.describe(), /once, at 2026-05-01T10:00:00\+02:00/);
  });
  it('refuse a time without an offset or an impossible date', () => {
    for (const bad of ['at 2026-05-01T10:00', 'at 2026-02-30T10:00:00Z', 'at tomorrow']) {
      assert.throws(() => parseSchedule(bad), (e: { code?: string }) => e.code === 'E_SCHEDULE_AT', bad);
    }
  });
});
