/** Shared pieces of the notify tests: job configs, a real HTTP webhook receiver, a log capture. */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JobConfig, NotificationsConfig } from '../../src/config/types.js';
import type { NotificationEvent, NotifyLogger } from '../../src/notify/index.js';

export function job(name: string, notifications: Partial<NotificationsConfig> | null, timezone = 'UTC'): JobConfig {
  return {
    name,
    schedule: '* * * * *',
    timezone,
    dst: { gap: 'shift', repeat: 'once' },
    offsetMs: 0,
    description: null,
    provider: { kind: 'shell', settings: {} },
    target: name,
    retry: { maxRetries: 0, baseMs: 1000, capMs: 1000 },
    timeoutMs: 60_000,
    overlap: 'skip',
    queueCap: 1,
    catchUp: { mode: 'latest', windowMs: 3_600_000, max: 1 },
    jitterMs: 0,
    notifications: notifications && { email: [], onSuccess: false, onFailure: true, webhooks: [], ...notifications },
  };
}

let seq = 0;
export function event(type: NotificationEvent['type'], jobName: string, nominalMs: number, extra: Partial<NotificationEvent> = {}): NotificationEvent {
  seq += 1;
  return { type, job: jobName, nominalTime: new Date(nominalMs), occurrenceId: `occ-${seq}`, runId: `run-${seq}`, at: new Date(nominalMs + 1000), ...extra };
}

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface Receiver extends AsyncDisposable {
  readonly url: string;
  readonly requests: Received[];
  /** Resolves when at least `n` requests have arrived. */
  waitFor(n: number): Promise<void>;
}

/** A real HTTP server on 127.0.0.1; `status(n)` picks the answer to the n-th request (1-based). */
export async function startReceiver(status: (n: number) => number = () => 200): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text: a test asserting on the shape will fail and show it
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.statusCode = status(requests.length);
      res.end();
      server.emit('received');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/secret-path-123`,
    requests,
    async waitFor(n) {
      while (requests.length < n) await once(server, 'received');
    },
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface CapturedLog extends NotifyLogger {
  readonly lines: { level: string; fields: Record<string, unknown>; msg: string }[];
  /** Every line as it would be written: message plus JSON fields. */
  text(): string;
}

export function captureLog(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => void lines.push({ level, fields, msg });
  return {
    lines,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => lines.map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.fields)}`).join('\n'),
  };
}
