/**
 * The scheduler's events reach real channels: a job that fails on three scheduled times and then
 * succeeds sends one failure email and one failure webhook for the episode, then one
 * "recovered" of each, and every delivery is recorded in the ledger's events. A real SMTP
 * server (smtp-server) and a real HTTP receiver on 127.0.0.1; the scheduler runs on the fake clock.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { attachNotifier } from '../../src/app/notify-bridge.js';
import { startReceiver } from '../notify/helpers.js';
import { at, createHarness } from '../helpers/scheduler-harness.js';

async function startSmtp() {
  const mails: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((a) => a.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return { mails, port: (server.server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a failure episode sends one failure email and webhook, then one recovered message each; deliveries are in the ledger', async () => {
  const smtp = await startSmtp();
  const hook = await startReceiver();
  try {
    const yaml = `smtp: { host: 127.0.0.1, port: ${smtp.port}, secure: false, from: shipclock@example.com }
deployments:
  web:
    schedule: "* * * * *"
    max_retries: 0
    provider: shell
    command: ["true"]
    notifications:
      email: ops@example.com
      on_failure: true
      webhooks: [{ url: "${hook.url}", format: slack }]
`;
    await using h = await createHarness({ yaml, start: at('2026-01-05T09:59:30Z'), durationMs: 1_000 });
    const detach = attachNotifier(h.config, h.scheduler.events, h.clock, {}, h.store);
    h.provider.fail = { errorClass: 'invalid', message: 'image tag not found' };
    await h.scheduler.start();
    await h.clock.advanceTo(at('2026-01-05T10:02:30Z')); // 10:00, 10:01, 10:02 fail
    h.provider.fail = null;
    await h.clock.advanceTo(at('2026-01-05T10:03:30Z')); // 10:03 succeeds
    await detach(); // flush pending deliveries

    const subjects = smtp.mails.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1] ?? '');
    assert.equal(smtp.mails.length, 2, `emails: ${subjects.join(' | ')}`);
    assert.deepEqual(smtp.mails[0]!.to, ['ops@example.com']);
    assert.match(subjects[0]!, /fail/i);
    assert.match(subjects[1]!, /recover/i);
    assert.match(smtp.mails[0]!.raw, /image tag not found/);
    assert.equal(hook.requests.length, 2, 'one failure webhook and one recovered');
    const texts = hook.requests.map((r) => JSON.stringify(r.body));
    assert.match(texts[0]!, /fail/i);
    assert.match(texts[1]!, /recover/i);
    const deliveries = await h.store.listEvents({ type: 'notification' });
    assert.ok(deliveries.length >= 4, `deliveries recorded: ${deliveries.length}`);
    assert.ok(deliveries.every((d) => d.data!.ok === true));
  } finally {
    await smtp.close();
    await hook[Symbol.asyncDispose]();
  }
});
