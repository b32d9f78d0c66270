/**
 * The checks the fake API server makes on a Deployment write, a subset of the real ones:
 * - `fieldValidation=Strict` (what kubectl asks for when it leaves validation to the server):
 *   unknown fields in a Deployment, its spec and its containers (or in a ConfigMap) are a 400
 *   BadRequest ("strict decoding error"), the real server's answer;
 * - the validation a real server answers 422 Invalid for: the selector must match the template
 *   labels, and every container needs a name and an image.
 * Deeper fields (the rest of the pod spec) are not checked by the fake.
 */
export interface Refusal {
  readonly code: 400 | 422;
  readonly reason: 'BadRequest' | 'Invalid';
  readonly message: string;
  readonly causes?: readonly { reason: string; message: string; field: string }[];
}

const KNOWN: Readonly<Record<string, readonly string[]>> = {
  '': ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  configMap: ['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable'],
  spec: ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'],
  container: [
    'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy',
    'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath',
    'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
  ],
};

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fields = (o: unknown): string[] => (isMap(o) ? Object.keys(o).filter((k) => !k.startsWith('$')) : []);

/** Unknown fields in an object or a patch to one (directives are not fields). */
export function unknownFields(body: unknown, kind: 'Deployment' | 'ConfigMap'): string[] {
  const out: string[] = [];
  const check = (o: unknown, known: readonly string[], at: string): void => {
    for (const f of fields(o)) if (!known.includes(f)) out.push(`${at}${f}`);
  };
  if (kind === 'ConfigMap') {
    check(body, KNOWN['configMap'] ?? [], '');
    return out;
  }
  check(body, KNOWN[''] ?? [], '');
  const spec = isMap(body) ? body['spec'] : undefined;
  check(spec, KNOWN['spec'] ?? [], 'spec.');
  const template = isMap(spec) && isMap(spec['template']) ? spec['template'] : undefined;
  const podSpec = template && isMap(template['spec']) ? template['spec'] : undefined;
  const containers = podSpec && Array.isArray(podSpec['containers']) ? podSpec['containers'] : [];
  containers.forEach((c, i) => check(c, KNOWN['container'] ?? [], `spec.template.spec.containers[${i}].`));
  return out;
}

export function strictRefusal(body: unknown, kind: 'Deployment' | 'ConfigMap'): Refusal | undefined {
  const unknown = unknownFields(body, kind);
  if (unknown.length === 0) return undefined;
  return {
    code: 400,
    reason: 'BadRequest',
    message: `${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
  };
}

/** 422 Invalid for a Deployment that a real API server would refuse, else undefined. */
export function invalidDeployment(d: any): Refusal | undefined {
  const name = String(d?.metadata?.name ?? '');
  const causes: { reason: string; message: string; field: string }[] = [];
  const selector: Record<string, string> = d?.spec?.selector?.matchLabels ?? {};
  const labels: Record<string, string> = d?.spec?.template?.metadata?.labels ?? {};
  if (!d?.spec?.selector) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
  else if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: `selector` does not match template `labels`', field: 'spec.template.metadata.labels' });
  }
  const containers: any[] = d?.spec?.template?.spec?.containers ?? [];
  if (containers.length === 0) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers' });
  containers.forEach((c, i) => {
    for (const f of ['name', 'image']) {
      if (typeof c?.[f] !== 'string' || c[f] === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `spec.template.spec.containers[${i}].${f}` });
    }
  });
  if (causes.length === 0) return undefined;
  return {
    code: 422,
    reason: 'Invalid',
    message: `Deployment.apps "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    causes,
  };
}
