/**
 * Deploy windows (DESIGN.md §6): `allow` and `deny` entries, each opening at every fire of a
 * schedule (in its timezone) and staying open for its duration. A moment is allowed when it is
 * inside some allow window (if the job has any) and inside no deny window. Pure: every answer
 * depends on the instant passed in, so `status`, `why` and the scheduler agree.
 */
import { formatInZone, parseSchedule } from '../calendar/index.js';
import type { Schedule } from '../calendar/types.js';
import type { DeployWindowConfig, JobConfig } from '../config/types.js';

/** One opening of a window: [startMs, endMs). */
export interface WindowInstance {
  readonly window: DeployWindowConfig;
  /** How messages name the window, e.g. `deny "0 17 * * fri" for 64h (UTC)`. */
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface WindowExplanation {
  readonly allowed: boolean;
  /** The window that decided: the deny that is open, the allow that is open, or (outside every allow) the next allow to open. */
  readonly decidedBy: WindowInstance | null;
  readonly reason: string;
  /** Earliest allowed moment at or after the instant; null when none within the search horizon. */
  readonly nextAllowedMs: number | null;
}

/** nextAllowed gives up after this many hops or this far ahead (a deny that never ends). */
const MAX_HOPS = 1_000;
const HORIZON_MS = 400 * 86_400_000;

const hours = (ms: number): string => {
  const h = ms / 3_600_000;
  return Number.isInteger(h) ? `${h}h` : `${Math.round(ms / 60_000)}m`;
};

export function windowLabel(w: DeployWindowConfig): string {
  return w.name ? `${w.kind} window "${w.name}"` : `${w.kind} "${w.schedule}" for ${hours(w.durationMs)} (${w.timezone})`;
}

export class DeployWindows {
  private readonly entries: readonly { readonly config: DeployWindowConfig; readonly schedule: Schedule; readonly label: string }[];

  constructor(windows: readonly DeployWindowConfig[]) {
    this.entries = windows.map((config) => ({ config, schedule: parseSchedule(config.schedule, { timezone: config.timezone }), label: windowLabel(config) }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every window open at `t` (windowsAt). */
  at(t: number): WindowInstance[] {
    const out: WindowInstance[] = [];
    for (const e of this.entries) {
      // The latest opening at or before t is the only one that can still be open: an earlier
      // opening has the same duration and so ends no later.
      const start = e.schedule.prevMs(t + 1);
      if (start !== null && t < start + e.config.durationMs) out.push({ window: e.config, label: e.label, startMs: start, endMs: start + e.config.durationMs });
    }
    return out;
  }

  allowed(t: number): boolean {
    const open = this.at(t);
    if (open.some((w) => w.window.kind === 'deny')) return false;
    return !this.hasAllow() || open.some((w) => w.window.kind === 'allow');
  }

  /**
   * Earliest allowed moment ≥ t. Hops from the end of the open deny windows and to the next
   * opening of an allow window, never minute by minute; null when none within 400 days.
   */
  nextAllowed(t: number): number | null {
    let c = t;
    for (let hop = 0; hop < MAX_HOPS && c <= t + HORIZON_MS; hop++) {
      const open = this.at(c);
      const denies = open.filter((w) => w.window.kind === 'deny');
      if (denies.length > 0) {
        c = Math.max(...denies.map((w) => w.endMs));
        continue;
      }
      if (this.hasAllow() && !open.some((w) => w.window.kind === 'allow')) {
        const next = this.nextAllowOpening(c);
        if (next === null) return null;
        c = next.startMs;
        continue;
      }
      return c;
    }
    return null;
  }

  /** Whether `t` is allowed, which window decided, and when the next allowed moment is. */
  explain(t: number): WindowExplanation {
    const open = this.at(t);
    const denies = open.filter((w) => w.window.kind === 'deny');
    const allowed = this.allowed(t);
    const nextAllowedMs = allowed ? t : this.nextAllowed(t);
    const fmt = (ms: number, w: DeployWindowConfig): string => formatInZone(new Date(ms), w.timezone);
    if (denies.length > 0) {
      const last = denies.reduce((a, b) => (b.endMs > a.endMs ? b : a));
      return { allowed, decidedBy: last, nextAllowedMs, reason: `inside ${last.label}, open ${fmt(last.startMs, last.window)} → ${fmt(last.endMs, last.window)}` };
    }
    const allow = open.find((w) => w.window.kind === 'allow');
    if (allow) return { allowed, decidedBy: allow, nextAllowedMs, reason: `inside ${allow.label}, open ${fmt(allow.startMs, allow.window)} → ${fmt(allow.endMs, allow.window)}` };
    if (!this.hasAllow()) return { allowed, decidedBy: null, nextAllowedMs, reason: this.size ? 'no deny window is open' : 'the job has no deploy windows' };
    const next = this.nextAllowOpening(t);
    return {
      allowed,
      decidedBy: next,
      nextAllowedMs,
      reason: `outside every allow window${next ? `; the next to open is ${next.label} at ${fmt(next.startMs, next.window)}` : ''}`,
    };
  }

  private hasAllow(): boolean {
    return this.entries.some((e) => e.config.kind === 'allow');
  }

  /** The allow window whose next opening after `t` comes first. */
  private nextAllowOpening(t: number): WindowInstance | null {
    let best: WindowInstance | null = null;
    for (const e of this.entries) {
      if (e.config.kind !== 'allow') continue;
      const start = e.schedule.nextMs(t);
      if (start !== null && (best === null || start < best.startMs)) best = { window: e.config, label: e.label, startMs: start, endMs: start + e.config.durationMs };
    }
    return best;
  }
}

const compiled = new WeakMap<readonly DeployWindowConfig[], DeployWindows>();

/** The job's windows, compiled once per config object; null when it has none. */
export function windowsOf(job: JobConfig): DeployWindows | null {
  const list = job.windows;
  if (!list || list.length === 0) return null;
  let w = compiled.get(list);
  if (!w) compiled.set(list, (w = new DeployWindows(list)));
  return w;
}

export interface EffectiveNext {
  /** The nominal time that will deploy. */
  readonly nominalMs: number;
  /** When it deploys: its due time, or the moment a window lets it. */
  readonly atMs: number;
  /** Why it is later than its due time (the window that holds it), or null. */
  readonly heldBy: string | null;
}

/**
 * The next deploy the schedule and the windows allow together (for `status`): the first fire
 * whose next allowed moment falls within catch_up_window of its due time; a later fire that
 * comes due before that moment stands for it (it supersedes the held one). Bounded: at most
 * 10 000 fires or 400 days ahead.
 */
export function effectiveNext(job: JobConfig, schedule: Schedule, fromMs: number, due: (nominalMs: number) => number): EffectiveNext | null {
  const windows = windowsOf(job);
  let n = 0;
  for (let f = schedule.nextMs(fromMs); f !== null && n < 10_000 && f <= fromMs + HORIZON_MS; f = schedule.nextMs(f), n++) {
    const d = due(f);
    if (!windows) return { nominalMs: f, atMs: d, heldBy: null };
    const allowed = windows.nextAllowed(d);
    if (allowed === null || allowed > d + job.catchUp.windowMs) continue;
    if (allowed === d) return { nominalMs: f, atMs: d, heldBy: null };
    let nominal = f;
    for (let g = schedule.nextMs(f); g !== null && due(g) <= allowed; g = schedule.nextMs(g)) nominal = g;
    return { nominalMs: nominal, atMs: allowed, heldBy: nominal === f || due(nominal) < allowed ? windows.explain(d).reason : null };
  }
  return null;
}
