import { createHash } from 'node:crypto';

// Advisory lock keys, two int4 halves: a namespace for shipclock, and an id within it. Names are
// hashed to 32 bits; a collision only makes two unrelated claims wait for each other briefly.
const SPACE = 0x53434b00; // "SCK\0"

export type AdvisoryKey = readonly [number, number];

/** Held (session-level) while migrations run, so two instances starting together apply them once. */
export const MIGRATION_LOCK: AdvisoryKey = [SPACE, 1];

/** Serialises claims of one job, so two instances cannot both pass "no other live run of the job". */
export function jobLockKey(job: string): AdvisoryKey {
  return [SPACE + 2, hash32(job)];
}

/** Serialises claims of one target (the target lock across jobs and manual runs). */
export function targetLockKey(target: string): AdvisoryKey {
  return [SPACE + 3, hash32(target)];
}

function hash32(s: string): number {
  return createHash('sha256').update(s).digest().readInt32BE(0);
}
