import type { OccurrenceFilter } from '../store/types.js';
import { type ApiContext, findJob, findOccurrence, occurrenceView } from './api-context.js';
import { badField } from './http-problem.js';
import { isoInstant, states, wholeNumber } from './request-values.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/**
 * Paging cursor: the nominal time of the last row served and how many rows at exactly that time
 * were already served (several jobs often share a fire time). Opaque to clients.
 */
interface Cursor {
  readonly n: number;
  readonly s: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string | null): Cursor | undefined {
  if (text === null || text === '') return undefined;
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (Number.isSafeInteger(c.n) && Number.isSafeInteger(c.s) && c.s >= 0) return c;
  } catch {
    // fall through to the 400 below
  }
  throw badField('cursor', text, 'the next_cursor value of a previous page');
}

/** GET /api/occurrences?job=&state=&from=&to=&limit=&cursor= — newest first, paged. */
export async function listOccurrences(ctx: ApiContext, q: URLSearchParams) {
  const job = q.get('job');
  if (job !== null && job !== '') findJob(ctx, job);
  const fromMs = isoInstant('from', q.get('from') ?? undefined);
  const toMs = isoInstant('to', q.get('to') ?? undefined);
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw badField('to', q.get('to'), `an instant after from (${q.get('from')})`);
  const limit = wholeNumber('limit', q.get('limit'), 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  const cursor = decodeCursor(q.get('cursor'));
  const stateList = states(q.get('state'));
  const upper = cursor ? Math.min(cursor.n + 1, toMs ?? Infinity) : toMs;
  const filter: OccurrenceFilter = {
    ...(job ? { job } : {}),
    ...(stateList ? { states: stateList } : {}),
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(upper !== undefined ? { toMs: upper } : {}),
    order: 'desc',
    limit: limit + 1 + (cursor?.s ?? 0),
  };
  const rows = (await ctx.store.listOccurrences(filter)).slice(cursor?.s ?? 0);
  const page = rows.slice(0, limit);
  const more = rows.length > limit;
  const last = page.at(-1);
  let next: string | null = null;
  if (more && last) {
    const sameTime = page.filter((o) => o.nominalMs === last.nominalMs).length;
    const carried = cursor && last.nominalMs === cursor.n ? cursor.s : 0;
    next = encodeCursor({ n: last.nominalMs, s: sameTime + carried });
  }
  // Attempts are listed on the occurrence itself; a list row carries only their count.
  return { occurrences: page.map((o) => withoutAttempts(occurrenceView(o))), next_cursor: next };
}

function withoutAttempts<T extends { attempts: unknown }>(view: T): Omit<T, 'attempts'> {
  const { attempts: _attempts, ...rest } = view;
  return rest;
}

/** GET /api/occurrences/:id — with its attempts. */
export async function getOccurrence(ctx: ApiContext, id: string) {
  const occ = await findOccurrence(ctx, id);
  return occurrenceView(occ, await ctx.store.listAttempts(occ.id));
}
