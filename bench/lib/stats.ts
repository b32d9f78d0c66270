// Order statistics for the figures: nearest-rank percentiles, and the median across runs.

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Spread {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? Number.NaN };
}

export function median(values: readonly number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** "12.3x" (how many times better shipclock is, for a lower-is-better figure). */
export function ratio(peer: number, ours: number): string {
  if (!Number.isFinite(peer) || !Number.isFinite(ours)) return 'n/a';
  if (ours <= 0) return peer <= 0 ? '1.0x' : '∞';
  const r = peer / ours;
  return r >= 100 ? `${Math.round(r)}x` : `${r.toFixed(r >= 10 ? 1 : 2)}x`;
}

export function fmt(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return 'n/a';
  return v.toFixed(digits);
}
