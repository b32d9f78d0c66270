/**
 * Notifier options in, resolved options out: defaults applied, webhooks parsed, one route per
 * job (who to tell, how), the redactor built from every secret the notifier can see.
 */
import type { NotificationsConfig, SmtpConfig } from '../config/types.js';
import type { Clock } from '../scheduler/clock.js';
import { collectSecrets, createRedactor, type Redactor } from './redact.js';
import type { RetryPolicy } from './retry.js';
import type { DeliveryRecord, NotifierOptions, NotifyLogger } from './types.js';
import { parseWebhooks, type WebhookTarget } from './webhook-config.js';

export const DEFAULT_WINDOW_MS = 15 * 60_000;
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ tries: 3, baseMs: 5_000, capMs: 5 * 60_000 });
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** Who hears about one job, and how. */
export interface Route {
  /** Key for per-channel ordering; `*` for scheduler-wide events. */
  readonly key: string;
  readonly timeZone: string | null;
  readonly notifications: NotificationsConfig | null;
  readonly email: readonly string[];
  readonly webhooks: readonly WebhookTarget[];
}

export interface ResolvedNotifierOptions {
  readonly routes: ReadonlyMap<string, Route>;
  /** For scheduler-wide events (a `clock_jump` naming no known job): everyone with on_failure. */
  readonly everyone: Route;
  readonly smtp: SmtpConfig | null;
  readonly smtpPassword: string | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dashboardUrl: string | null;
  readonly clock: Clock;
  readonly logger: NotifyLogger;
  readonly record: ((d: DeliveryRecord) => Promise<void>) | null;
  readonly redact: Redactor;
  readonly windowMs: number;
  readonly retry: RetryPolicy;
  readonly requestTimeoutMs: number;
}

const noop = (): void => undefined;
export const SILENT_LOGGER: NotifyLogger = { info: noop, warn: noop, error: noop };

function positive(value: number | undefined, fallback: number, min: number): number {
  return value !== undefined && Number.isFinite(value) && value >= min ? value : fallback;
}

export function resolveNotifierOptions(o: NotifierOptions): ResolvedNotifierOptions {
  const logger = o.logger ?? SILENT_LOGGER;
  const smtpPassword = o.smtp?.passwordEnv ? (o.env[o.smtp.passwordEnv] ?? null) : null;
  const extraSecrets: string[] = [...(o.secrets ?? [])];
  if (smtpPassword) extraSecrets.push(smtpPassword);
  const routes = new Map<string, Route>();
  const everyoneEmail = new Set<string>();
  const everyoneHooks = new Map<string, WebhookTarget>();

  for (const job of o.jobs) {
    const n = job.notifications;
    const { targets, problems } = parseWebhooks(n?.webhooks ?? [], `jobs.${job.name}.notifications.webhooks`);
    for (const p of problems) {
      // The config module validates webhooks first; reaching here means a caller skipped it.
      logger.warn({ job: job.name, code: p.code, path: p.path }, `webhook entry ignored: ${p.message}`);
    }
    for (const t of targets) {
      extraSecrets.push(t.url);
      if (t.secretHeaderEnv && o.env[t.secretHeaderEnv]) extraSecrets.push(o.env[t.secretHeaderEnv] as string);
    }
    if (n && n.email.length > 0 && !o.smtp) {
      logger.warn({ job: job.name }, 'job lists email recipients but no smtp settings are configured; email is not sent');
    }
    if (o.smtp?.passwordEnv && !smtpPassword && n && n.email.length > 0) {
      logger.warn({ job: job.name, variable: o.smtp.passwordEnv }, 'smtp password variable is not set; sending without it');
    }
    routes.set(job.name, Object.freeze({ key: job.name, timeZone: job.timezone, notifications: n, email: Object.freeze([...(n?.email ?? [])]), webhooks: Object.freeze(targets) }));
    if (n?.onFailure) {
      for (const e of n.email) everyoneEmail.add(e);
      for (const t of targets) everyoneHooks.set(`${t.format} ${t.url}`, t);
    }
  }
  const everyone: Route = Object.freeze({
    key: '*',
    timeZone: null,
    notifications: Object.freeze({ email: [...everyoneEmail], onSuccess: false, onFailure: true, webhooks: [] }),
    email: Object.freeze([...everyoneEmail]),
    webhooks: Object.freeze([...everyoneHooks.values()]),
  });
  const retry = o.retry ?? {};
  return Object.freeze({
    routes,
    everyone,
    smtp: o.smtp,
    smtpPassword,
    env: o.env,
    dashboardUrl: o.dashboardUrl,
    clock: o.clock,
    logger,
    record: o.record ?? null,
    redact: createRedactor(collectSecrets(o.env, extraSecrets)),
    windowMs: positive(o.aggregationWindowMs, DEFAULT_WINDOW_MS, 0),
    retry: Object.freeze({
      tries: Math.floor(positive(retry.tries, DEFAULT_RETRY.tries, 1)),
      baseMs: positive(retry.baseMs, DEFAULT_RETRY.baseMs, 0),
      capMs: positive(retry.capMs, DEFAULT_RETRY.capMs, 0),
    }),
    requestTimeoutMs: positive(o.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, 1),
  });
}
