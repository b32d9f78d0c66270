import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { logExcerpt, redact, Redactor, REDACTED, secretValuesFromEnv, secretValuesFromSettings } from '../../src/providers/redact.js';

describe('redact: secrets out of logs and excerpts', () => {
  it('replaces known secret values, longest first', () => {
    assert.equal(redact('a=abcd1234 b=abcd1234xyz', ['abcd1234', 'abcd1234xyz']), `a=${REDACTED} b=${REDACTED}`);
  });

  it('ignores values too short to be secrets (they would mangle every line)', () => {
    assert.equal(redact('exit 1 is true', ['1', 'true']), 'exit 1 is true');
  });

  const samples: [string, string][] = [
    ['AWS key AKIAIOSFODNN7EXAMPLE here', 'AWS key [REDACTED] here'],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'token [REDACTED]'],
    ['slack xoxb-1234567890-abcdefghij', 'slack [REDACTED]'],
    ['Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer [REDACTED]'],
    ['git clone https://deploy:hunter2@example.com/repo.git', 'git clone https://deploy:[REDACTED]@example.com/repo.git'],
    ['DB_PASSWORD=s3cr3t-pw and API_KEY: "k-123456"', 'DB_PASSWORD=[REDACTED] and API_KEY: "[REDACTED]"'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt [REDACTED]'],
  ];
  for (const [input, expected] of samples) {
    it(`catches common token patterns: ${expected}`, () => {
      assert.equal(redact(input), expected);
    });
  }

  it('leaves ordinary output alone', () => {
    const text = 'deployed revision web-00042 to europe-west1 in 12.5s (exit 0)';
    assert.equal(redact(text), text);
  });

  it('takes secrets from env names and from settings (named or listed in secretFields)', () => {
    assert.deepEqual(
      secretValuesFromEnv({ GITHUB_TOKEN: 'ghs_1234567890', SMTP_PASSWORD: 'mail-pass-1', USE_AUTH: 'true', PATH: '/usr/bin', SHORT_TOKEN: 'abc' }).sort(),
      ['ghs_1234567890', 'mail-pass-1'],
    );
    assert.deepEqual(
      secretValuesFromSettings({ command: ['x'], env: { API_TOKEN: 'tok-1', REGION: 'eu' }, webhook: 'https://hooks/abc', nested: { password: 'p4ss' } }, ['webhook']).sort(),
      ['https://hooks/abc', 'p4ss', 'tok-1'],
    );
  });

  it('excerpts the last lines, redacted before cutting', () => {
    const r = new Redactor(['hunter2-secret']);
    const text = ['one', 'two', 'pw hunter2-secret', 'four', ''].join('\n');
    assert.equal(logExcerpt(text, r, { maxLines: 2 }), 'pw [REDACTED]\nfour');
    assert.equal(logExcerpt('x'.repeat(50), r, { maxChars: 10 }), `…${'x'.repeat(9)}`);
  });
});
