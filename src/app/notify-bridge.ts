import { readFileSync } from 'node:fs';
import type { Config } from '../config/types.js';
import { createNotifier } from '../notify/index.js';
import type { NotificationEvent, NotificationEventType } from '../notify/index.js';
import type { Clock } from '../scheduler/clock.js';
import type { SchedulerEmitter } from '../scheduler/events.js';
import type { Occurrence, OccurrenceState, Store } from '../store/types.js';

/** Never-started states that are worth telling someone about, as notification events. */
const SETTLED: Partial<Record<OccurrenceState, NotificationEventType>> = {
  skipped_overlap: 'skipped',
  missed: 'missed',
  blocked_window: 'blocked',
  blocked_dependency: 'blocked',
  interrupted: 'interrupted',
};

const RAN: Partial<Record<string, NotificationEventType>> = {
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed_out',
  interrupted: 'interrupted',
};

/** The last lines of an attempt's log (the notifier redacts secrets before sending). */
function logTail(path: string | null | undefined, lines = 20): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines - 1).join('\n').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns scheduler events into notifications and records every delivery try in the ledger's
 * event log. Returns the function that flushes pending summaries and detaches.
 */
export function attachNotifier(
  config: Config,
  events: SchedulerEmitter,
  clock: Clock,
  env: Readonly<Record<string, string | undefined>>,
  store: Store,
): () => Promise<void> {
  if (!config.jobs.some((j) => j.notifications !== null)) return async () => undefined;
  const notifier = createNotifier({
    jobs: config.jobs,
    smtp: config.smtp,
    env,
    dashboardUrl: config.dashboardUrl,
    clock,
    record: async (d) => {
      await store.appendEvent({
        atMs: d.endedAt.getTime(),
        job: d.job,
        occurrenceId: d.occurrenceId,
        type: 'notification',
        data: { channel: d.channel, target: d.target, kind: d.kind, try: d.try, ok: d.ok, final: d.final, status: d.status, error: d.error },
      });
    },
  });
  const base = (o: Occurrence) => ({ job: o.job, nominalTime: new Date(o.nominalMs), occurrenceId: o.id, at: new Date(clock.now()) });
  const send = (e: NotificationEvent): void => notifier.notify(e);

  const offs = [
    events.on('run:finished', ({ occurrence: o, result }) => {
      const type = RAN[result.outcome];
      if (!type) return;
      const last = result.attempts.at(-1);
      send({
        ...base(o),
        type,
        ...(o.runId ? { runId: o.runId } : {}),
        attempts: result.attempts.length,
        errorClass: result.errorClass,
        message: result.message,
        durationMs: result.endedAt - result.startedAt,
        ...(type !== 'succeeded' ? { logExcerpt: logTail(last?.logPath) } : {}),
      } as NotificationEvent);
    }),
    events.on('occurrence:recorded', ({ occurrence: o }) => {
      const type = SETTLED[o.state];
      if (type) send({ ...base(o), type, reason: o.reason ?? o.state });
    }),
    events.on('occurrence:settled', ({ occurrence: o }) => {
      const type = SETTLED[o.state];
      if (type) send({ ...base(o), type, reason: o.reason ?? o.state });
    }),
    events.on('clock:jump', (j) =>
      send({
        type: 'clock_jump',
        job: '',
        nominalTime: new Date(j.toMs),
        occurrenceId: '',
        at: new Date(clock.now()),
        reason: `${j.correction ? 'clock correction' : 'clock jump'} of ${Math.round(j.deltaMs / 1000)}s`,
      }),
    ),
  ];
  return async () => {
    offs.forEach((off) => off());
    await notifier.flush();
    await notifier[Symbol.asyncDispose]();
  };
}
