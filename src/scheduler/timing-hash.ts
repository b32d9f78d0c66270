import { createHash } from 'node:crypto';
import type { JobConfig } from '../config/types.js';

/**
 * Hash of the fields that decide *when* a job fires. Editing anything else (description,
 * notifications, provider settings) leaves it unchanged, so such edits never fire a run and
 * never move the job's cursor.
 */
export function timingHash(job: JobConfig): string {
  const timing = {
    schedule: job.schedule,
    timezone: job.timezone,
    dst: job.dst,
    offsetMs: job.offsetMs,
    jitterMs: job.jitterMs,
  };
  return createHash('sha256').update(JSON.stringify(timing)).digest('hex').slice(0, 16);
}
