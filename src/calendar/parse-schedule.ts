import { InputError, type Problem } from '../errors/index.js';
import { CronSchedule } from './cron-schedule.js';
import { NICKNAMES, parseCron } from './cron-parse.js';
import { IntervalSchedule } from './interval-schedule.js';
import { OnceSchedule } from './once-schedule.js';
import { compilePhrase } from './phrases.js';
import { fail } from './problems.js';
import { checkTimezone, isValidTimezone } from './timezone.js';
import type { DstPolicy, Schedule, ScheduleOptions } from './types.js';
import { zoneRules } from './zone-rules.js';

/**
 * Parsed schedules are immutable, so the same (expression, options) can share one. Bounded, and
 * cleared when full: the schedules it held stay valid for whoever holds them, and it never
 * keeps more than CACHE_LIMIT alive on its own.
 */
const cache = new Map<string, Schedule>();
const CACHE_LIMIT = 2000;

/** The four valid DST policies, shared: one object per schedule would be 100,000 copies of four. */
const POLICIES = new Map<string, DstPolicy>();
function policyOf(gap: DstPolicy['gap'], repeat: DstPolicy['repeat']): DstPolicy {
  const key = `${gap}\u0000${repeat}`;
  let p = POLICIES.get(key);
  if (p === undefined) {
    p = Object.freeze({ gap, repeat });
    // Only valid policies are kept (checkOptions refuses the rest), so the map holds at most four.
    if ((gap === 'shift' || gap === 'skip') && (repeat === 'once' || repeat === 'both')) POLICIES.set(key, p);
  }
  return p;
}

/**
 * Parses any schedule form (cron, nickname, word, phrase, interval) into a Schedule.
 * Throws InputError with every problem found: codes `E_SCHEDULE_*` (with `col`, the 1-based
 * column of the bad part of `expr`) and `E_TIMEZONE`.
 */
export function parseSchedule(expr: string, options: ScheduleOptions = {}): Schedule {
  const timezone = options.timezone ?? 'UTC';
  const policy = policyOf(options.dst?.gap ?? 'shift', options.dst?.repeat ?? 'once');
  const offsetMs = options.offsetMs ?? 0;
  const hashKey = options.hashKey ?? '';
  // The `H` seed changes nothing for an expression without an H (any case, to stay safe), so
  // jobs that differ only in name share one schedule.
  const seed = typeof expr === 'string' && /h/i.test(expr) ? hashKey : '';
  const key = `${expr}\u0000${timezone}\u0000${policy.gap}\u0000${policy.repeat}\u0000${offsetMs}\u0000${seed}`;
  const hit = cache.get(key);
  if (hit) return hit;

  const problems: Problem[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  };
  collect(() => checkTimezone(timezone));
  collect(() => checkOptions(policy, offsetMs));
  let schedule: Schedule | undefined;
  // With a bad zone, still parse the expression (in UTC) so all its problems are reported too.
  const zoneOk = problems.length === 0 || isValidTimezone(timezone);
  collect(() => {
    schedule = build(expr, zoneOk ? timezone : 'UTC', policy, offsetMs, hashKey);
  });
  if (problems.length > 0 || !schedule) throw new InputError(problems);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, schedule);
  return schedule;
}

function checkOptions(policy: DstPolicy, offsetMs: number): void {
  if (policy.gap !== 'shift' && policy.gap !== 'skip') fail('E_SCHEDULE_OPTION', 1, String(policy.gap), 'unknown dst.gap policy', '"shift" or "skip"');
  if (policy.repeat !== 'once' && policy.repeat !== 'both') fail('E_SCHEDULE_OPTION', 1, String(policy.repeat), 'unknown dst.repeat policy', '"once" or "both"');
  if (!Number.isSafeInteger(offsetMs)) fail('E_SCHEDULE_OPTION', 1, String(offsetMs), 'the interval offset must be a whole number of milliseconds', 'an integer');
}

function build(expr: string, timezone: string, policy: DstPolicy, offsetMs: number, hashKey: string): Schedule {
  if (typeof expr !== 'string' || expr.trim() === '') {
    fail('E_SCHEDULE_EMPTY', 1, String(expr), 'the schedule is empty', 'a cron expression, a nickname such as @daily, a phrase such as "daily at 02:30", or an interval such as "*/6h"');
  }
  const text = expr.trim();
  let cronText: string;
  if (text.startsWith('@')) {
    const nick = NICKNAMES[text];
    if (nick === undefined) {
      const lower = text.toLowerCase();
      const near = Object.keys(NICKNAMES).find((n) => n === lower) ?? Object.keys(NICKNAMES).find((n) => editsAtMost1(n, lower));
      fail(
        'E_SCHEDULE_NICKNAME',
        expr.indexOf('@') + 1,
        text,
        `unknown nickname "${text}" (nicknames are lower-case)`,
        Object.keys(NICKNAMES).join(' '),
        near ? `did you mean "${near}"?` : undefined,
      );
    }
    cronText = nick;
  } else if (/^at\s/i.test(text)) {
    return onceAt(expr, text, timezone);
  } else {
    const compiled = compilePhrase(expr);
    if (compiled?.kind === 'interval') return new IntervalSchedule(expr, timezone, compiled.ms, offsetMs);
    cronText = compiled?.kind === 'cron' ? compiled.cron : expr;
  }
  const parsed = parseCron(cronText, hashKey);
  return new CronSchedule(expr, timezone, parsed.wallClock, policy, parsed.search, zoneRules(timezone));
}

/** `at 2026-05-01T10:00:00Z`: an ISO-8601 instant with an offset (a bare local time would be ambiguous). */
function onceAt(expr: string, text: string, timezone: string): Schedule {
  const iso = text.slice(2).trim();
  const col = expr.indexOf(iso) + 1;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(iso);
  const ms = m ? Date.parse(iso) : NaN;
  const real = m !== null && !Number.isNaN(ms) && new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).getUTCDate() === +m[3]! && +m[4]! < 24;
  if (!real) {
    fail('E_SCHEDULE_AT', col, iso, 'a one-shot schedule needs an ISO-8601 instant with an offset', 'at YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM), e.g. "at 2026-05-01T10:00:00Z"');
  }
  return new OnceSchedule(expr, timezone, ms);
}

function editsAtMost1(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}
