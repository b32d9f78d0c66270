import type { JobConfig } from '../config/types.js';
import type { Occurrence, Store } from '../store/types.js';
import type { Clock } from './clock.js';
import type { SchedulerEmitter } from './events.js';
import { checkGates } from './gates.js';

const iso = (ms: number | null): string => (ms === null ? '?' : new Date(ms).toISOString());

export type StartDecision =
  | { readonly action: 'start'; readonly jobExclusive: boolean; readonly targetLock: boolean }
  /** `untilMs`: when a deploy window opens or a dependency wait times out (a wake-up hint). */
  | { readonly action: 'wait'; readonly untilMs?: number }
  | { readonly action: 'settled' };

export interface OverlapDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: SchedulerEmitter;
  /** Ask an in-process run to stop (cancel_running). */
  readonly cancelRun: (occurrenceId: string) => void;
  /** Whether a job has a schedule (for same-time dependencies, gates.ts). */
  readonly isScheduled?: (job: string) => boolean;
  /** The job's live occurrences (default: store.live); the loop passes a snapshot it read for many jobs at once. */
  readonly live?: (job: string) => Promise<Occurrence[]>;
}

/**
 * Applies the job's overlap policy to a due occurrence while another run of the same job is
 * live (DESIGN.md §6). Catch-up and backfill runs queue behind each other instead of being
 * skipped, so they run in nominal order. `--force` bypasses overlap and the target lock.
 */
export async function decideStart(deps: OverlapDeps, job: JobConfig, occ: Occurrence): Promise<StartDecision> {
  if (occ.force) return { action: 'start', jobExclusive: false, targetLock: false };
  // Deploy windows and depends_on (gates.ts) hold or settle it before overlap is considered.
  const gate = await checkGates(deps, job, occ);
  if (gate.action !== 'open') return gate;
  if (job.overlap === 'allow') return { action: 'start', jobExclusive: false, targetLock: true };
  const live = await (deps.live ? deps.live(job.name) : deps.store.live(job.name));
  // A run taken over from a lost runner (claimed before: fence > 0) has already started once:
  // it waits for the job's running run like queued work. Skipping or superseding it would record
  // a never-started state over an attempt that ran (found by the chaos run, scripts/chaos).
  const queued = occ.trigger === 'catch_up' || occ.kind === 'backfill' || occ.fence > 0;
  const settle = async (state: 'skipped_overlap' | 'superseded', o: Occurrence, reason: string): Promise<void> => {
    const ok = await deps.store.settle(o.id, { state, reason, nowMs: deps.clock.now() });
    if (ok) {
      const settled = await deps.store.getOccurrence(o.id);
      if (settled) deps.events.emit('occurrence:settled', { occurrence: settled });
    }
  };
  if (job.overlap === 'queue_one' && !queued) {
    // Latest wins, also when the previous run ends just as a newer time comes due.
    const now = deps.clock.now();
    const newer = live.find((o) => o.state === 'pending' && o.id !== occ.id && !o.force && o.nominalMs > occ.nominalMs && o.dueMs <= now);
    if (newer) {
      await settle('superseded', occ, `overlap: queue_one; superseded by the occurrence for ${iso(newer.nominalMs)}`);
      return { action: 'settled' };
    }
  }
  const running = live.filter((o) => o.state === 'running' && o.id !== occ.id);
  if (running.length === 0) return { action: 'start', jobExclusive: true, targetLock: true };
  if (queued) return { action: 'wait' };
  // Catch-up and backfill runs never starve the schedule: a time that comes due on time while
  // one of them runs waits for it (and goes first after it) instead of being skipped.
  if (running.every((o) => o.trigger === 'catch_up' || o.kind === 'backfill')) return { action: 'wait' };

  const blocker = running[0]!;
  const stillRunning = `run ${blocker.runId ?? blocker.id} (for ${iso(blocker.nominalMs)}) was still running, started ${iso(blocker.startedMs)}`;
  switch (job.overlap) {
    case 'skip':
      await settle('skipped_overlap', occ, `overlap: skip; ${stillRunning}`);
      return { action: 'settled' };
    case 'queue_one': {
      // Latest wins: every older pending occurrence of the job gives way to this one.
      const pending = live.filter((o) => o.state === 'pending');
      const newest = pending.reduce((a, b) => (b.nominalMs > a.nominalMs ? b : a), occ);
      for (const o of pending) {
        if (o.id !== newest.id) await settle('superseded', o, `overlap: queue_one; superseded by the occurrence for ${iso(newest.nominalMs)}`);
      }
      return newest.id === occ.id ? { action: 'wait' } : { action: 'settled' };
    }
    case 'queue_all': {
      const queued = live.filter((o) => o.state === 'pending').sort((a, b) => a.nominalMs - b.nominalMs);
      const position = queued.findIndex((o) => o.id === occ.id);
      if (position >= job.queueCap) {
        await settle('skipped_overlap', occ, `overlap: queue_all; queue full (queue_cap ${job.queueCap}) while ${stillRunning}`);
        return { action: 'settled' };
      }
      return { action: 'wait' };
    }
    case 'cancel_running':
      for (const r of running) deps.cancelRun(r.id);
      return { action: 'wait' };
  }
}
