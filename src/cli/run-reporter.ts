import type { SchedulerEmitter } from '../scheduler/events.js';
import { clean, humanDuration, paint, stateColor, useColor } from './format.js';
import type { CliIO } from './io.js';
import { ProgressLine } from './progress.js';

const time = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * One readable line per run (and per decision worth knowing) for the terminal; the structured
 * log carries the detail. On a terminal, a progress line (elapsed, attempt, last log line)
 * follows running deploys. Returns a function that detaches it.
 */
export function reportRuns(events: SchedulerEmitter, io: CliIO, now: () => number): () => void {
  const color = useColor(io);
  const progress = io.stdout.isTTY && io.env.TERM !== 'dumb' ? new ProgressLine(io.stdout, now, color) : null;
  const detachProgress = progress?.attach(events);
  const out = (job: string, text: string): void => {
    const write = (): unknown => io.stdout.write(`${time(now())}  ${job}  ${text}\n`);
    if (progress) progress.around(write);
    else write();
  };
  const warn = (text: string): void => {
    const write = (): unknown => io.stderr.write(text);
    if (progress) progress.around(write);
    else write();
  };
  const offs = [
    events.on('run:started', ({ occurrence: o, lateMs }) =>
      out(o.job, `started ${o.runId ?? ''} for ${time(o.nominalMs)}${lateMs > 1000 ? ` (${humanDuration(lateMs)} late)` : ''}${o.kind !== 'scheduled' ? ` [${o.kind}]` : ''}`),
    ),
    events.on('run:retrying', ({ occurrence: o, attempt, delayMs, errorClass }) =>
      out(o.job, paint(color, 'yellow', `attempt ${attempt - 1} failed (${errorClass}); retrying in ${humanDuration(delayMs)}`)),
    ),
    events.on('run:finished', ({ occurrence: o, result }) => {
      const last = result.attempts.at(-1);
      const handle = last?.handle ? ` (${last.handle.id})` : '';
      const why = result.outcome === 'succeeded' ? '' : `: ${clean(result.message ?? result.errorClass ?? '')}`;
      const n = result.attempts.length;
      out(
        o.job,
        `${paint(color, stateColor(result.outcome), result.outcome)} in ${humanDuration(result.endedAt - result.startedAt)}, ${n} attempt${n === 1 ? '' : 's'}${handle}${why}`,
      );
    }),
    events.on('occurrence:recorded', ({ occurrence: o }) => {
      if (o.state !== 'pending') out(o.job, `${paint(color, 'yellow', o.state)} ${time(o.nominalMs)}${o.spanCount ? ` (+${o.spanCount - 1} more)` : ''}: ${clean(o.reason ?? '')}`);
    }),
    events.on('occurrence:settled', ({ occurrence: o }) => out(o.job, `${paint(color, stateColor(o.state), o.state)} ${time(o.nominalMs)}: ${clean(o.reason ?? '')}`)),
    events.on('warning', (w) => warn(`shipclock: warning: ${w.message}\n`)),
    events.on('clock:jump', (j) => warn(`shipclock: warning: the wall clock moved by ${humanDuration(j.deltaMs)}${j.deltaMs < 0 ? ' backwards' : ''}\n`)),
  ];
  return () => {
    offs.forEach((off) => off());
    detachProgress?.();
  };
}
