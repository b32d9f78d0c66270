/**
 * Webhook entries of a job's `notifications.webhooks`, validated from the raw config records.
 * Every problem is reported at once, with its field path, so the config module can attach
 * file positions and refuse the config whole.
 */
import type { Problem } from '../errors/input-error.js';

export type WebhookFormat = 'json' | 'slack' | 'teams';
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['json', 'slack', 'teams'];

export interface WebhookTarget {
  readonly url: string;
  readonly format: WebhookFormat;
  /** Plain headers from the config (not secret: they appear in the config file). */
  readonly headers: Readonly<Record<string, string>>;
  /** Environment variable whose value is sent in `secretHeader`. */
  readonly secretHeaderEnv: string | null;
  readonly secretHeader: string;
}

const KEYS = ['url', 'format', 'headers', 'secret_header_env', 'secret_header'] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Headers the notifier sets itself; overriding them would break the request. */
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'host', 'transfer-encoding', 'connection']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o);
    if (d < bestDist) [best, bestDist] = [o, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * Validate and resolve webhook entries. `path` is the field path of the list
 * (e.g. `deployments.web.notifications.webhooks`). When `env` is given, a
 * `secret_header_env` naming an unset variable is a problem too.
 */
export function parseWebhooks(
  raw: unknown,
  path: string,
  env?: Readonly<Record<string, string | undefined>>,
): { targets: WebhookTarget[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const targets: WebhookTarget[] = [];
  if (raw === undefined || raw === null) return { targets, problems };
  if (!Array.isArray(raw)) {
    problems.push({
      code: 'E_NOTIFY_WEBHOOKS_TYPE',
      path,
      value: raw,
      message: 'webhooks must be a list',
      allowed: 'a list of { url, format: json|slack|teams, headers, secret_header_env }',
      hint: `webhooks:\n  - url: https://hooks.slack.com/services/…\n    format: slack`,
    });
    return { targets, problems };
  }
  raw.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    const before = problems.length;
    const entryObj: Record<string, unknown> = typeof entry === 'string' ? { url: entry } : isRecord(entry) ? entry : {};
    if (typeof entry !== 'string' && !isRecord(entry)) {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_TYPE', path: at, value: entry, message: 'a webhook must be a URL or a mapping', allowed: '{ url, format, headers, secret_header_env }' });
      return;
    }
    for (const key of Object.keys(entryObj)) {
      if ((KEYS as readonly string[]).includes(key)) continue;
      const guess = closest(key, KEYS);
      problems.push({
        code: 'E_NOTIFY_WEBHOOK_UNKNOWN_KEY',
        path: `${at}.${key}`,
        message: `unknown webhook field "${key}"`,
        allowed: KEYS.join(', '),
        ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
      });
    }
    const url = checkUrl(entryObj['url'], `${at}.url`, problems);
    const format = entryObj['format'] ?? 'json';
    if (typeof format !== 'string' || !(WEBHOOK_FORMATS as readonly string[]).includes(format)) {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_FORMAT', path: `${at}.format`, value: format, message: 'unknown webhook format', allowed: WEBHOOK_FORMATS.join(', ') });
    }
    const headers = checkHeaders(entryObj['headers'], `${at}.headers`, problems);
    const secretEnv = entryObj['secret_header_env'];
    if (secretEnv !== undefined && (typeof secretEnv !== 'string' || !ENV_NAME.test(secretEnv))) {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_SECRET_ENV', path: `${at}.secret_header_env`, value: secretEnv, message: 'secret_header_env must name an environment variable', allowed: 'letters, digits and _ (not starting with a digit)', hint: 'secret_header_env: ALERTS_WEBHOOK_TOKEN' });
    } else if (typeof secretEnv === 'string' && env && !env[secretEnv]) {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_SECRET_UNSET', path: `${at}.secret_header_env`, value: secretEnv, message: `environment variable ${secretEnv} is not set`, hint: `export ${secretEnv}=… before starting shipclock` });
    }
    const secretHeader = entryObj['secret_header'] ?? 'Authorization';
    if (typeof secretHeader !== 'string' || !HEADER_NAME.test(secretHeader) || RESERVED_HEADERS.has(secretHeader.toLowerCase())) {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_HEADER', path: `${at}.secret_header`, value: secretHeader, message: 'secret_header must be an HTTP header name', allowed: 'a header name such as Authorization or X-Token' });
    } else if (entryObj['secret_header'] !== undefined && secretEnv === undefined) {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_SECRET_ENV', path: `${at}.secret_header`, message: 'secret_header needs secret_header_env, the variable holding its value' });
    }
    if (problems.length > before || url === null || typeof format !== 'string' || typeof secretHeader !== 'string') return;
    targets.push(
      Object.freeze({
        url,
        format: format as WebhookFormat,
        headers: Object.freeze(headers),
        secretHeaderEnv: typeof secretEnv === 'string' ? secretEnv : null,
        secretHeader,
      }),
    );
  });
  return { targets, problems };
}

/** Problems in a job's raw webhook entries (empty when they are all valid). */
export function validateWebhooks(raw: unknown, path: string, env?: Readonly<Record<string, string | undefined>>): Problem[] {
  return parseWebhooks(raw, path, env).problems;
}

function checkUrl(value: unknown, path: string, problems: Problem[]): string | null {
  const allowed = 'an absolute http:// or https:// URL';
  if (typeof value !== 'string' || value === '') {
    problems.push({ code: 'E_NOTIFY_WEBHOOK_URL', path, value, message: value === undefined ? 'a webhook needs a url' : 'url must be a string', allowed });
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    problems.push({ code: 'E_NOTIFY_WEBHOOK_URL', path, value: describeUrlForProblem(value), message: 'url is not a valid URL', allowed });
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    problems.push({ code: 'E_NOTIFY_WEBHOOK_URL', path, value: parsed.protocol, message: 'url must use http or https', allowed });
    return null;
  }
  return parsed.href;
}

/** Webhook URLs often carry their secret in the path; a problem message shows the host only. */
function describeUrlForProblem(value: string): string {
  return value.length > 40 ? `${value.slice(0, 24)}…` : value;
}

function checkHeaders(value: unknown, path: string, problems: Problem[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  if (!isRecord(value)) {
    problems.push({ code: 'E_NOTIFY_WEBHOOK_HEADERS', path, value, message: 'headers must be a mapping of header name to value', hint: 'headers:\n  X-Team: platform' });
    return out;
  }
  for (const [name, v] of Object.entries(value)) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_HEADER', path: `${path}.${name}`, value: name, message: RESERVED_HEADERS.has(name.toLowerCase()) ? `header ${name} is set by shipclock` : 'not a valid HTTP header name', allowed: 'letters, digits and !#$%&\'*+.^_`|~- ; not Content-Type, Content-Length, Host' });
    } else if (typeof v !== 'string' && typeof v !== 'number') {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_HEADER', path: `${path}.${name}`, value: v, message: 'header value must be a string' });
    } else if (/[\r\n\0]/.test(String(v))) {
      problems.push({ code: 'E_NOTIFY_WEBHOOK_HEADER', path: `${path}.${name}`, message: 'header value must not contain line breaks' });
    } else {
      out[name] = String(v);
    }
  }
  return out;
}
