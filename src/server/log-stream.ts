import { open } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attempt } from '../store/types.js';
import { type ApiContext, findOccurrence } from './api-context.js';
import { HttpProblem, streamHeaders } from './http-problem.js';
import { wholeNumber } from './request-values.js';

/** How often a followed log is re-read when no in-process event says it grew (`serve`). */
const FOLLOW_POLL_MS = 500;

/**
 * GET /api/occurrences/:id/log?attempt=N — the attempt's log file (already redacted when it was
 * written). While the attempt runs the response stays open and follows the file: woken by the
 * scheduler's run:log events in-process, by a short poll otherwise, until the attempt ends.
 */
export async function streamLog(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, id: string, q: URLSearchParams): Promise<void> {
  const occ = await findOccurrence(ctx, id);
  const attempts = await ctx.store.listAttempts(occ.id);
  const wanted = wholeNumber('attempt', q.get('attempt'), 1, 10_000);
  const attempt = wanted === undefined ? attempts.at(-1) : attempts.find((a) => a.number === wanted);
  if (!attempt) {
    throw new HttpProblem(404, 'E_HTTP_NO_ATTEMPT', wanted === undefined ? `occurrence ${occ.id} has no attempts yet` : `occurrence ${occ.id} has no attempt ${wanted}`, {
      field: 'attempt',
      ...(wanted !== undefined ? { value: wanted } : {}),
      allowed: attempts.length ? attempts.map((a) => a.number).join(', ') : 'none yet',
    });
  }
  const path = safeLogPath(ctx, attempt);
  res.writeHead(200, { ...streamHeaders('text/plain; charset=utf-8'), 'x-shipclock-attempt': String(attempt.number) });

  let offset = 0;
  let chain: Promise<void> = Promise.resolve();
  const pump = (): Promise<void> => (chain = chain.then(async () => void (offset += await copyFrom(path, offset, res))));

  if (attempt.outcome !== null) {
    await pump();
    res.end();
    return;
  }

  await new Promise<void>((done) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      offs.forEach((off) => off());
      clearInterval(timer);
      void pump().finally(() => {
        if (!res.destroyed) res.end();
        done();
      });
    };
    const events = ctx.scheduler?.events;
    const mine = (o: { id: string }): boolean => o.id === occ.id;
    const offs = events
      ? [
          events.on('run:log', (e) => void (mine(e.occurrence) && e.attempt === attempt.number && pump())),
          events.on('run:attempt', (e) => void (mine(e.occurrence) && e.attempt.number === attempt.number && finish())),
          events.on('run:finished', (e) => void (mine(e.occurrence) && finish())),
        ]
      : [];
    // Another process may run it (`serve`), or an event may have fired before we subscribed.
    const timer = setInterval(() => void check(), FOLLOW_POLL_MS);
    timer.unref();
    const check = async (): Promise<void> => {
      await pump();
      const now = (await ctx.store.listAttempts(occ.id)).find((a) => a.number === attempt.number);
      if (!now || now.outcome !== null) finish();
    };
    req.on('close', finish);
    void check();
  });
}

/** The log path from the ledger, refused unless it lies inside the state dir's logs. */
function safeLogPath(ctx: ApiContext, attempt: Attempt): string {
  if (attempt.logPath === null) throw new HttpProblem(404, 'E_HTTP_NO_LOG', `attempt ${attempt.number} has no log file`);
  const root = resolve(ctx.config.stateDir) + sep;
  const path = resolve(attempt.logPath);
  if (!path.startsWith(root)) throw new HttpProblem(404, 'E_HTTP_NO_LOG', `attempt ${attempt.number}'s log is outside this state dir`);
  return path;
}

/** Writes the file's bytes from `offset` to its current end; returns how many were copied. */
async function copyFrom(path: string, offset: number, res: ServerResponse): Promise<number> {
  if (res.writableEnded || res.destroyed) return 0; // the client went away
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return 0; // not created yet: the attempt has not printed anything
  }
  try {
    let copied = 0;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, offset + copied);
      if (bytesRead === 0) return copied;
      if (res.writableEnded || res.destroyed) return copied;
      res.write(Buffer.from(buf.subarray(0, bytesRead)));
      copied += bytesRead;
    }
  } finally {
    await file.close();
  }
}
