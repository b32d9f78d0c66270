import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runEvent } from '../../src/notify/index.js';
import { eventMessage, excerptOf, summaryMessage } from '../../src/notify/message.js';
import { collectSecrets, createRedactor } from '../../src/notify/redact.js';
import { renderEmail } from '../../src/notify/render-email.js';
import { formatDuration, formatInstant } from '../../src/notify/time-format.js';
import { event } from './helpers.js';

describe('formatInstant', () => {
  it('writes ISO 8601 with the zone offset of that instant, UTC as Z', () => {
    assert.equal(formatInstant(new Date('2026-01-10T02:00:00Z'), 'Europe/Berlin'), '2026-01-10T03:00:00+01:00');
    assert.equal(formatInstant(new Date('2026-07-10T02:00:00Z'), 'Europe/Berlin'), '2026-07-10T04:00:00+02:00');
    assert.equal(formatInstant(new Date('2026-03-08T07:30:00Z'), 'America/New_York'), '2026-03-08T03:30:00-04:00');
    assert.equal(formatInstant(new Date('2026-01-10T02:00:00Z'), 'America/St_Johns'), '2026-01-09T22:30:00-03:30');
    assert.equal(formatInstant(new Date('2026-01-10T02:00:00Z'), 'Asia/Kolkata'), '2026-01-10T07:30:00+05:30');
    assert.equal(formatInstant(new Date('2026-01-10T02:00:00.250Z'), 'UTC'), '2026-01-10T02:00:00Z');
    assert.equal(formatInstant(new Date('2026-01-10T02:00:00Z'), 'Not/AZone'), '2026-01-10T02:00:00Z');
  });

  it('formats durations for people', () => {
    assert.deepEqual([850, 42_000, 185_000, 7_800_000].map(formatDuration), ['850ms', '42s', '3m 05s', '2h 10m']);
  });
});

describe('redaction', () => {
  const env = {
    GITHUB_TOKEN: 'ghp_abcdef123456',
    DB_PASSWORD: 'hunter2-long',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
    API_KEY_VERSION: '1',
    PATH: '/usr/bin:/bin',
    HOME: '/root',
  };
  const redact = createRedactor(collectSecrets(env, ['explicit-s3cret']));

  it('removes values of env vars named like TOKEN/SECRET/PASSWORD/KEY and the given secrets, also URL-encoded', () => {
    const log = 'push with ghp_abcdef123456\nDB=hunter2-long\nurl ?k=wJalrXUtnFEMI%2FK7MDENG\nand explicit-s3cret\nPATH=/usr/bin:/bin v1';
    assert.equal(redact(log), 'push with [redacted]\nDB=[redacted]\nurl ?k=[redacted]\nand [redacted]\nPATH=/usr/bin:/bin v1');
  });

  it('ignores very short env values (they would blank ordinary text) but not explicit ones', () => {
    assert.equal(redact('version 1 of 1'), 'version 1 of 1');
    assert.equal(createRedactor(collectSecrets({}, ['ab']))('cabin'), 'c[redacted]in');
  });

  it('keeps the tail of a long log, redacted', () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i} ghp_abcdef123456`).join('\n');
    const out = excerptOf(log, redact) ?? '';
    const lines = out.split('\n');
    assert.equal(lines.length, 30);
    assert.equal(lines.at(-1), 'line 99 [redacted]');
    assert.ok(!out.includes('ghp_'));
    assert.equal(excerptOf('  \n', redact), null);
  });
});

describe('messages', () => {
  const redact = createRedactor(['tok-SECRET-1234']);
  const ctx = { timeZone: 'Europe/Berlin', dashboardUrl: 'https://ship.example/', redact };

  it('a failure names job, nominal time, attempts, error class, duration, redacted log excerpt and the run link', () => {
    const e = event('failed', 'web', Date.UTC(2026, 6, 1, 0, 30), {
      occurrenceId: 'web@2026-07-01T00:30Z',
      attempts: 3,
      errorClass: 'transient',
      message: 'deploy returned 503 using tok-SECRET-1234',
      durationMs: 95_000,
      logExcerpt: 'starting\nauth tok-SECRET-1234\nerror: 503',
    });
    const m = eventMessage(e, ctx);
    const mail = renderEmail(m);
    assert.equal(mail.subject, '[shipclock] Job web failed (2026-07-01T02:30:00+02:00)');
    for (const want of ['Job:', 'web', 'Nominal time:', '2026-07-01T02:30:00+02:00', 'Attempts:', '3', 'Error class:', 'transient', 'Duration:', '1m 35s', 'auth [redacted]', 'https://ship.example/runs/web%402026-07-01T00%3A30Z']) {
      assert.ok(mail.text.includes(want), `email body lacks ${want}:\n${mail.text}`);
    }
    assert.ok(!mail.text.includes('tok-SECRET-1234'));
    assert.ok(!JSON.stringify(m).includes('tok-SECRET-1234'));
  });

  it('a summary says how many more failures since when, and shows the latest one', () => {
    const first = event('failed', 'web', Date.UTC(2026, 0, 1, 0, 1));
    const last = event('timed_out', 'web', Date.UTC(2026, 0, 1, 0, 9), { errorClass: 'timeout' });
    const m = summaryMessage({ job: 'web', since: new Date(Date.UTC(2026, 0, 1, 0, 0)), aggregate: { count: 5, byType: { failed: 4, timed_out: 1 }, first, last } }, ctx);
    assert.equal(m.headline, '5 more failures of job web since 2026-01-01T01:00:00+01:00');
    assert.equal(m.link, `https://ship.example/runs/${last.occurrenceId}`);
    assert.ok(m.facts.some((f) => f.label === 'Counts' && f.value === '4 failed, 1 timed out'));
  });

  it('uses UTC and no link when there is neither a zone nor a dashboard', () => {
    const m = eventMessage(event('missed', 'db', Date.UTC(2026, 0, 1, 3, 0), { reason: 'older than the catch-up window' }), { timeZone: null, dashboardUrl: null, redact });
    assert.equal(m.nominalTime, '2026-01-01T03:00:00Z');
    assert.equal(m.link, null);
    assert.equal(m.headline, 'Job db occurrence missed');
  });
});

describe('runEvent (runner result to notification event)', () => {
  const base = { job: 'web', nominalTime: new Date(Date.UTC(2026, 0, 1)), occurrenceId: 'o1', runId: 'r1' };
  const attempt = (n: number) => ({ number: n, startedAt: 0, logPath: '/tmp/x', endedAt: 1, outcome: 'failed' as const, errorClass: 'transient' as const, message: 'boom', handle: null });

  it('carries outcome, attempts, error class, message, duration and end time', () => {
    const e = runEvent({ ...base, logExcerpt: 'tail', result: { outcome: 'timed_out', attempts: [attempt(1), attempt(2)], errorClass: 'transient', message: 'boom', startedAt: 1_000, endedAt: 91_000 } });
    assert.deepEqual(e, { type: 'timed_out', ...base, attempts: 2, errorClass: 'transient', message: 'boom', durationMs: 90_000, logExcerpt: 'tail', at: new Date(91_000) });
  });

  it('gives no event for a cancelled run', () => {
    assert.equal(runEvent({ ...base, result: { outcome: 'cancelled', attempts: [], errorClass: null, message: null, startedAt: 0, endedAt: 0 } }), null);
  });
});
