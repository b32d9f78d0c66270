import type { SchedulerEmitter } from '../scheduler/events.js';
import type { Occurrence } from '../store/types.js';
import type { Instruments } from './instruments.js';

/** Occurrence states that count as a skip for `shipclock_skipped_total`. */
const SKIP_STATES = new Set(['skipped_overlap']);

/**
 * Feeds the instruments from the scheduler's events (the same stream the terminal, the log and
 * the dashboard read). Returns the function that detaches it.
 */
export function collectSchedulerEvents(events: SchedulerEmitter, m: Instruments): () => void {
  const neverStarted = (o: Occurrence): void => {
    if (o.state === 'pending' || o.state === 'running') return;
    // A span row stands for many scheduled times (e.g. a long outage): count each time.
    const times = o.spanCount ?? 1;
    m.runs.inc({ job: o.job, state: o.state }, times);
    if (SKIP_STATES.has(o.state)) m.skipped.inc({ job: o.job }, times);
    if (o.state === 'missed') m.missed.inc({ job: o.job }, times);
  };

  const offs = [
    events.on('scheduler:started', () => m.up.set(1)),
    events.on('scheduler:stopped', () => m.up.set(0)),
    events.on('tick', (t) => void (m.ticks.lastMs = t.nowMs)),
    events.on('occurrence:recorded', ({ occurrence }) => neverStarted(occurrence)),
    events.on('occurrence:settled', ({ occurrence }) => neverStarted(occurrence)),
    events.on('run:started', ({ occurrence, lateMs }) => m.lateness.observe({ job: occurrence.job }, lateMs / 1000)),
    events.on('run:attempt', ({ occurrence, attempt }) => m.attempts.inc({ job: occurrence.job, outcome: attempt.outcome })),
    events.on('run:finished', ({ occurrence, result }) => {
      m.runs.inc({ job: occurrence.job, state: result.outcome });
      m.duration.observe({ job: occurrence.job }, (result.endedAt - result.startedAt) / 1000);
      if (result.outcome === 'timed_out') m.timedOut.inc({ job: occurrence.job });
    }),
  ];
  return () => offs.forEach((off) => off());
}
