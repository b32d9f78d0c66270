/**
 * Health check after a deploy: probe a URL until it answers with the expected status (default
 * any 2xx) or the deadline passes. Probes repeat because a restarted app takes a moment to
 * listen; a refused connection is "not yet", not "failed".
 *
 * Uses real time on purpose: it waits on a real server. It honours the run's abort signal, so
 * the runner's timeout (on its injected clock) still bounds it.
 */
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { HealthCheck } from './health-settings.js';

export type HealthResult =
  | { readonly healthy: true; readonly status: number; readonly probes: number }
  | { readonly healthy: false; readonly reason: string; readonly probes: number; readonly aborted: boolean };

/** Pause between probes. */
const PROBE_INTERVAL_MS = 100;

export async function waitForHealthy(check: HealthCheck, signal?: AbortSignal): Promise<HealthResult> {
  const deadline = Date.now() + check.timeoutMs;
  let probes = 0;
  let last = 'no answer';
  for (;;) {
    if (signal?.aborted) return { healthy: false, reason: `stopped while checking health (${last})`, probes, aborted: true };
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    probes++;
    const answer = await probe(check.url, remaining, signal);
    if ('status' in answer) {
      if (statusOk(answer.status, check.expectStatus)) return { healthy: true, status: answer.status, probes };
      last = `HTTP ${answer.status}`;
    } else if (!(answer.cutShort && probes > 1)) {
      // A probe cut short by the deadline says less than the answer before it: keep that.
      last = answer.error;
    }
    const pause = Math.min(PROBE_INTERVAL_MS, deadline - Date.now());
    if (pause > 0) await sleep(pause, signal);
  }
  return {
    healthy: false,
    reason: `${check.url} did not answer ${expected(check.expectStatus)} within ${check.timeoutMs} ms (last: ${last})`,
    probes,
    aborted: false,
  };
}

function statusOk(status: number, expect: readonly number[]): boolean {
  return expect.length === 0 ? status >= 200 && status < 300 : expect.includes(status);
}

function expected(expect: readonly number[]): string {
  return expect.length === 0 ? '2xx' : expect.join(' or ');
}

/** One GET; never throws. No connection pooling: a probe must not keep sockets alive. */
type ProbeAnswer = { readonly status: number } | { readonly error: string; readonly cutShort?: boolean };

function probe(url: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    let settled = false;
    const done = (v: ProbeAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const req = get(url, { agent: false, headers: { 'user-agent': 'shipclock-health' } }, (res: IncomingMessage) => {
      res.resume();
      done({ status: res.statusCode ?? 0 });
    });
    const onAbort = () => {
      req.destroy();
      done({ error: 'aborted' });
    };
    const timer = setTimeout(() => {
      req.destroy();
      done({ error: `no answer within ${timeoutMs} ms`, cutShort: true });
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(finish, ms);
    function finish() {
      clearTimeout(t);
      signal?.removeEventListener('abort', finish);
      resolve();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });
}
