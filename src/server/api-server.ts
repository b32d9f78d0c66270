import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { explainOccurrence } from '../app/why.js';
import { compileJob } from '../app/compose.js';
import type { Config } from '../config/types.js';
import { ShipclockError } from '../errors/shipclock-error.js';
import { createMetrics } from '../metrics/metrics.js';
import type { Clock } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Store } from '../store/types.js';
import { pause, resume, triggerJob } from './action-routes.js';
import { type ApiContext, findJob } from './api-context.js';
import { type AccessRules, checkAccess, checkBrowserOrigin, TOKEN_ENV } from './auth.js';
import { DASHBOARD_HTML } from './dashboard-page.js';
import { EventStreams } from './event-stream.js';
import { HttpProblem, readJsonBody, sendJson as sendRawJson, sendProblem, sendText } from './http-problem.js';
import { isLoopback } from './listen-address.js';
import { streamLog } from './log-stream.js';
import { getOccurrence, listOccurrences } from './occurrence-routes.js';
import { jobView } from './job-view.js';
import { isoInstant } from './request-values.js';
import { apiRedactor, redactDeep } from './redaction.js';

export interface ApiServerOptions {
  readonly config: Config;
  readonly store: Store;
  /** The in-process scheduler (`run --http`), or null (`serve`: actions go through the store). */
  readonly scheduler: Scheduler | null;
  readonly clock: Clock;
  /** From SHIPCLOCK_API_TOKEN only (never from a config file); null when unset. */
  readonly token: string | null;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
}

export interface ApiServer extends AsyncDisposable {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The HTTP API, the dashboard and /metrics on node:http. Refuses to start beyond loopback
 * without a token; see auth.ts for the rules every request goes through.
 */
export async function createApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const token = opts.token === null || opts.token === '' ? null : opts.token;
  const loopback = isLoopback(opts.host);
  if (!loopback && token === null) {
    throw new ShipclockError(
      'E_HTTP_TOKEN_REQUIRED',
      `refusing to serve the API on ${opts.host}, which is reachable from other machines, without a token; set ${TOKEN_ENV} or bind to 127.0.0.1`,
      { exitCode: 2 },
    );
  }
  const rules: AccessRules = { token, loopback };
  const ctx: ApiContext = { config: opts.config, store: opts.store, scheduler: opts.scheduler, clock: opts.clock };
  const redactor = apiRedactor(opts.config, token);
  const streams = new EventStreams(opts.scheduler?.events ?? null, opts.store, (v) => redactDeep(v, redactor));
  const metrics = createMetrics({ store: opts.store, clock: opts.clock, events: opts.scheduler?.events ?? null });

  const server = createServer((req, res) => {
    handle(ctx, rules, streams, metrics, (v) => redactDeep(v, redactor), req, res).catch((error: unknown) => {
      const problem =
        error instanceof HttpProblem ? error : new HttpProblem(500, 'E_HTTP_INTERNAL', 'internal error; see the server log', {});
      if (!(error instanceof HttpProblem)) process.emitWarning(`shipclock api: ${error instanceof Error ? error.stack : String(error)}`);
      if (res.headersSent) return void res.end();
      sendProblem(res, problem, problem.status === 401 ? { 'www-authenticate': 'Bearer realm="shipclock"' } : {});
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      metrics.close();
      const why = error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EACCES' ? 'permission denied' : (error.code ?? error.message);
      reject(new ShipclockError('E_HTTP_LISTEN', `cannot listen on ${opts.host}:${opts.port}: ${why}; choose another address with --http HOST:PORT`, { cause: error, exitCode: 2 }));
    });
    server.listen(opts.port, opts.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    streams.close();
    metrics.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return { url: `http://${hostPart}:${address.port}`, host: address.address, port: address.port, close, [Symbol.asyncDispose]: close };
}

type Route = (m: RegExpExecArray, q: URLSearchParams, req: IncomingMessage, res: ServerResponse) => Promise<void>;

async function handle(
  ctx: ApiContext,
  rules: AccessRules,
  streams: EventStreams,
  metrics: ReturnType<typeof createMetrics>,
  clean: <T>(value: T) => T,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const sendJson = (r: ServerResponse, status: number, body: unknown): void => sendRawJson(r, status, clean(body));
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const action = method !== 'GET' && method !== 'HEAD';
  checkBrowserOrigin(req, rules, action);

  // The page itself holds no data (it fetches everything through the API with the token), and a
  // health check must work for a load balancer: both are open. Everything else follows the rules.
  const path = url.pathname;
  if (method === 'GET' && (path === '/' || /^\/runs\/[^/]+$/.test(path))) {
    return sendText(res, 200, 'text/html; charset=utf-8', DASHBOARD_HTML, {
      'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    });
  }
  if (method === 'GET' && path === '/healthz') return sendRawJson(res, 200, { ok: true });
  checkAccess(req, rules, action);
  if (action && req.headers['content-type'] !== undefined && !/^application\/json\b/i.test(req.headers['content-type'])) {
    throw new HttpProblem(415, 'E_HTTP_MEDIA_TYPE', `actions take a JSON body, not ${req.headers['content-type']}`, { allowed: 'application/json' });
  }

  const get: [RegExp, Route][] = [
    [/^\/api\/jobs$/, async () => sendJson(res, 200, { jobs: await Promise.all(ctx.config.jobs.map((j) => jobView(ctx.store, j, ctx.clock.now()))) })],
    [/^\/api\/occurrences$/, async (_m, q) => sendJson(res, 200, await listOccurrences(ctx, q))],
    [/^\/api\/occurrences\/([^/]+)$/, async (m) => sendJson(res, 200, await getOccurrence(ctx, decode(m[1]!)))],
    [/^\/api\/occurrences\/([^/]+)\/log$/, async (m, q) => streamLog(ctx, req, res, decode(m[1]!), q)],
    [/^\/api\/why$/, async (_m, q) => sendJson(res, 200, await why(ctx, q))],
    [/^\/api\/events$/, async () => streams.open(req, res)],
    [/^\/metrics$/, async () => sendText(res, 200, metrics.contentType, await metrics.scrape())],
  ];
  const post: [RegExp, Route][] = [
    [/^\/api\/jobs\/([^/]+)\/trigger$/, async (m) => sendJson(res, 202, await triggerJob(ctx, decode(m[1]!), await readJsonBody(req)))],
    [/^\/api\/jobs\/([^/]+)\/pause$/, async (m) => sendJson(res, 200, await pause(ctx, decode(m[1]!), await readJsonBody(req)))],
    [/^\/api\/jobs\/([^/]+)\/resume$/, async (m) => sendJson(res, 200, await resume(ctx, decode(m[1]!), await readJsonBody(req)))],
  ];
  const table = method === 'GET' ? get : method === 'POST' ? post : null;
  for (const [re, route] of table ?? []) {
    const m = re.exec(path);
    if (m) return route(m, url.searchParams, req, res);
  }
  const known = [...get, ...post].some(([re]) => re.test(path));
  if (known) throw new HttpProblem(405, 'E_HTTP_METHOD', `${method} is not allowed on ${path}`, { allowed: get.some(([re]) => re.test(path)) ? 'GET' : 'POST' });
  throw new HttpProblem(404, 'E_HTTP_NOT_FOUND', `nothing at ${path}`);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpProblem(400, 'E_HTTP_BAD_PATH', `bad escape in ${JSON.stringify(segment)}`);
  }
}

async function why(ctx: ApiContext, q: URLSearchParams) {
  const name = q.get('job');
  if (!name) throw new HttpProblem(400, 'E_HTTP_BAD_INPUT', 'job is required', { field: 'job', allowed: ctx.config.jobs.map((j) => j.name).join(', ') });
  const job = findJob(ctx, name);
  const at = isoInstant('time', q.get('time') ?? undefined);
  if (at === undefined) throw new HttpProblem(400, 'E_HTTP_BAD_INPUT', 'time is required', { field: 'time', allowed: 'an ISO-8601 instant with an offset' });
  return explainOccurrence(ctx.store, job, job.schedule === null ? null : compileJob(job), at);
}
