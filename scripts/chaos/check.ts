/**
 * The chaos checker: reads the ledger and the deploys' receipts and proves the guarantees of
 * issue 7, or lists exactly what broke them.
 *
 * - no occurrence started twice with a valid fence: an accepted start (the deploy's fence check
 *   passed) is a duplicate when the same (job, nominal time, fence, attempt) started before, or
 *   when a job that is not idempotent started a second time at all. An idempotent job started
 *   again with a higher fence is a takeover (a new attempt after lease expiry), counted apart.
 * - no two accepted runs of one target overlap in time (receipts: start → end).
 * - every nominal time in the window is in exactly one terminal state with a reason; a missing
 *   row, a row still pending/running, or one without a reason is an unexplained gap. A row
 *   recorded as never started (skipped, missed, …) must have no accepted start either.
 * - takeover delay after kill -9: from the kill to the `takeover` event for a run the killed
 *   process owned (its owner id carries the pid).
 */
import type { Occurrence, StoreEvent } from '../../src/store/types.js';

export interface Receipt {
  readonly ev: 'start' | 'end' | 'refused';
  readonly job: string;
  readonly nominal: string;
  readonly run: string;
  readonly fence: number;
  readonly attempt: number;
  readonly pid: number;
  readonly t: number;
}

export interface ChaosJob {
  readonly name: string;
  readonly intervalMs: number;
  readonly idempotent: boolean;
  readonly target: string;
}

export interface Fault {
  readonly type: 'kill' | 'stop' | 'db-restart' | 'clock-shift';
  readonly atMs: number;
  readonly pid?: number;
  readonly instance?: number;
  readonly durationMs?: number;
  readonly shiftMs?: number;
}

export interface CheckInput {
  readonly jobs: readonly ChaosJob[];
  /** Nominal times in [fromMs, toMs] are checked. */
  readonly window: { readonly fromMs: number; readonly toMs: number };
  readonly occurrences: readonly Occurrence[];
  readonly events: readonly StoreEvent[];
  readonly receipts: readonly Receipt[];
  readonly faults: readonly Fault[];
}

export interface ChaosReport {
  readonly ok: boolean;
  readonly occurrences: number;
  readonly states: Readonly<Record<string, number>>;
  readonly acceptedStarts: number;
  readonly refusedStaleStarts: number;
  readonly duplicates: number;
  readonly overlaps: number;
  readonly unexplainedGaps: number;
  readonly takeovers: number;
  readonly takeoverReruns: number;
  readonly killTakeoverDelaysMs: readonly number[];
  readonly maxTakeoverDelayMs: number | null;
  /** The delays with no database outage between the lease expiry and the takeover (nobody could sweep then). */
  readonly cleanKillTakeoverDelaysMs: readonly number[];
  /** Each takeover of a killed instance's run: when, by how long, and whether an outage was in the way. */
  readonly killTakeovers: readonly { readonly pid: number; readonly killAtMs: number; readonly takeoverAtMs: number; readonly job: string | null; readonly outage: boolean }[];
  readonly faults: Readonly<Record<string, number>>;
  /** The first few findings of each kind, for people. */
  readonly findings: readonly string[];
}

const TERMINAL_WITHOUT_RUN = new Set(['skipped_overlap', 'missed', 'coalesced', 'paused', 'blocked_window', 'blocked_dependency', 'superseded', 'skipped_dst_gap']);

export function checkChaos(input: CheckInput): ChaosReport {
  const findings: string[] = [];
  const note = (s: string): void => {
    if (findings.length < 40) findings.push(s);
  };
  const { fromMs, toMs } = input.window;
  const inWindow = (ms: number): boolean => ms >= fromMs && ms <= toMs;
  const jobs = new Map(input.jobs.map((j) => [j.name, j]));

  // Ledger rows in the window, by (job, nominal).
  const rows = new Map<string, Occurrence>();
  const spans: Occurrence[] = [];
  const states: Record<string, number> = {};
  for (const o of input.occurrences) {
    if (o.kind !== 'scheduled' || !jobs.has(o.job)) continue;
    if (o.spanEndMs !== null) spans.push(o);
    if (!inWindow(o.nominalMs)) continue;
    rows.set(`${o.job}@${o.nominalMs}`, o);
    states[o.state] = (states[o.state] ?? 0) + 1;
  }

  // 1. Duplicates.
  const starts = input.receipts.filter((r) => r.ev === 'start' && inWindow(Date.parse(r.nominal)));
  const byOccurrence = new Map<string, Receipt[]>();
  for (const r of starts) {
    const key = `${r.job}@${Date.parse(r.nominal)}`;
    byOccurrence.set(key, [...(byOccurrence.get(key) ?? []), r]);
  }
  let duplicates = 0;
  let takeoverReruns = 0;
  for (const [key, list] of byOccurrence) {
    const job = jobs.get(list[0]!.job);
    const seen = new Set<string>();
    for (const r of list) {
      const id = `${r.fence}/${r.attempt}`;
      if (seen.has(id)) {
        duplicates++;
        note(`duplicate: ${key} started twice with fence ${r.fence}, attempt ${r.attempt}`);
      }
      seen.add(id);
    }
    if (list.length > 1 && job && !job.idempotent) {
      duplicates += list.length - 1;
      note(`duplicate: ${key} (not idempotent) started ${list.length} times (fences ${list.map((r) => r.fence).join(', ')})`);
    } else if (list.length > 1) {
      takeoverReruns += new Set(list.map((r) => r.fence)).size - 1;
    }
    const row = rows.get(key);
    if (row && TERMINAL_WITHOUT_RUN.has(row.state)) {
      duplicates++;
      note(`started although recorded ${row.state}: ${key}`);
    }
  }

  // 2. Overlaps per target (accepted starts only; a start without an end counts as an instant).
  const ends = new Map<string, number>();
  for (const r of input.receipts) if (r.ev === 'end') ends.set(`${r.run}/${r.fence}/${r.attempt}/${r.pid}`, r.t);
  const byTarget = new Map<string, { start: number; end: number; what: string }[]>();
  for (const r of starts) {
    const target = jobs.get(r.job)?.target ?? r.job;
    const end = ends.get(`${r.run}/${r.fence}/${r.attempt}/${r.pid}`) ?? r.t;
    byTarget.set(target, [...(byTarget.get(target) ?? []), { start: r.t, end, what: `${r.job}@${r.nominal} fence ${r.fence}` }]);
  }
  let overlaps = 0;
  for (const [target, runs] of byTarget) {
    runs.sort((a, b) => a.start - b.start);
    let last: { start: number; end: number; what: string } | null = null;
    for (const run of runs) {
      if (last && run.start < last.end) {
        overlaps++;
        note(`overlap on target ${target}: ${run.what} started ${last.end - run.start} ms before ${last.what} ended`);
      }
      if (!last || run.end > last.end) last = run;
    }
  }

  // 3. Every nominal time in the window: one terminal row with a reason.
  let unexplainedGaps = 0;
  for (const job of input.jobs) {
    const first = Math.ceil(fromMs / job.intervalMs) * job.intervalMs;
    for (let t = first; t <= toMs; t += job.intervalMs) {
      const row = rows.get(`${job.name}@${t}`) ?? spans.find((s) => s.job === job.name && s.nominalMs <= t && (s.spanEndMs ?? s.nominalMs) >= t);
      const problem = !row
        ? 'no ledger row'
        : row.state === 'pending' || row.state === 'running'
          ? `still ${row.state}`
          : row.reason === null || row.reason === ''
            ? `${row.state} without a reason`
            : null;
      if (problem) {
        unexplainedGaps++;
        note(`gap: ${job.name} at ${new Date(t).toISOString()}: ${problem}`);
      }
    }
  }

  // 4. Takeovers and their delay after kill -9.
  const takeoverEvents = input.events.filter((e) => e.type === 'takeover');
  const kills = input.faults.filter((f) => f.type === 'kill' && f.pid !== undefined);
  const delays: number[] = [];
  const clean: number[] = [];
  const detail: { pid: number; killAtMs: number; takeoverAtMs: number; job: string | null; outage: boolean }[] = [];
  const outages = input.faults.filter((f) => f.type === 'db-restart');
  for (const kill of kills) {
    // A run of that process taken over before the kill was lost to an earlier stop, not to it.
    const mine = takeoverEvents.filter((e) => e.atMs >= kill.atMs && String(e.data?.['owner'] ?? '').includes(`:${kill.pid}:`));
    for (const e of mine) {
      delays.push(e.atMs - kill.atMs);
      // The lease expires 20–30 s after the kill (it was renewed 0–10 s before): an outage
      // from then until the takeover is what delays it.
      const overlapped = outages.some((o) => o.atMs < e.atMs && o.atMs + (o.durationMs ?? 0) > kill.atMs + 20_000);
      if (!overlapped) clean.push(e.atMs - kill.atMs);
      detail.push({ pid: kill.pid!, killAtMs: kill.atMs, takeoverAtMs: e.atMs, job: e.job, outage: overlapped });
    }
  }
  const faults: Record<string, number> = {};
  for (const f of input.faults) faults[f.type] = (faults[f.type] ?? 0) + 1;

  return {
    ok: duplicates === 0 && overlaps === 0 && unexplainedGaps === 0,
    occurrences: rows.size,
    states,
    acceptedStarts: starts.length,
    refusedStaleStarts: input.receipts.filter((r) => r.ev === 'refused').length,
    duplicates,
    overlaps,
    unexplainedGaps,
    takeovers: takeoverEvents.length,
    takeoverReruns,
    killTakeoverDelaysMs: delays,
    maxTakeoverDelayMs: delays.length > 0 ? Math.max(...delays) : null,
    cleanKillTakeoverDelaysMs: clean,
    killTakeovers: detail,
    faults,
    findings,
  };
}

export function formatReport(r: ChaosReport): string {
  const lines = [
    `occurrences checked      ${r.occurrences}  (${Object.entries(r.states).map(([s, n]) => `${s} ${n}`).join(', ')})`,
    `accepted starts          ${r.acceptedStarts}  (stale starts refused by the fence check: ${r.refusedStaleStarts})`,
    `duplicates               ${r.duplicates}`,
    `overlapping runs         ${r.overlaps}`,
    `unexplained gaps         ${r.unexplainedGaps}`,
    `takeovers                ${r.takeovers}  (re-run as a new attempt: ${r.takeoverReruns})`,
    `max takeover delay       ${r.maxTakeoverDelayMs === null ? 'n/a (no run was owned by a killed instance)' : `${(r.maxTakeoverDelayMs / 1000).toFixed(1)} s after kill -9`}` +
      (r.killTakeoverDelaysMs.length > 0 ? `  (all: ${r.killTakeoverDelaysMs.map((d) => (d / 1000).toFixed(1)).join(', ')} s)` : ''),
    `  without a db outage     ${r.cleanKillTakeoverDelaysMs.length > 0 ? `max ${(Math.max(...r.cleanKillTakeoverDelaysMs) / 1000).toFixed(1)} s (lease 30 s + heartbeat 10 s = 40 s bound)` : 'n/a'}`,
    `faults injected          ${Object.entries(r.faults).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
    `verdict                  ${r.ok ? 'PASS' : 'FAIL'}`,
  ];
  if (r.findings.length > 0) lines.push('findings:', ...r.findings.map((f) => `  - ${f}`));
  return `${lines.join('\n')}\n`;
}
