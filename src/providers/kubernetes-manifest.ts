/**
 * Reading what `kubectl … -o json` printed: one object, or a `List` of them when a manifest
 * holds several. Pure.
 */
import type { DeploymentObject } from './kubernetes-outcome.js';

interface KubeObject {
  kind?: string;
  metadata?: { name?: string };
}

function objects(out: unknown): KubeObject[] {
  if (!out || typeof out !== 'object') return [];
  const o = out as { kind?: string; items?: unknown };
  if (o.kind === 'List') return Array.isArray(o.items) ? o.items.filter((i): i is KubeObject => !!i && typeof i === 'object') : [];
  return [o as KubeObject];
}

/** The Deployment called `name` in kubectl's output, if any. */
export function deploymentIn(out: unknown, name: string): DeploymentObject | undefined {
  return objects(out).find((o) => o.kind === 'Deployment' && o.metadata?.name === name) as DeploymentObject | undefined;
}

/** `Deployment/api, Service/api` for messages; `nothing` for an empty manifest. */
export function describeObjects(out: unknown): string {
  const names = objects(out).map((o) => `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`);
  return names.length > 0 ? names.join(', ') : 'nothing';
}
