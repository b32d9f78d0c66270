import { compileJob } from '../app/compose.js';
import { formatInZone } from '../calendar/index.js';
import type { JobConfig } from '../config/types.js';
import { jitterFor } from '../scheduler/jitter.js';
import { RAN_STATES, type Store } from '../store/types.js';

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/**
 * One job as the API shows it. Provider settings are never included: they may hold secrets
 * (tokens, passwords, connection strings), so only the kind and the target are shown.
 */
export async function jobView(store: Store, job: JobConfig, nowMs: number) {
  const rec = await store.getJob(job.name);
  const schedule = job.schedule === null ? null : compileJob(job);
  const nominal = schedule?.nextMs(Math.max(rec?.cursorMs ?? nowMs, nowMs)) ?? null;
  const next = nominal === null ? null : nominal + jitterFor(job.name, nominal, job.jitterMs);
  const last = await store.latest(job.name, RAN_STATES);
  const running = (await store.live(job.name)).find((o) => o.state === 'running') ?? null;
  return {
    name: job.name,
    description: job.description,
    schedule: job.schedule,
    schedule_words: schedule?.describe() ?? 'only when asked (no schedule)',
    timezone: job.timezone,
    next_time: iso(next),
    next_time_local: next === null ? null : formatInZone(new Date(next), job.timezone),
    provider: { kind: job.provider.kind },
    target: job.target,
    overlap: job.overlap,
    paused: rec?.paused ?? false,
    paused_note: rec?.pausedNote ?? null,
    paused_by: rec?.pausedBy ?? null,
    paused_until: iso(rec?.pausedUntilMs),
    last: last
      ? { id: last.id, state: last.state, nominal_time: iso(last.nominalMs), ended_at: iso(last.endedMs), reason: last.reason, error_class: last.errorClass }
      : null,
    running: running ? { id: running.id, run_id: running.runId, started_at: iso(running.startedMs), attempts: running.attempts } : null,
  };
}
