/**
 * What a Deployment object says about the rollout of the generation this run produced. Pure.
 * The rules are kubectl's own rollout-status rules, applied to OUR generation: the controller
 * must have observed it, and a newer generation with other images than ours means we were
 * superseded (a newer generation with our images, e.g. a scale by an autoscaler, is fine).
 */
import type { PollResult } from './types.js';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
export interface DeploymentObject {
  kind?: string;
  metadata?: { name?: string; generation?: number };
  spec?: { replicas?: number; template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface KubeHandleFacts {
  readonly generation: number;
  /** Container name → image our generation runs (set image: the one container we changed). */
  readonly images?: Readonly<Record<string, string>>;
}

export function containerImages(d: DeploymentObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of d.spec?.template?.spec?.containers ?? []) if (c.name !== undefined && c.image !== undefined) out[c.name] = c.image;
  return out;
}

export type KubeOutcome = PollResult | { readonly state: 'deadline_exceeded'; readonly message: string };

export function kubeOutcome(d: DeploymentObject, facts: KubeHandleFacts): KubeOutcome {
  const generation = d.metadata?.generation ?? 0;
  if (generation > facts.generation && facts.images) {
    const now = containerImages(d);
    const changed = Object.keys(facts.images).filter((name) => now[name] !== facts.images?.[name]);
    if (changed.length > 0) {
      const what = changed.map((name) => `${name} is now ${now[name] ?? 'gone'}`).join(', ');
      return { state: 'failed', errorClass: 'conflict', message: `generation ${generation} replaced our generation ${facts.generation} (${what})` };
    }
  }
  const st = d.status ?? {};
  if ((st.observedGeneration ?? 0) < facts.generation) {
    return { state: 'pending', message: `waiting for the controller to observe generation ${facts.generation}` };
  }
  const progressing = st.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'deadline_exceeded', message: `progress deadline exceeded: ${progressing.message ?? ''}`.trim() };
  }
  const want = d.spec?.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  if (updated < want) return { state: 'pending', message: `${updated} of ${want} replicas updated` };
  if ((st.replicas ?? 0) > updated) return { state: 'pending', message: `${(st.replicas ?? 0) - updated} old replicas pending termination` };
  if ((st.availableReplicas ?? 0) < updated) return { state: 'pending', message: `${st.availableReplicas ?? 0} of ${updated} updated replicas available` };
  return { state: 'succeeded', message: `generation ${facts.generation} rolled out: ${updated}/${want} replicas updated and available` };
}
