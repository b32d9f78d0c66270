// Public surface of the notify module. Re-exports only; modules are inert on import.
export type {
  NotificationEvent,
  NotificationEventType,
  DeliveryRecord,
  ChannelKind,
  MessageKind,
  Notifier,
  NotifierOptions,
  NotifyLogger,
  NotifyRetryOptions,
} from './types.js';
export { createNotifier } from './notifier.js';
export { runEvent } from './from-run.js';
export type { RunEventInput } from './from-run.js';
export { validateWebhooks, parseWebhooks, WEBHOOK_FORMATS } from './webhook-config.js';
export type { WebhookTarget, WebhookFormat } from './webhook-config.js';
export { DEFAULT_WINDOW_MS, DEFAULT_RETRY } from './options.js';
// Shared with the HTTP API and dashboard so every edge redacts the same way.
export { collectSecrets, createRedactor, SECRET_ENV_NAME, REDACTED } from './redact.js';
export type { Redactor } from './redact.js';
