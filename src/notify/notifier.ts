/**
 * The notifier the scheduler calls: decides what to send (policy, episodes), renders it per
 * channel and delivers it in the background with retries, recording every try. Nothing here
 * throws into the caller or makes it wait: a deploy's outcome never depends on delivery.
 */
import { randomUUID } from 'node:crypto';
import { createEmailChannel, type EmailChannel } from './email-channel.js';
import { EpisodeTracker } from './episodes.js';
import { eventMessage, summaryMessage, type Message, type MessageContext } from './message.js';
import { resolveNotifierOptions, type Route } from './options.js';
import { EVENT_TYPES, wants } from './policy.js';
import { renderEmail } from './render-email.js';
import { renderWebhook } from './render-webhook.js';
import { MAX_WAIT_MS, sendWithRetry, type TryReport } from './retry.js';
import type { SendResult } from './send-result.js';
import type { ChannelKind, DeliveryRecord, NotificationEvent, Notifier, NotifierOptions } from './types.js';
import { describeWebhook, postWebhook } from './webhook-channel.js';

export function createNotifier(options: NotifierOptions): Notifier {
  const r = resolveNotifierOptions(options);
  const { clock, logger, redact } = r;
  const tracker = new EpisodeTracker(r.windowMs);
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Per job and channel, deliveries go out in order: a "recovered" never overtakes its failure. */
  const chains = new Map<string, Promise<void>>();
  let email: EmailChannel | null = r.smtp ? createEmailChannel(r.smtp, r.smtpPassword, r.requestTimeoutMs) : null;
  let closed = false;

  const log = (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, msg: string): void => {
    try {
      logger[level](fields, redact(msg));
    } catch {
      // a broken logger must not break notifications
    }
  };

  const contextFor = (route: Route): MessageContext => ({ timeZone: route.timeZone, dashboardUrl: r.dashboardUrl, redact });

  function enqueue(key: string, task: () => Promise<void>): void {
    const next = (chains.get(key) ?? Promise.resolve()).then(task).catch((err: unknown) => {
      log('error', { key }, `notification delivery crashed: ${String(err)}`);
    });
    chains.set(key, next);
    inFlight.add(next);
    void next.then(() => {
      inFlight.delete(next);
      if (chains.get(key) === next) chains.delete(key);
    });
  }

  async function deliver(message: Message, channel: ChannelKind, target: string, send: () => Promise<SendResult>): Promise<void> {
    const deliveryId = randomUUID();
    const events = message.summary?.count ?? 1;
    const base = { job: message.job, kind: message.kind, channel, target, deliveryId };
    await sendWithRetry(send, r.retry, clock, async (t: TryReport) => {
      const error = t.result.ok ? null : { code: t.result.code, message: redact(t.result.message) };
      const fields = { ...base, try: t.try, tries: r.retry.tries, status: t.result.status, ...(error ? { code: error.code } : {}) };
      if (t.result.ok) log('info', fields, t.result.note ? `notification sent (${t.result.note})` : 'notification sent');
      else if (!t.final) log('warn', fields, `notification delivery failed, will retry: ${error?.message}`);
      else log('error', fields, `notification delivery failed, giving up: ${error?.message}`);
      if (!r.record) return;
      const record: DeliveryRecord = {
        ...base,
        occurrenceId: message.event.occurrenceId,
        runId: message.event.runId ?? null,
        try: t.try,
        tries: r.retry.tries,
        ok: t.result.ok,
        final: t.final,
        status: t.result.status,
        error,
        startedAt: new Date(t.startedAt),
        endedAt: new Date(t.endedAt),
        events,
      };
      try {
        await r.record(record);
      } catch (err) {
        log('warn', base, `could not record notification delivery: ${String(err)}`);
      }
    });
  }

  function dispatch(message: Message, route: Route): void {
    if (route.email.length > 0 && email) {
      const channel = email;
      const content = renderEmail(message);
      enqueue(`${route.key}\0email`, () => deliver(message, 'email', route.email.join(', '), () => channel.send(route.email, content)));
    }
    route.webhooks.forEach((hook, i) => {
      const payload = renderWebhook(hook.format, message);
      enqueue(`${route.key}\0webhook\0${i}`, () =>
        deliver(message, 'webhook', describeWebhook(hook), () => postWebhook(hook, payload, r.env, r.requestTimeoutMs)),
      );
    });
  }

  /** One timer per job with an open window; it sends the window's summary when it ends. */
  function ensureTimer(job: string, route: Route): void {
    if (timers.has(job)) return;
    const controller = new AbortController();
    const done = (async () => {
      try {
        for (;;) {
          const end = tracker.windowEnd(job);
          if (end === null || controller.signal.aborted) return;
          // Capped steps, re-checking the clock each time: it may jump either way.
          while (!controller.signal.aborted && !tracker.windowOver(job, clock.now())) {
            // Some clocks reject on abort rather than resolve; either way the loop ends.
            await clock.sleepUntil(Math.min(end, clock.now() + MAX_WAIT_MS), controller.signal).catch((err: unknown) => {
              if (!controller.signal.aborted) throw err;
            });
          }
          if (controller.signal.aborted) return;
          const summary = tracker.closeWindow(job, clock.now());
          if (summary) dispatch(summaryMessage(summary, contextFor(route)), route);
        }
      } catch (err) {
        log('error', { job }, `aggregation timer failed: ${String(err)}`);
      } finally {
        if (timers.get(job)?.controller === controller) timers.delete(job);
      }
    })();
    timers.set(job, { controller, done });
  }

  function stopTimer(job: string): void {
    timers.get(job)?.controller.abort();
    timers.delete(job);
  }

  function routeFor(event: NotificationEvent): Route | null {
    const route = r.routes.get(event.job);
    if (route) return route;
    return event.type === 'clock_jump' ? r.everyone : null;
  }

  function handle(event: NotificationEvent): void {
    const bad = checkEvent(event);
    if (bad) return log('warn', { job: (event as { job?: unknown })?.job }, `notification event ignored: ${bad}`);
    const route = routeFor(event);
    if (!route) return log('warn', { job: event.job, type: event.type }, 'notification event for an unknown job ignored');
    const n = route.notifications;
    const hasChannels = (route.email.length > 0 && email !== null) || route.webhooks.length > 0;
    const key = route.key;
    const decision = tracker.onEvent({ ...event, job: key }, clock.now(), hasChannels && (n?.onFailure ?? false));
    const ctx = contextFor(route);
    switch (decision.action) {
      case 'send':
        if (decision.kind === 'recovered') {
          if (decision.closedWindow) stopTimer(key);
          if (wants('recovered', n)) dispatch(eventMessage(event, ctx, decision.recovery), route);
        } else if (wants(event.type, n)) {
          dispatch(eventMessage(event, ctx), route);
          if (decision.kind === 'problem' && decision.windowEnd !== null) ensureTimer(key, route);
        }
        return;
      case 'aggregated':
        return log('info', { job: event.job, type: event.type }, 'notification aggregated into the next summary');
      case 'none':
        return;
    }
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  }

  async function flush(): Promise<void> {
    for (const job of [...timers.keys()]) stopTimer(job);
    for (const summary of tracker.closeAll()) {
      const route = summary.job === '*' ? r.everyone : r.routes.get(summary.job);
      if (route) dispatch(summaryMessage(summary, contextFor(route)), route);
    }
    await idle();
  }

  return {
    notify(event) {
      try {
        if (closed) return log('warn', {}, 'notification after shutdown ignored');
        handle(event);
      } catch (err) {
        log('error', {}, `notification failed: ${String(err)}`);
      }
    },
    idle,
    flush,
    async [Symbol.asyncDispose]() {
      if (closed) return;
      await flush();
      closed = true;
      await Promise.all([...timers.values()].map((t) => t.done));
      email?.close();
      email = null;
    },
  };
}

function checkEvent(e: NotificationEvent): string | null {
  if (typeof e !== 'object' || e === null) return 'not an object';
  if (!EVENT_TYPES.includes(e.type)) return `unknown type ${JSON.stringify(e.type)}`;
  if (typeof e.job !== 'string') return 'job must be a string';
  if (typeof e.occurrenceId !== 'string') return 'occurrenceId must be a string';
  if (!(e.nominalTime instanceof Date) || Number.isNaN(e.nominalTime.getTime())) return 'nominalTime must be a valid Date';
  if (!(e.at instanceof Date) || Number.isNaN(e.at.getTime())) return 'at must be a valid Date';
  return null;
}
