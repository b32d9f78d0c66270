import { createHash } from 'node:crypto';

/**
 * Deterministic start delay for (job, nominal time) in [0, jitterMs): every instance computes
 * the same value, so jitter spreads many jobs out without making instances disagree.
 */
export function jitterFor(job: string, nominalMs: number, jitterMs: number): number {
  if (jitterMs <= 0) return 0;
  const digest = createHash('sha256').update(`${job}\u0000${nominalMs}`).digest();
  // 48 bits is plenty of resolution for any jitter up to years.
  const r = digest.readUIntBE(0, 6) / 2 ** 48;
  return Math.floor(r * jitterMs);
}
