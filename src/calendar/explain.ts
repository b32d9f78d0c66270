import { OnceSchedule } from './once-schedule.js';
import { CronSchedule, type FireKind } from './cron-schedule.js';
import { formatInZone, formatLocal, formatOffset } from './format-in-zone.js';
import { IntervalSchedule, durationWords } from './interval-schedule.js';
import type { Schedule } from './types.js';
import { zoneRules } from './zone-rules.js';

export interface ExplainedFire {
  /** ISO-8601 with the zone's offset. */
  readonly time: string;
  readonly utc: string;
  readonly offset: string;
  readonly fireKind: FireKind;
}

export interface ExplainedTransition {
  /** The instant of the change, shown in the zone's new offset. */
  readonly at: string;
  readonly utc: string;
  readonly from: string;
  readonly to: string;
  readonly kind: 'gap' | 'repeat';
  /** Whether any fire time of this schedule falls in the skipped or repeated local times. */
  readonly affects: boolean;
  readonly effect: string;
}

export interface Explanation {
  readonly kind: 'cron' | 'interval' | 'once';
  readonly source: string;
  readonly timezone: string;
  readonly wallClock: boolean;
  readonly compiled: Record<string, unknown>;
  readonly description: string;
  readonly next: ExplainedFire[];
  readonly dstTransitions: ExplainedTransition[];
}

const YEAR_SECONDS = 366 * 86400;

/** Everything `shipclock explain` shows, as plain JSON-able data. Pure: `from` is an argument. */
export function explainSchedule(schedule: Schedule, opts: { from: Date; count?: number }): Explanation {
  const tz = schedule.timezone;
  const fromMs = opts.from.getTime();
  const next: ExplainedFire[] = [];
  let t = fromMs;
  for (let i = 0; i < (opts.count ?? 5); i++) {
    const n = schedule.nextMs(t);
    if (n === null) break;
    const offsetSec = zoneRules(tz).offsetAt(Math.floor(n / 1000));
    next.push({
      time: formatInZone(n, tz),
      utc: new Date(n).toISOString().replace('.000Z', 'Z'),
      offset: formatOffset(offsetSec),
      fireKind: schedule instanceof CronSchedule ? schedule.fireKind(n) : 'normal',
    });
    t = n;
  }
  const fromSec = Math.floor(fromMs / 1000);
  const dstTransitions = zoneRules(tz)
    .transitionsBetween(fromSec, fromSec + YEAR_SECONDS)
    .map((tr) => {
      const kind = tr.after > tr.before ? 'gap' : 'repeat';
      const { affects, effect } = transitionEffect(schedule, tr.at, tr.before, tr.after);
      return {
        at: formatInZone(tr.at * 1000, tz),
        utc: new Date(tr.at * 1000).toISOString().replace('.000Z', 'Z'),
        from: formatOffset(tr.before),
        to: formatOffset(tr.after),
        kind,
        affects,
        effect,
      } as const;
    });
  let compiled: Record<string, unknown>;
  if (schedule instanceof CronSchedule) {
    compiled = { ...schedule.fields, wallClock: schedule.wallClock, dst: schedule.policy };
  } else if (schedule instanceof OnceSchedule) {
    compiled = { at: formatInZone(schedule.atMs, tz) };
  } else {
    const iv = schedule as IntervalSchedule;
    compiled = { intervalMs: iv.intervalMs, offsetMs: iv.offsetMs, every: durationWords(iv.intervalMs), alignment: 'Unix epoch' };
  }
  return {
    kind: schedule.kind,
    source: schedule.source,
    timezone: tz,
    wallClock: schedule.wallClock,
    compiled,
    description: schedule.describe(),
    next,
    dstTransitions,
  };
}

const hm = (local: number) => formatLocal(local).slice(11, 16);
const date = (local: number) => formatLocal(local).slice(0, 10);

/** Matching local times in [from, to), at most `cap` of them. */
function matchesIn(s: CronSchedule, from: number, to: number, cap: number): number[] {
  const out: number[] = [];
  for (let l = s.nextLocal(from, 99999); l === l && l < to && out.length < cap; l = s.nextLocal(l + 1, 99999)) out.push(l);
  return out;
}

function transitionEffect(s: Schedule, at: number, before: number, after: number): { affects: boolean; effect: string } {
  const gap = after > before;
  const lo = at + Math.min(before, after);
  const hi = at + Math.max(before, after);
  const change = gap
    ? `clocks jump from ${hm(at + before)} to ${hm(at + after)} on ${date(at + before)}`
    : `clocks fall back from ${hm(at + before)} to ${hm(at + after)} on ${date(at + after)}`;
  if (s instanceof OnceSchedule) return { affects: false, effect: `${change}; a one-shot time is an instant, not affected` };
  if (!(s instanceof CronSchedule)) {
    return { affects: false, effect: `${change}; an interval follows real elapsed time, so it is not affected` };
  }
  const hits = matchesIn(s, lo, hi, 5000);
  if (hits.length === 0) return { affects: false, effect: `${change}; no fire time falls in the ${gap ? 'skipped' : 'repeated'} local times, not affected` };
  const shown = hits.slice(0, 3).map(hm).join(', ') + (hits.length > 3 ? ` and ${hits.length >= 5000 ? 'many' : hits.length - 3} more` : '');
  if (gap) {
    if (!s.wallClock) return { affects: true, effect: `${change}; ${shown} do${hits.length === 1 ? 'es' : ''} not exist and do${hits.length === 1 ? 'es' : ''} not run (the job follows real time: nothing runs in a gap)` };
    if (s.policy.gap === 'skip') return { affects: true, effect: `${change}; ${shown} does not exist and is skipped that day (dst.gap: skip)` };
    return { affects: true, effect: `${change}; ${shown} does not exist, so the job runs once at ${hm(at + after)} right after the jump (shifted by DST gap)` };
  }
  if (!s.wallClock) return { affects: true, effect: `${change}; ${shown} occur${hits.length === 1 ? 's' : ''} twice and the job runs at both passes (wildcard minute or hour)` };
  if (s.policy.repeat === 'both') return { affects: true, effect: `${change}; ${shown} occurs twice and the job runs at both passes (dst.repeat: both)` };
  return { affects: true, effect: `${change}; ${shown} occurs twice but the job runs once, at the first pass (${formatOffset(before)})` };
}

/** The explanation as text for a terminal. */
export function formatExplain(e: Explanation): string {
  const lines: string[] = [];
  lines.push(`schedule     ${e.source}`);
  lines.push(`timezone     ${e.timezone}`);
  if (e.kind === 'cron') {
    const c = e.compiled as { expression: string; seconds: number[]; minutes: number[]; hours: number[]; daysOfMonth: string[]; months: number[]; daysOfWeek: string[]; dayRule: string; dst: { gap: string; repeat: string } };
    lines.push(`compiled     cron "${c.expression}" (${e.wallClock ? 'wall-clock job: runs once at repeated times, right after gaps' : 'wildcard job: follows real time through DST'})`);
    lines.push(`  seconds    ${c.seconds.join(',')}`);
    lines.push(`  minutes    ${c.minutes.join(',')}`);
    lines.push(`  hours      ${c.hours.join(',')}`);
    lines.push(`  days       ${c.daysOfMonth.join(',') || '-'}`);
    lines.push(`  months     ${c.months.join(',')}`);
    lines.push(`  weekdays   ${c.daysOfWeek.join(',') || '-'}  (0 = Sunday)`);
    lines.push(`  day rule   ${c.dayRule === 'or' ? 'a day matches if EITHER day field matches (both restricted)' : 'a day must match BOTH day fields (one starts with * or is ?)'}`);
  } else if (e.kind === 'once') {
    lines.push(`compiled     one fire at ${(e.compiled as { at: string }).at}`);
  } else {
    const c = e.compiled as { intervalMs: number; offsetMs: number };
    lines.push(`compiled     interval of ${c.intervalMs} ms, aligned to the Unix epoch${c.offsetMs ? ` plus ${c.offsetMs} ms` : ''}`);
  }
  lines.push(`meaning      ${e.description}`);
  lines.push(`next ${e.next.length}`);
  for (const f of e.next) {
    const note = f.fireKind === 'normal' ? '' : `  ${f.fireKind === 'gap-catchup' ? 'shifted by DST gap' : f.fireKind === 'repeat-wildcard' ? 'second pass of a repeated hour' : 'second pass (dst.repeat: both)'}`;
    lines.push(`  ${f.time}  (UTC ${f.utc})${note}`);
  }
  const affecting = e.dstTransitions.filter((t) => t.affects);
  lines.push(`DST changes in the next year: ${e.dstTransitions.length}${e.dstTransitions.length ? `, ${affecting.length} affecting this schedule` : ''}`);
  for (const t of e.dstTransitions) lines.push(`  ${t.at}  ${t.kind} ${t.from} -> ${t.to}: ${t.effect}`);
  return `${lines.join('\n')}\n`;
}
