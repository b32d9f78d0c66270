import { jobLockKey, targetLockKey } from './pg-advisory.js';
import type { Query, Row } from './pg-session.js';
import { toOccurrence } from './rows.js';
import type { ClaimRequest, ClaimResult } from './types.js';

/**
 * pending → running with a new fence and a lease, inside the caller's transaction, with the
 * job-exclusive and target-lock checks made where no other instance can slip in between.
 */
export async function claimInTransaction(q: Query, req: ClaimRequest): Promise<ClaimResult> {
  // SKIP LOCKED: a row another transaction holds is being claimed or settled by someone
  // else right now, so it is not ours; refusing at once means a frozen instance (SIGSTOP
  // mid-claim) never stalls the others. Lock order is row, job key, target key: no cycles.
  const row = (await q('SELECT * FROM occurrences WHERE id = $1 FOR UPDATE SKIP LOCKED', [req.occurrenceId])).rows[0];
  if (!row) {
    const seen = (await q('SELECT * FROM occurrences WHERE id = $1', [req.occurrenceId])).rows[0];
    return { ok: false, reason: 'state', blocker: seen ? toOccurrence(seen) : null };
  }
  if (row.state !== 'pending') return { ok: false, reason: 'state', blocker: toOccurrence(row) };
  // The advisory locks wait (briefly, bounded by lock_timeout): the answer must be exact,
  // since a caller may record a skip on a 'job' or 'target' refusal.
  const liveOther = async (column: 'job' | 'target', value: unknown): Promise<Row | undefined> =>
    (
      await q(
        `SELECT * FROM occurrences WHERE ${column} = $1 AND id <> $2 AND state = 'running'
           AND (lease_until_ms IS NULL OR lease_until_ms >= $3) LIMIT 1`,
        [value, req.occurrenceId, req.nowMs],
      )
    ).rows[0];
  if (req.jobExclusive) {
    await q('SELECT pg_advisory_xact_lock($1, $2)', [...jobLockKey(String(row.job))]);
    const b = await liveOther('job', row.job);
    if (b) return { ok: false, reason: 'job', blocker: toOccurrence(b) };
  }
  if (req.targetLock) {
    await q('SELECT pg_advisory_xact_lock($1, $2)', [...targetLockKey(String(row.target))]);
    const b = await liveOther('target', row.target);
    if (b) return { ok: false, reason: 'target', blocker: toOccurrence(b) };
  }
  const { rows } = await q(
    `UPDATE occurrences SET state = 'running', fence = fence + 1, owner = $1, run_id = $2, lease_until_ms = $3,
       started_ms = COALESCE(started_ms, $4) WHERE id = $5 RETURNING *`,
    [req.owner, req.runId, req.nowMs + req.leaseMs, req.nowMs, req.occurrenceId],
  );
  return { ok: true, occurrence: toOccurrence(rows[0] as Row) };
}
