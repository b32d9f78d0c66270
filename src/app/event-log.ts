import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { ShipclockError } from '../errors/shipclock-error.js';
import type { SchedulerEmitter } from '../scheduler/events.js';

/** Structured JSON log of everything the scheduler does, in `<state>/shipclock.log`. */
export function createFileLogger(stateDir: string): Logger {
  try {
    mkdirSync(stateDir, { recursive: true });
  } catch (cause) {
    throw new ShipclockError(
      'E_STATE_DIR',
      `cannot create the state directory ${stateDir}: ${cause instanceof Error ? cause.message : String(cause)}\n  choose a writable folder with --state DIR (or SHIPCLOCK_STATE)`,
      { cause, exitCode: 2 },
    );
  }
  return pino(
    { base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: join(stateDir, 'shipclock.log'), sync: true, mkdir: true }),
  );
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Mirrors scheduler events into the structured log. Returns a function that detaches it. */
export function logEvents(events: SchedulerEmitter, log: Logger): () => void {
  const offs = [
    events.on('scheduler:started', (e) => log.info(e, 'scheduler started')),
    events.on('scheduler:stopped', (e) => log.info(e, 'scheduler stopped')),
    events.on('occurrence:recorded', ({ occurrence: o }) =>
      log.info({ job: o.job, nominal: iso(o.nominalMs), state: o.state, kind: o.kind, trigger: o.trigger, reason: o.reason, id: o.id }, 'occurrence recorded'),
    ),
    events.on('occurrence:settled', ({ occurrence: o }) =>
      log.info({ job: o.job, nominal: iso(o.nominalMs), state: o.state, reason: o.reason, id: o.id }, 'occurrence settled'),
    ),
    events.on('run:started', ({ occurrence: o, runId, lateMs }) =>
      log.info({ job: o.job, nominal: iso(o.nominalMs), runId, lateMs, fence: o.fence, id: o.id }, 'run started'),
    ),
    events.on('run:attempt', ({ occurrence: o, attempt: a }) =>
      log.info(
        { job: o.job, runId: o.runId, attempt: a.number, outcome: a.outcome, errorClass: a.errorClass, message: a.message, handle: a.handle?.id, log: a.logPath },
        'attempt finished',
      ),
    ),
    events.on('run:retrying', ({ occurrence: o, attempt, delayMs, errorClass }) =>
      log.warn({ job: o.job, runId: o.runId, attempt, delayMs, errorClass }, 'retrying'),
    ),
    events.on('run:finished', ({ occurrence: o, result }) =>
      log.info(
        { job: o.job, nominal: iso(o.nominalMs), runId: o.runId, outcome: result.outcome, attempts: result.attempts.length, ms: result.endedAt - result.startedAt },
        'run finished',
      ),
    ),
    events.on('clock:jump', (e) => log.warn(e, e.correction ? 'clock correction' : 'clock jump')),
    events.on('warning', (e) => log.warn(e, e.message)),
    events.on('store:error', ({ error, retryInMs, failures }) =>
      log.error({ err: error, ...(retryInMs !== undefined ? { retryInMs, failures } : {}) }, retryInMs !== undefined ? `store error; retrying in ${retryInMs} ms` : 'store error'),
    ),
  ];
  return () => offs.forEach((off) => off());
}
