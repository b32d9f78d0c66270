/**
 * Secrets never reach the ledger: a deploy that fails with a message quoting a secret setting
 * leaves only a redacted message in the attempt row, the occurrence and its log file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { at, createHarness, oneJob } from '../helpers/scheduler-harness.js';

test('a failure message quoting a secret env setting is stored redacted', async () => {
  const secret = 'sk_live_9f8e7d6c5b4a39281706';
  await using h = await createHarness({
    yaml: oneJob(`schedule: "* * * * *"\nmax_retries: 0\nenv: { API_TOKEN: "${secret}" }`),
    start: at('2026-01-05T09:59:30Z'),
    durationMs: 1_000,
  });
  h.provider.fail = { errorClass: 'invalid', message: `upload refused for token ${secret}` };
  await h.scheduler.start();
  await h.clock.advanceTo(at('2026-01-05T10:00:30Z'));
  const [occ] = await h.ledger();
  assert.equal(occ!.state, 'failed');
  const attempts = await h.store.listAttempts(occ!.id);
  const stored = JSON.stringify({ occ, attempts });
  assert.ok(!stored.includes(secret), `the ledger holds no secret: ${stored}`);
  assert.match(attempts[0]!.message!, /upload refused for token \[REDACTED\]|upload refused for token \*+/);
  assert.ok(!readFileSync(attempts[0]!.logPath!, 'utf8').includes(secret), 'nor the attempt log');
});
