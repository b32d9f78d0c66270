/**
 * Secret redaction for everything the notifier sends or logs: message text, log excerpts,
 * error messages. Secrets are matched as literal values, longest first, so a secret that
 * contains another is removed whole.
 */

/** Environment variables whose values are treated as secrets. */
export const SECRET_ENV_NAME = /TOKEN|SECRET|PASSWORD|KEY/i;

/**
 * Values shorter than this taken from the environment by name are not redacted: a variable
 * such as `API_KEY_ROTATION=1` would otherwise blank every "1" in a log. Secrets passed
 * explicitly are redacted whatever their length.
 */
const MIN_ENV_SECRET_LENGTH = 4;

export const REDACTED = '[redacted]';

export type Redactor = (text: string) => string;

export function collectSecrets(
  env: Readonly<Record<string, string | undefined>>,
  explicit: readonly string[],
): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && SECRET_ENV_NAME.test(name) && value.length >= MIN_ENV_SECRET_LENGTH) values.add(value);
  }
  for (const value of explicit) if (value) values.add(value);
  // Also the URL-encoded form: secrets often travel inside URLs and query strings.
  for (const value of [...values]) {
    const encoded = encodeURIComponent(value);
    if (encoded !== value) values.add(encoded);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export function createRedactor(secrets: readonly string[]): Redactor {
  const sorted = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of sorted) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
}
