// explainSchedule / formatExplain: the data behind `shipclock explain`, for every schedule form.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainSchedule, formatExplain, formatInZone, parseSchedule } from '../../src/calendar/index.js';

describe('explainSchedule', () => {
  it('cron: expanded fields, sentence, next 5 with offsets and kinds, DST changes of the next year', () => {
    const s = parseSchedule('30 2 * * *', { timezone: 'America/New_York' });
    const e = explainSchedule(s, { from: new Date('2025-03-07T00:00:00Z') });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), e, 'JSON-able');
    assert.equal(e.kind, 'cron');
    assert.equal(e.source, '30 2 * * *');
    assert.equal(e.timezone, 'America/New_York');
    assert.equal(e.wallClock, true);
    assert.equal(e.description, 'at 02:30');
    const c = e.compiled as { expression: string; minutes: number[]; hours: number[]; daysOfWeek: string[]; dayRule: string };
    assert.equal(c.expression, '0 30 2 * * *');
    assert.deepEqual(c.minutes, [30]);
    assert.deepEqual(c.hours, [2]);
    assert.equal(c.daysOfWeek.length, 7);
    assert.equal(c.dayRule, 'and');
    assert.deepEqual(e.next.map((f) => [f.time, f.offset, f.fireKind]), [
      ['2025-03-07T02:30:00-05:00', '-05:00', 'normal'],
      ['2025-03-08T02:30:00-05:00', '-05:00', 'normal'],
      ['2025-03-09T03:00:00-04:00', '-04:00', 'gap-catchup'],
      ['2025-03-10T02:30:00-04:00', '-04:00', 'normal'],
      ['2025-03-11T02:30:00-04:00', '-04:00', 'normal'],
    ]);
    assert.equal(e.next[2]?.utc, '2025-03-09T07:00:00Z');
    assert.deepEqual(e.dstTransitions.map((t) => [t.at, t.from, t.to, t.kind, t.affects]), [
      ['2025-03-09T03:00:00-04:00', '-05:00', '-04:00', 'gap', true],
      ['2025-11-02T01:00:00-05:00', '-04:00', '-05:00', 'repeat', false],
    ]);
    const text = formatExplain(e);
    for (const bit of ['30 2 * * *', 'America/New_York', '0 30 2 * * *', 'at 02:30', '2025-03-09T03:00:00-04:00', 'shifted by DST gap']) assert.ok(text.includes(bit), bit);
  });

  it('wildcard job: both passes of the repeated hour, said in the effect', () => {
    const e = explainSchedule(parseSchedule('*/15 1 * * *', { timezone: 'America/New_York' }), { from: new Date('2025-11-02T05:40:00Z') });
    assert.deepEqual(e.next.map((f) => f.fireKind), ['normal', 'repeat-wildcard', 'repeat-wildcard', 'repeat-wildcard', 'repeat-wildcard']);
    const fall = e.dstTransitions.find((t) => t.kind === 'repeat');
    assert.ok(fall?.affects);
    assert.match(fall?.effect ?? '', /both passes/);
  });

  it('wall-clock job in a repeated hour: runs once, at the first pass', () => {
    const e = explainSchedule(parseSchedule('30 1 * * *', { timezone: 'Europe/London' }), { from: new Date('2024-10-01T00:00:00Z'), count: 1 });
    const fall = e.dstTransitions.find((t) => t.kind === 'repeat');
    assert.match(fall?.effect ?? '', /once, at the first pass \(\+01:00\)/);
  });

  it('interval: period and alignment, next times, DST changes listed as not affecting it', () => {
    const e = explainSchedule(parseSchedule('every 6h', { timezone: 'Europe/Berlin' }), { from: new Date('2025-03-29T00:00:00Z'), count: 3 });
    assert.equal(e.kind, 'interval');
    assert.deepEqual(e.compiled, { intervalMs: 21_600_000, offsetMs: 0, every: '6 hours', alignment: 'Unix epoch' });
    assert.equal(e.description, 'every 6 hours (aligned to the Unix epoch)');
    assert.deepEqual(e.next.map((f) => f.utc), ['2025-03-29T06:00:00Z', '2025-03-29T12:00:00Z', '2025-03-29T18:00:00Z']);
    assert.equal(e.dstTransitions.length, 3); // 2025-03-30, 2025-10-26, 2026-03-29
    assert.ok(e.dstTransitions.every((t) => !t.affects));
    assert.match(formatExplain(e), /interval of 21600000 ms/);
  });

  it('words and phrases explain as the cron they compile to', () => {
    const e = explainSchedule(parseSchedule('weekdays at 9:00', { timezone: 'UTC' }), { from: new Date('2025-01-03T10:00:00Z'), count: 2 });
    assert.equal((e.compiled as { expression: string }).expression, '0 0 9 * * 1-5');
    assert.deepEqual(e.next.map((f) => f.time), ['2025-01-06T09:00:00Z', '2025-01-07T09:00:00Z']);
  });
});

describe('formatInZone', () => {
  it('ISO-8601 with the zone offset at that instant; Z for UTC; never the process zone', () => {
    assert.equal(formatInZone(new Date('2025-03-09T07:00:00Z'), 'America/New_York'), '2025-03-09T03:00:00-04:00');
    assert.equal(formatInZone(new Date('2025-03-09T07:00:00Z'), 'UTC'), '2025-03-09T07:00:00Z');
    assert.equal(formatInZone(new Date('2025-01-01T00:00:00.250Z'), 'Asia/Kolkata'), '2025-01-01T05:30:00.250+05:30');
    assert.equal(formatInZone(new Date('2025-04-05T13:59:00Z'), 'Pacific/Chatham'), '2025-04-06T03:44:00+13:45');
    assert.equal(formatInZone(new Date('2025-04-05T14:00:00Z'), 'Pacific/Chatham'), '2025-04-06T02:45:00+12:45');
    assert.equal(formatInZone(new Date('2025-01-01T00:00:00Z'), 'Europe/London'), '2025-01-01T00:00:00+00:00');
  });
});
