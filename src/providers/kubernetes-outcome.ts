/**
 * What a Deployment object says about the rollout of the generation this run produced. Pure.
 * The rules are kubectl's own rollout-status rules, applied to OUR generation: the controller
 * must have observed it, and a newer generation with another image means we were superseded.
 */
import type { PollResult } from './types.js';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
export interface DeploymentObject {
  metadata?: { generation?: number };
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
  readonly container?: string;
  readonly image?: string;
}

export type KubeOutcome = PollResult | { readonly state: 'deadline_exceeded'; readonly message: string };

export function kubeOutcome(d: DeploymentObject, facts: KubeHandleFacts): KubeOutcome {
  const generation = d.metadata?.generation ?? 0;
  if (generation > facts.generation && facts.container && facts.image) {
    const now = d.spec?.template?.spec?.containers?.find((c) => c.name === facts.container)?.image;
    if (now !== facts.image) {
      return { state: 'failed', errorClass: 'conflict', message: `generation ${generation} replaced our generation ${facts.generation} (${facts.container} is now ${now ?? 'gone'})` };
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
