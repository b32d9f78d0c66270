import type { Schedule } from '../calendar/types.js';
import type { JobConfig } from '../config/types.js';
import type { Attempt, Occurrence, Store } from '../store/types.js';

const iso = (ms: number | null): string => (ms === null ? '?' : new Date(ms).toISOString());

export interface WhyAnswer {
  readonly job: string;
  readonly time: string;
  readonly due: boolean;
  readonly state: string | null;
  readonly occurrence_id: string | null;
  readonly text: string;
}

/**
 * "Why didn't it deploy at 02:00?" answered from the ledger: the occurrence for that time (or
 * the span row covering it), its state and reason, and each attempt; or, when there is no row,
 * whether the time was a fire time at all and why nothing was recorded.
 */
export async function explainOccurrence(store: Store, job: JobConfig, schedule: Schedule | null, atMs: number): Promise<WhyAnswer> {
  const occ = await store.findCovering(job.name, atMs);
  const isFire = schedule !== null && schedule.prevMs(atMs + 1) === atMs;
  const answer = (state: string | null, id: string | null, text: string): WhyAnswer => ({
    job: job.name,
    time: iso(atMs),
    due: isFire,
    state,
    occurrence_id: id,
    text,
  });
  if (occ) return answer(occ.state, occ.id, describe(occ, await store.listAttempts(occ.id), atMs));

  if (schedule === null) return answer(null, null, `${job.name} has no schedule; it deploys only when asked, and nothing was recorded at ${iso(atMs)}.`);
  if (!isFire) {
    const prev = schedule.prevMs(atMs);
    const next = schedule.nextMs(atMs);
    return answer(
      null,
      null,
      `${iso(atMs)} is not a fire time of ${job.name} (${schedule.describe()}, ${job.timezone}).\n` +
        `The nearest fire times are ${iso(prev)} before and ${iso(next)} after; ask about one of those.`,
    );
  }
  const rec = await store.getJob(job.name);
  if (!rec || rec.cursorMs < atMs) {
    return answer(null, null, `${iso(atMs)} is a fire time of ${job.name} that has not been decided yet: it is in the future, or no scheduler has run since it came due.`);
  }
  if (atMs < rec.createdMs) {
    return answer(null, null, `${iso(atMs)} is before ${job.name} was first registered (${iso(rec.createdMs)}); shipclock does not replay times from before a job existed.`);
  }
  return answer(
    null,
    null,
    `${iso(atMs)} was a fire time of ${job.name}, but the ledger has no row for it. The job's timing last changed at ${iso(rec.updatedMs)}` +
      '; times before a timing change are not replayed (timing changes apply from the moment they are made).',
  );
}

function describe(o: Occurrence, attempts: readonly Attempt[], atMs: number): string {
  const head =
    o.spanEndMs !== null
      ? `${iso(atMs)} belongs to a span of ${o.spanCount ?? 'many'} times (${iso(o.nominalMs)} … ${iso(o.spanEndMs)}) recorded together as ${o.state}.`
      : `${o.job} at ${iso(o.nominalMs)} (${o.kind}${o.trigger !== 'on_time' ? `, ${o.trigger}` : ''}): ${o.state}.`;
  const lines = [head];
  if (o.reason) lines.push(`Why: ${o.reason}.`);
  if (o.startedMs !== null) {
    lines.push(
      `Run ${o.runId ?? o.id} started ${iso(o.startedMs)} (${Math.max(0, Math.round((o.startedMs - o.dueMs) / 1000))}s after it was due)` +
        `${o.endedMs !== null && o.state !== 'running' ? `, ended ${iso(o.endedMs)}` : ''}; fence ${o.fence}.`,
    );
  }
  for (const a of attempts) {
    lines.push(
      `  attempt ${a.number}: ${a.outcome ?? 'running'}${a.errorClass ? ` (${a.errorClass})` : ''}` +
        `${a.message ? `: ${a.message}` : ''}${a.handleId ? ` [handle ${a.handleId}]` : ''}${a.logPath ? `\n    log: ${a.logPath}` : ''}`,
    );
  }
  if (o.requestedBy) lines.push(`Requested by ${o.requestedBy}.`);
  return lines.join('\n');
}
