/**
 * The two patch forms kubectl sends for our commands, applied the way the API server would
 * for the fields involved: `set image` (strategic merge of containers by name, plus metadata
 * annotations) and `rollout undo` (a JSON patch replacing /spec/template and annotations).
 */
export type Json = Record<string, unknown>;

export function mergeContainers(target: any, patch: any): void {
  const annotations = patch?.metadata?.annotations;
  if (annotations) target.metadata.annotations = { ...target.metadata.annotations, ...annotations };
  const containers = patch?.spec?.template?.spec?.containers as { name: string; image?: string }[] | undefined;
  for (const c of containers ?? []) {
    const existing = target.spec.template.spec.containers.find((x: { name: string }) => x.name === c.name);
    if (existing && c.image) existing.image = c.image;
    else if (!existing) target.spec.template.spec.containers.push(c);
  }
  const replicas = patch?.spec?.replicas;
  if (typeof replicas === 'number') target.spec.replicas = replicas;
}

export function applyJsonPatch(target: any, ops: Json[]): void {
  for (const op of ops) {
    const path = String(op['path']).split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = path.pop();
    if (last === undefined) continue;
    let obj = target;
    for (const seg of path) obj = obj[seg] ??= {};
    if (op['op'] === 'remove') delete obj[last];
    else obj[last] = structuredClone(op['value']);
  }
}
