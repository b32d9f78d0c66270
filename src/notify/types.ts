/**
 * The notify module's public contract: the events the scheduler hands over, the notifier it
 * calls, and the delivery records it writes to the ledger.
 */
import type { JobConfig, SmtpConfig } from '../config/types.js';
import type { Clock } from '../scheduler/clock.js';

export type NotificationEventType =
  | 'succeeded'
  | 'failed'
  | 'recovered'
  | 'timed_out'
  | 'skipped'
  | 'missed'
  | 'blocked'
  | 'interrupted'
  | 'clock_jump';

export interface NotificationEvent {
  readonly type: NotificationEventType;
  /** Job name. For `clock_jump` an unknown or empty name means "the whole scheduler". */
  readonly job: string;
  readonly nominalTime: Date;
  readonly occurrenceId: string;
  readonly runId?: string;
  readonly attempts?: number;
  readonly errorClass?: string | null;
  readonly message?: string | null;
  readonly durationMs?: number;
  readonly logExcerpt?: string;
  /** Why an occurrence did not run (skipped, missed, blocked) or how the clock moved. */
  readonly reason?: string;
  /** When it happened (wall clock). */
  readonly at: Date;
}

/** What a notification is about: one event, or a summary of several aggregated ones. */
export type MessageKind = NotificationEventType | 'summary';

export type ChannelKind = 'email' | 'webhook';

/** One delivery try and its result; the ledger stores one row per call. */
export interface DeliveryRecord {
  /** Same for every try of one message on one channel. */
  readonly deliveryId: string;
  readonly job: string;
  readonly kind: MessageKind;
  /** Occurrence the message is about (for a summary: the latest one summarised). */
  readonly occurrenceId: string;
  readonly runId: string | null;
  readonly channel: ChannelKind;
  /** Where it went, safe to show: recipients, or a webhook's host and format (never its path). */
  readonly target: string;
  readonly try: number;
  readonly tries: number;
  readonly ok: boolean;
  /** True when no further try follows (success, permanent error or tries exhausted). */
  readonly final: boolean;
  /** HTTP status, or the SMTP reply code, when one was received. */
  readonly status: number | null;
  /** Redacted. */
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** How many events the message summarises (1 for a single event). */
  readonly events: number;
}

/** Pino-compatible: `logger.info({ fields }, 'message')`. */
export interface NotifyLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export interface NotifyRetryOptions {
  /** Tries per delivery, including the first. */
  readonly tries?: number;
  readonly baseMs?: number;
  readonly capMs?: number;
}

export interface NotifierOptions {
  readonly jobs: readonly JobConfig[];
  readonly smtp: SmtpConfig | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dashboardUrl: string | null;
  readonly clock: Clock;
  readonly logger?: NotifyLogger;
  /** Extra values to redact from every message and log line. */
  readonly secrets?: readonly string[];
  readonly record?: (delivery: DeliveryRecord) => Promise<void>;
  /** Failures of a job within this span after one was sent are summarised (default 15 min). */
  readonly aggregationWindowMs?: number;
  readonly retry?: NotifyRetryOptions;
  /** Real-time bound on one SMTP or HTTP exchange (default 15 s). */
  readonly requestTimeoutMs?: number;
}

export interface Notifier extends AsyncDisposable {
  /** Hand over an event. Never throws, never waits: delivery happens in the background. */
  notify(event: NotificationEvent): void;
  /** Wait for deliveries in flight (including retries); open aggregation windows stay open. */
  idle(): Promise<void>;
  /**
   * Send every pending summary now (closing the open aggregation windows) and wait for all
   * deliveries in flight. For shutdown and tests.
   */
  flush(): Promise<void>;
}
