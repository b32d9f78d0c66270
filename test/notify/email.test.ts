import { strict as assert } from 'node:assert';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { SmtpConfig } from '../../src/config/types.js';
import { createNotifier, type DeliveryRecord } from '../../src/notify/index.js';
import { FakeClock } from './fake-clock.js';
import { captureLog, event, job } from './helpers.js';

const USER = 'shipclock';
const PASSWORD = 'smtp-pa55word-xyz';
const T0 = Date.UTC(2026, 0, 10, 2, 0);

interface Mail {
  readonly from: string;
  readonly to: string[];
  readonly headers: Map<string, string>;
  readonly body: string;
}

/** Headers (unfolded) and a body decoded from quoted-printable when nodemailer used it. */
function parseMail(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '')) {
    body = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) requiring authentication.
 * `dataReply(n)` may refuse the n-th message with an SMTP code.
 */
async function startSmtp(dataReply: (n: number) => number | null = () => null) {
  const mails: Mail[] = [];
  const events = new EventEmitter();
  let messages = 0;
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === USER && auth.password === PASSWORD) cb(null, { user: USER });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith('@blocked.example')) cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages += 1;
        const code = dataReply(messages);
        if (code) {
          cb(Object.assign(new Error('Try again later'), { responseCode: code }));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        mails.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          ...parseMail(Buffer.concat(chunks).toString('utf8')),
        });
        cb();
        events.emit('mail');
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  const smtp: SmtpConfig = { host: '127.0.0.1', port, secure: false, user: USER, passwordEnv: 'SMTP_PASS', from: 'shipclock@example.com' };
  return {
    smtp,
    mails,
    async [Symbol.asyncDispose]() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('email against a real SMTP server (smtp-server, authentication required)', { timeout: 20_000 }, () => {
  it('sends one mail to the job recipients with subject, facts, redacted log and link; the password is never logged', async () => {
    await using smtpServer = await startSmtp();
    const log = captureLog();
    const records: DeliveryRecord[] = [];
    await using notifier = createNotifier({
      jobs: [job('web', { email: ['ops@example.com', 'dev@example.com', 'ghost@blocked.example'] }, 'Europe/Berlin')],
      smtp: smtpServer.smtp,
      env: { SMTP_PASS: PASSWORD, REGISTRY_TOKEN: 'reg-token-5555' },
      dashboardUrl: 'http://127.0.0.1:8080',
      clock: new FakeClock(T0),
      logger: log,
      record: async (d) => void records.push(d),
    });
    notifier.notify(
      event('failed', 'web', T0, {
        occurrenceId: 'occ-42',
        attempts: 2,
        errorClass: 'auth',
        message: `login failed with ${PASSWORD}`,
        durationMs: 12_500,
        logExcerpt: `docker login -p reg-token-5555\nsmtp pass ${PASSWORD}\nerror: denied`,
      }),
    );
    await notifier.idle();

    assert.equal(smtpServer.mails.length, 1);
    const mail = smtpServer.mails[0];
    assert.ok(mail);
    assert.equal(mail.from, 'shipclock@example.com');
    assert.deepEqual(mail.to, ['ops@example.com', 'dev@example.com'], 'the rejected recipient is dropped, the others get it');
    assert.equal(mail.headers.get('to'), 'ops@example.com, dev@example.com, ghost@blocked.example');
    assert.equal(mail.headers.get('subject'), '[shipclock] Job web failed (2026-01-10T03:00:00+01:00)');
    for (const want of ['Job:', 'Nominal time:', '2026-01-10T03:00:00+01:00', 'Attempts:', 'Error class:', 'auth', 'Duration:', '13s', 'docker login -p [redacted]', 'smtp pass [redacted]', 'Open in the dashboard: http://127.0.0.1:8080/runs/occ-42']) {
      assert.ok(mail.body.includes(want), `body lacks ${JSON.stringify(want)}:\n${mail.body}`);
    }
    assert.ok(!mail.body.includes(PASSWORD) && !mail.body.includes('reg-token-5555'));

    assert.deepEqual(records.map((r) => [r.channel, r.ok, r.final, r.status, r.try]), [['email', true, true, 250, 1]]);
    assert.match(log.text(), /notification sent \(rejected recipients: ghost@blocked.example\)/);
    assert.ok(log.lines.length > 0);
    assert.ok(!log.text().includes(PASSWORD), 'password in a log line');
  });

  it('a wrong password fails once (SMTP 535 is permanent), is recorded and logged without the password', async () => {
    await using smtpServer = await startSmtp();
    const log = captureLog();
    const records: DeliveryRecord[] = [];
    const wrong = 'not-the-pa55word';
    await using notifier = createNotifier({
      jobs: [job('web', { email: ['ops@example.com'], onSuccess: true })],
      smtp: smtpServer.smtp,
      env: { SMTP_PASS: wrong },
      dashboardUrl: null,
      clock: new FakeClock(T0),
      logger: log,
      record: async (d) => void records.push(d),
    });
    assert.doesNotThrow(() => notifier.notify(event('succeeded', 'web', T0)));
    await notifier.idle();
    assert.equal(smtpServer.mails.length, 0);
    assert.deepEqual(records.map((r) => [r.ok, r.final, r.status, r.error?.code]), [[false, true, 535, 'EAUTH']]);
    assert.match(log.lines.find((l) => l.level === 'error')?.msg ?? '', /giving up: Invalid login: 535/);
    const everything = log.text() + JSON.stringify(records);
    assert.ok(!everything.includes(wrong) && !everything.includes(PASSWORD));
  });

  it('retries a temporary refusal (SMTP 451) after the backoff on the injected clock', async () => {
    await using smtpServer = await startSmtp((n) => (n === 1 ? 451 : null));
    const records: DeliveryRecord[] = [];
    const clock = new FakeClock(T0);
    await using notifier = createNotifier({
      jobs: [job('web', { email: ['ops@example.com'], onSuccess: true })],
      smtp: smtpServer.smtp,
      env: { SMTP_PASS: PASSWORD },
      dashboardUrl: null,
      clock,
      retry: { tries: 3, baseMs: 2_000 },
      record: async (d) => void records.push(d),
    });
    notifier.notify(event('succeeded', 'web', T0));
    assert.deepEqual(await clock.whenSleeping(), [T0 + 2_000]);
    clock.advance(2_000);
    await notifier.idle();
    assert.equal(smtpServer.mails.length, 1);
    assert.deepEqual(records.map((r) => [r.try, r.ok, r.status]), [[1, false, 451], [2, true, 250]]);
  });
});
