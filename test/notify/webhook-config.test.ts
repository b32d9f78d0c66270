import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseWebhooks, validateWebhooks } from '../../src/notify/index.js';

const PATH = 'deployments.web.notifications.webhooks';

describe('validateWebhooks', () => {
  it('accepts the three formats, a bare URL string, headers and a secret header variable', () => {
    const { targets, problems } = parseWebhooks(
      [
        { url: 'https://hooks.slack.com/services/T0/B0/xyz', format: 'slack' },
        { url: 'https://example.webhook.office.com/x', format: 'teams', headers: { 'X-Team': 'platform' } },
        { url: 'http://127.0.0.1:9000/hook', secret_header_env: 'HOOK_TOKEN', secret_header: 'X-Token' },
        'https://example.com/plain',
      ],
      PATH,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      targets.map((t) => [t.format, t.secretHeaderEnv, t.secretHeader]),
      [
        ['slack', null, 'Authorization'],
        ['teams', null, 'Authorization'],
        ['json', 'HOOK_TOKEN', 'X-Token'],
        ['json', null, 'Authorization'],
      ],
    );
    assert.deepEqual(targets[1]?.headers, { 'X-Team': 'platform' });
  });

  it('reports every problem at once, each with its field path and what is allowed', () => {
    const problems = validateWebhooks(
      [
        { url: 'ftp://example.com/x', format: 'discord' },
        { format: 'json', header: { A: 'b' } },
        { url: 'https://example.com', headers: { 'Content-Type': 'text/plain', 'Bad Name': 'x', 'X-Ok': 'a\r\nInjected: 1' } },
        { url: 'https://example.com', secret_header_env: '1BAD' },
        42,
      ],
      PATH,
    );
    const byPath = problems.map((p) => [p.path, p.code]);
    assert.deepEqual(byPath, [
      [`${PATH}[0].url`, 'E_NOTIFY_WEBHOOK_URL'],
      [`${PATH}[0].format`, 'E_NOTIFY_WEBHOOK_FORMAT'],
      [`${PATH}[1].header`, 'E_NOTIFY_WEBHOOK_UNKNOWN_KEY'],
      [`${PATH}[1].url`, 'E_NOTIFY_WEBHOOK_URL'],
      [`${PATH}[2].headers.Content-Type`, 'E_NOTIFY_WEBHOOK_HEADER'],
      [`${PATH}[2].headers.Bad Name`, 'E_NOTIFY_WEBHOOK_HEADER'],
      [`${PATH}[2].headers.X-Ok`, 'E_NOTIFY_WEBHOOK_HEADER'],
      [`${PATH}[3].secret_header_env`, 'E_NOTIFY_WEBHOOK_SECRET_ENV'],
      [`${PATH}[4]`, 'E_NOTIFY_WEBHOOK_TYPE'],
    ]);
    assert.equal(problems.find((p) => p.path === `${PATH}[1].header`)?.hint, 'did you mean "headers"?');
    assert.equal(problems.find((p) => p.path === `${PATH}[0].format`)?.allowed, 'json, slack, teams');
  });

  it('refuses a non-list, and with an env reports a secret variable that is not set', () => {
    assert.equal(validateWebhooks({ url: 'https://x' }, PATH)[0]?.code, 'E_NOTIFY_WEBHOOKS_TYPE');
    const problems = validateWebhooks([{ url: 'https://example.com', secret_header_env: 'NOPE_TOKEN' }], PATH, {});
    assert.deepEqual(problems.map((p) => p.code), ['E_NOTIFY_WEBHOOK_SECRET_UNSET']);
    assert.deepEqual(validateWebhooks([{ url: 'https://example.com', secret_header_env: 'SET_TOKEN' }], PATH, { SET_TOKEN: 'x' }), []);
    assert.deepEqual(validateWebhooks(undefined, PATH), []);
  });
});
