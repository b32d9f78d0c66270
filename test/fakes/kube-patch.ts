/**
 * The patch forms kubectl sends for our commands, applied the way the API server would:
 * strategic merge patch (`set image`, client-side `apply`'s three-way patch) and JSON patch
 * (`rollout undo`). The strategic merge follows the apimachinery rules for the fields a
 * Deployment has: maps merge, `null` deletes, lists of objects merge by their patch merge key
 * (containers by `name`, ports by `containerPort`, …), other lists are replaced, and the
 * directives `$patch`, `$setElementOrder/…`, `$retainKeys` and `$deleteFromPrimitiveList/…`
 * are honoured. An unknown directive throws, as the real server answers 400 for it.
 */
export type Json = Record<string, unknown>;

/** patchMergeKey of the list fields a Deployment holds (k8s.io/api struct tags). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  conditions: 'type',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

export class PatchError extends Error {
  readonly code = 'KUBE_PATCH_INVALID';
}

const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns the patched copy of `target` (which is left alone). */
export function strategicMerge(target: Json, patch: Json): Json {
  return mergeMap(structuredClone(target), patch);
}

function mergeMap(target: Json, patch: Json): Json {
  const directive = patch['$patch'];
  if (directive === 'replace') return Object.fromEntries(Object.entries(patch).filter(([k]) => k !== '$patch'));
  if (directive !== undefined && directive !== 'merge') throw new PatchError(`unsupported $patch "${String(directive)}" in a map`);
  const orders: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    if (key === '$retainKeys') {
      const keep = new Set([...(value as string[]), ...Object.keys(patch)]);
      for (const k of Object.keys(target)) if (!keep.has(k)) delete target[k];
      continue;
    }
    if (key.startsWith('$setElementOrder/')) {
      orders[key.slice('$setElementOrder/'.length)] = value as unknown[];
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const gone = new Set(value as unknown[]);
      if (Array.isArray(target[field])) target[field] = (target[field] as unknown[]).filter((x) => !gone.has(x));
      continue;
    }
    if (key.startsWith('$')) throw new PatchError(`unknown strategic merge patch directive "${key}"`);
    if (value === null) {
      delete target[key];
    } else if (isMap(value)) {
      if (value['$patch'] === 'delete') delete target[key];
      else target[key] = mergeMap(isMap(target[key]) ? target[key] : {}, value);
    } else if (Array.isArray(value) && MERGE_KEYS[key] !== undefined && value.every(isMap)) {
      target[key] = mergeList(Array.isArray(target[key]) ? (target[key] as Json[]) : [], value, MERGE_KEYS[key]);
    } else {
      target[key] = structuredClone(value);
    }
  }
  for (const [field, order] of Object.entries(orders)) {
    const list = target[field];
    if (Array.isArray(list)) target[field] = reorder(list, order, MERGE_KEYS[field]);
  }
  return target;
}

function mergeList(target: Json[], patch: Json[], key: string): Json[] {
  if (patch.some((p) => p['$patch'] === 'replace')) return patch.filter((p) => p['$patch'] !== 'replace');
  const out = target.map((t) => structuredClone(t));
  for (const item of patch) {
    const at = out.findIndex((t) => t[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) {
      out[at] = mergeMap(out[at] ?? {}, item);
    } else {
      out.push(mergeMap({}, item));
    }
  }
  return out;
}

/** `$setElementOrder`: the listed elements in that order, then any the patch did not list. */
function reorder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const id = (v: unknown): unknown => (key !== undefined && isMap(v) ? v[key] : v);
  const wanted = order.map(id);
  const listed = wanted.flatMap((w) => list.filter((x) => id(x) === w));
  return [...listed, ...list.filter((x) => !wanted.includes(id(x)))];
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

/** RFC 7386 JSON merge patch: maps merge, `null` deletes, everything else (lists too) replaces. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return structuredClone(patch);
  const out: Json = isMap(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}
