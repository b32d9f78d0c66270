import type { Config, JobConfig } from '../config/types.js';
import { timingHash } from '../scheduler/timing-hash.js';

export interface ConfigDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly { readonly job: string; readonly fields: readonly string[]; readonly timing: boolean }[];
  /** Top-level settings that only take effect after a restart (store, state dir). */
  readonly needsRestart: readonly string[];
}

const IGNORED: ReadonlySet<string> = new Set(['source']);

/** What a reload would change, job by job and field by field (values are not shown: they may be secrets). */
export function diffConfigs(before: Config, after: Config): ConfigDiff {
  const old = new Map(before.jobs.map((j) => [j.name, j]));
  const neu = new Map(after.jobs.map((j) => [j.name, j]));
  const changed = [];
  for (const [name, b] of neu) {
    const a = old.get(name);
    if (!a) continue;
    const fields = (Object.keys({ ...a, ...b }) as (keyof JobConfig)[]).filter(
      (k) => !IGNORED.has(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]),
    );
    if (fields.length) changed.push({ job: name, fields, timing: timingHash(a) !== timingHash(b) });
  }
  const needsRestart: string[] = [];
  if (before.stateDir !== after.stateDir) needsRestart.push('state_dir');
  if (JSON.stringify(before.store) !== JSON.stringify(after.store)) needsRestart.push('store');
  return {
    added: [...neu.keys()].filter((n) => !old.has(n)),
    removed: [...old.keys()].filter((n) => !neu.has(n)),
    changed,
    needsRestart,
  };
}

export function isEmptyDiff(d: ConfigDiff): boolean {
  return d.added.length + d.removed.length + d.changed.length + d.needsRestart.length === 0;
}

export function formatDiff(d: ConfigDiff): string {
  const lines: string[] = [];
  for (const n of d.added) lines.push(`  + job ${n}`);
  for (const n of d.removed) lines.push(`  - job ${n} (its pending times are cancelled; a running deploy finishes)`);
  for (const c of d.changed) {
    lines.push(`  ~ job ${c.job}: ${c.fields.join(', ')}${c.timing ? ' (timing changed: applies from now)' : ' (no timing change: nothing fires)'}`);
  }
  for (const k of d.needsRestart) lines.push(`  ! ${k} changed: takes effect after a restart`);
  return lines.join('\n');
}
