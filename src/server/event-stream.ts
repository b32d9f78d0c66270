import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SchedulerEmitter, SchedulerEventName, SchedulerEvents } from '../scheduler/events.js';
import type { Occurrence, Store } from '../store/types.js';
import { occurrenceView } from './api-context.js';
import { streamHeaders } from './http-problem.js';

const HEARTBEAT_MS = 15_000;
/** Under `serve` (no scheduler here) the ledger is polled for changes this often. */
const LEDGER_POLL_MS = 2_000;

type Mapper<K extends SchedulerEventName> = (e: SchedulerEvents[K]) => unknown;

const brief = (o: Occurrence) => {
  const { attempts: _attempts, ...rest } = occurrenceView(o);
  return rest;
};

/**
 * What each scheduler event looks like on the wire. Only these are forwarded; errors are
 * reduced to a code, since a store error's message may carry a connection string.
 */
const MAPPERS: { [K in SchedulerEventName]?: Mapper<K> } = {
  'scheduler:started': (e) => ({ owner: e.owner, jobs: e.jobs }),
  'scheduler:stopped': (e) => ({ owner: e.owner }),
  tick: (e) => ({ now: new Date(e.nowMs).toISOString() }),
  'clock:jump': (e) => ({ from: new Date(e.fromMs).toISOString(), to: new Date(e.toMs).toISOString(), delta_ms: e.deltaMs, correction: e.correction }),
  'occurrence:recorded': (e) => ({ occurrence: brief(e.occurrence) }),
  'occurrence:settled': (e) => ({ occurrence: brief(e.occurrence) }),
  'run:started': (e) => ({ occurrence: brief(e.occurrence), run_id: e.runId, late_ms: e.lateMs }),
  'run:attempt': (e) => ({
    occurrence: brief(e.occurrence),
    attempt: { number: e.attempt.number, outcome: e.attempt.outcome, error_class: e.attempt.errorClass, message: e.attempt.message },
  }),
  'run:retrying': (e) => ({ occurrence: brief(e.occurrence), attempt: e.attempt, delay_ms: e.delayMs, error_class: e.errorClass }),
  'run:log': (e) => ({ id: e.occurrence.id, job: e.occurrence.job, attempt: e.attempt, line: e.line }),
  'run:finished': (e) => ({
    occurrence: brief(e.occurrence),
    outcome: e.result.outcome,
    attempts: e.result.attempts.length,
    duration_ms: e.result.endedAt - e.result.startedAt,
  }),
  'store:error': (e) => ({ code: (e.error as { code?: unknown } | null)?.code ?? 'unknown' }),
  warning: (e) => ({ code: e.code, message: e.message, job: e.job ?? null }),
};

/** Open SSE responses, so the server can end them on close. */
export class EventStreams {
  private readonly clients = new Set<ServerResponse>();
  private poller: NodeJS.Timeout | null = null;
  private seen = new Map<string, string>();
  private primed = false;

  constructor(
    private readonly events: SchedulerEmitter | null,
    private readonly store: Store,
    /** Applied to every payload before it is sent (secrets out). */
    private readonly clean: <T>(value: T) => T,
  ) {}

  /** GET /api/events: server-sent events, one per scheduler event (or ledger change). */
  open(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...streamHeaders('text/event-stream; charset=utf-8'), connection: 'keep-alive' });
    res.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify({ scheduler_in_process: this.events !== null })}\n\n`);
    const send = (name: string, data: unknown): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`event: ${name}\ndata: ${JSON.stringify(this.clean(data))}\n\n`);
    };
    const offs: (() => void)[] = [];
    if (this.events) {
      for (const [name, map] of Object.entries(MAPPERS) as [SchedulerEventName, Mapper<SchedulerEventName>][]) {
        offs.push(this.events.on(name, (e) => send(name, map(e))));
      }
    }
    const heartbeat = setInterval(() => void (res.destroyed || res.write(': ping\n\n')), HEARTBEAT_MS);
    heartbeat.unref();
    this.clients.add(res);
    if (!this.events) this.startPolling();
    req.on('close', () => {
      offs.forEach((off) => off());
      clearInterval(heartbeat);
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopPolling();
    });
  }

  close(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopPolling();
  }

  /** Without a scheduler here, changes come from the ledger: announce rows whose state moved. */
  private startPolling(): void {
    if (this.poller) return;
    const poll = async (): Promise<void> => {
      const rows = await this.store.listOccurrences({ limit: 200, order: 'desc' }).catch(() => []);
      const first = !this.primed;
      this.primed = true;
      for (const o of rows) {
        const sig = `${o.state}:${o.attempts}`;
        if (this.seen.get(o.id) === sig) continue;
        this.seen.set(o.id, sig);
        if (first) continue;
        for (const res of this.clients) if (!res.destroyed) res.write(`event: occurrence:changed\ndata: ${JSON.stringify(this.clean({ occurrence: brief(o) }))}\n\n`);
      }
    };
    void poll();
    this.poller = setInterval(() => void poll(), LEDGER_POLL_MS);
    this.poller.unref();
  }

  private stopPolling(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    this.seen = new Map();
    this.primed = false;
  }
}
