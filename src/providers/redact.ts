/**
 * Keeps secrets out of logs, log excerpts (notifications) and plans. Two nets: the exact values
 * of anything named as a secret (env vars and settings such as `DB_PASSWORD`, `api_token`, or
 * listed in a provider's `secretFields`), and patterns of common credentials (cloud keys, bearer
 * tokens, JWTs, passwords in URLs), for secrets that arrive from somewhere we were not told of.
 */

export const REDACTED = '[REDACTED]';

/** Names that hold secrets by convention: `*_TOKEN`, `password`, `apiKey`, `AWS_SECRET_ACCESS_KEY`… */
export const SECRET_NAME =
  /pass(word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth(?!or)|session[_-]?key|signing[_-]?key|(^|[_-])key$|webhook|dsn|cookie/i;

/** Values shorter than this, or plain words, are not redacted by value: `1`, `true` would mangle every line. */
const MIN_SECRET_LENGTH = 4;
const PLAIN_WORD = /^(true|false|yes|no|on|off|none|null)$/i;

const TOKEN_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{30,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\bsk-[A-Za-z0-9_-]{20,}\b/g, // OpenAI-style secret keys
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, // JWT
];

/** Patterns whose first group is kept (the label) and the rest replaced. */
const LABELLED_PATTERNS: readonly RegExp[] = [
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /(\bBasic\s+)[A-Za-z0-9+/=]{8,}/g,
  /(:\/\/[^/\s:@]+:)[^@\s/]+(?=@)/g, // scheme://user:password@host
  /([?&](?:sig|signature|token|access_token|id_token|key|api_key|apikey|code|secret|password|auth|x-amz-signature|x-goog-signature)=)[^&\s#"']+/gi, // signed URLs
  /(\b[A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',;&]{4,}/gi,
];

export class Redactor {
  private readonly values: readonly string[];

  constructor(secretValues: Iterable<string> = []) {
    const unique = new Set<string>();
    for (const v of secretValues) if (v.length >= MIN_SECRET_LENGTH && !PLAIN_WORD.test(v)) unique.add(v);
    // Longest first, so a secret containing another is replaced whole.
    this.values = [...unique].sort((a, b) => b.length - a.length);
  }

  /** A redactor that also knows `more` secret values. */
  with(more: Iterable<string>): Redactor {
    return new Redactor([...this.values, ...more]);
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join(REDACTED);
    for (const p of TOKEN_PATTERNS) out = out.replace(p, REDACTED);
    for (const p of LABELLED_PATTERNS) out = out.replace(p, (_m, label: string) => `${label}${REDACTED}`);
    return out;
  }
}

/**
 * Environment values shorter than this, or that are plain words like `true` or numbers, are not
 * taken as secrets: a `*_AUTH=true` in someone's shell must not blank every "true" in the logs.
 */
const MIN_ENV_SECRET_LENGTH = 8;
const NOT_A_SECRET = /^(true|false|yes|no|on|off|none|null|\d+)$/i;

/** Values of environment variables whose names mark them as secrets. */
export function secretValuesFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !SECRET_NAME.test(name)) continue;
    if (value.length >= MIN_ENV_SECRET_LENGTH && !NOT_A_SECRET.test(value)) out.push(value);
  }
  return out;
}

let processEnvSecrets: readonly string[] | null = null;

/**
 * `secretValuesFromEnv(process.env)`, read at most once per turn of the event loop: reading
 * process.env walks the real environment on every access (~70 µs here), and a burst of runs
 * starting in the same second starts in one turn. A variable set later is seen from the next.
 */
export function processEnvSecretValues(): readonly string[] {
  if (processEnvSecrets === null) {
    processEnvSecrets = secretValuesFromEnv(process.env);
    setImmediate(() => {
      processEnvSecrets = null;
    }).unref();
  }
  return processEnvSecrets;
}

/**
 * Values in a provider's settings that are secrets: fields named in `secretFields` (a
 * definition's list) and any key, at any depth, whose name marks it as a secret.
 */
export function secretValuesFromSettings(settings: unknown, secretFields: readonly string[] = []): string[] {
  const out: string[] = [];
  const listed = new Set(secretFields);
  const walk = (value: unknown, secret: boolean): void => {
    if (typeof value === 'string') {
      if (secret) out.push(value);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      if (secret) out.push(String(value));
    } else if (Array.isArray(value)) {
      for (const v of value) walk(v, secret);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, secret || listed.has(k) || SECRET_NAME.test(k));
    }
  };
  walk(settings, false);
  return out;
}

/** One-shot helper: redact `text` with the given secret values and the token patterns. */
export function redact(text: string, secretValues: Iterable<string> = []): string {
  return new Redactor(secretValues).redact(text);
}

/**
 * The last lines of a log, redacted, for notifications and terminal summaries. Redacts before
 * cutting, so a secret split across the cut is still caught.
 */
export function logExcerpt(
  text: string,
  redactor: Redactor,
  limits: { maxLines?: number; maxChars?: number } = {},
): string {
  const maxLines = limits.maxLines ?? 20;
  const maxChars = limits.maxChars ?? 4000;
  const lines = redactor.redact(text).replace(/\n$/, '').split('\n');
  let excerpt = lines.slice(-maxLines).join('\n');
  if (excerpt.length > maxChars) excerpt = `…${excerpt.slice(excerpt.length - maxChars + 1)}`;
  return excerpt;
}
