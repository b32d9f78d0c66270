/**
 * What Cloud Run's revision and service objects say about the revision THIS deploy created.
 * Pure. Success: the revision is Ready and the service serves it (traffic, or its tag when
 * deployed without traffic).
 */
import type { PollResult } from './types.js';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
export interface RunRevision {
  metadata?: { name?: string };
  status?: { conditions?: Condition[] };
}
export interface RunService {
  status?: {
    latestCreatedRevisionName?: string;
    url?: string;
    traffic?: { revisionName?: string; percent?: number; tag?: string; url?: string }[];
  };
}

export interface RunHandleFacts {
  readonly revision: string;
  /** Deployed with --no-traffic: serving means reachable through this tag. */
  readonly noTraffic: boolean;
  readonly tag?: string;
}

export function readyOf(rev: RunRevision): Condition | undefined {
  return rev.status?.conditions?.find((c) => c.type === 'Ready');
}

export function cloudRunOutcome(rev: RunRevision, svc: RunService, f: RunHandleFacts): PollResult {
  const ready = readyOf(rev);
  if (ready?.status === 'False') {
    return { state: 'failed', errorClass: 'unhealthy', message: `revision ${f.revision} is not ready: ${ready.reason ?? ''} ${ready.message ?? ''}`.trim() };
  }
  if (ready?.status !== 'True') return { state: 'pending', message: `revision ${f.revision} is ${ready?.reason ?? 'deploying'}` };
  const traffic = svc.status?.traffic ?? [];
  const serving = f.noTraffic
    ? f.tag === undefined || traffic.some((t) => t.revisionName === f.revision && t.tag === f.tag)
    : traffic.some((t) => t.revisionName === f.revision && (t.percent ?? 0) > 0);
  if (serving) {
    const share = traffic.filter((t) => t.revisionName === f.revision).reduce((n, t) => n + (t.percent ?? 0), 0);
    return { state: 'succeeded', message: `revision ${f.revision} is Ready and serving (${share}% of traffic${f.tag ? `, tag ${f.tag}` : ''})` };
  }
  if (svc.status?.latestCreatedRevisionName && svc.status.latestCreatedRevisionName !== f.revision) {
    return { state: 'failed', errorClass: 'conflict', message: `revision ${svc.status.latestCreatedRevisionName} was deployed after ${f.revision} before it took traffic` };
  }
  return { state: 'pending', message: `revision ${f.revision} is Ready; waiting for traffic to move to it` };
}
