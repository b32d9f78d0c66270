import { pauseJob, requestRun, resumeJob } from '../scheduler/operations.js';
import { type ApiContext, findJob } from './api-context.js';
import { badField } from './http-problem.js';
import { bool, isoInstant, onlyKeys, text } from './request-values.js';

/**
 * Operator actions over HTTP: the same operations as the CLI (scheduler/operations.ts), written
 * to the store so a scheduler in another process sees them; an in-process one is poked so a
 * trigger starts at once instead of at the next poll.
 */

const BY = 'api';

export async function triggerJob(ctx: ApiContext, name: string, body: Record<string, unknown>) {
  const job = findJob(ctx, name, 'name');
  onlyKeys(body, ['force', 'note']);
  const force = bool('force', body.force) ?? false;
  const note = text('note', body.note);
  const occ = await requestRun(ctx.store, job, { nowMs: ctx.clock.now(), by: BY, force, ...(note ? { note } : {}) });
  // Tell listeners (dashboard, SSE) now, before the scheduler's next pass starts it.
  ctx.scheduler?.events.emit('occurrence:recorded', { occurrence: occ });
  ctx.scheduler?.poke();
  return {
    job: job.name,
    occurrence_id: occ.id,
    nominal_time: new Date(occ.nominalMs).toISOString(),
    state: occ.state,
    force: occ.force,
    url: `/runs/${encodeURIComponent(occ.id)}`,
    scheduler_in_process: ctx.scheduler !== null,
  };
}

export async function pause(ctx: ApiContext, name: string, body: Record<string, unknown>) {
  const job = findJob(ctx, name, 'name');
  onlyKeys(body, ['note', 'until']);
  const note = text('note', body.note) ?? null;
  const untilMs = isoInstant('until', body.until) ?? null;
  const now = ctx.clock.now();
  if (untilMs !== null && untilMs <= now) throw badField('until', body.until, `an instant after now (${new Date(now).toISOString()})`);
  const rec = await pauseJob(ctx.store, job, { nowMs: now, by: BY, note, untilMs });
  ctx.scheduler?.poke();
  return { job: rec.name, paused: rec.paused, note: rec.pausedNote, by: rec.pausedBy, until: untilMs === null ? null : new Date(untilMs).toISOString() };
}

export async function resume(ctx: ApiContext, name: string, body: Record<string, unknown>) {
  const job = findJob(ctx, name, 'name');
  onlyKeys(body, ['catch_up']);
  const catchUp = bool('catch_up', body.catch_up) ?? false;
  const { job: rec, caughtUp } = await resumeJob(ctx.store, job, { nowMs: ctx.clock.now(), by: BY, catchUp });
  if (caughtUp) ctx.scheduler?.events.emit('occurrence:recorded', { occurrence: caughtUp });
  ctx.scheduler?.poke();
  return { job: rec.name, paused: rec.paused, catch_up_occurrence: caughtUp?.id ?? null };
}
