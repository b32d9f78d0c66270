/**
 * `kubernetes`: `kubectl set image deployment/NAME CONTAINER=IMAGE` (or `kubectl apply -f
 * manifest`), recording the Deployment's `metadata.generation` that change produced as the
 * handle; poll() runs `kubectl rollout status --timeout` and then decides from the Deployment
 * object itself for OUR generation (observedGeneration, conditions, replica counts).
 * `ProgressDeadlineExceeded` is `unhealthy`; with `rollback_on_failure`, `kubectl rollout undo`
 * runs and the outcome is `rolled_back`.
 */
import { z } from 'zod';
import { parseJson, runCli, type CliResult } from './cli-exec.js';
import { formatCommand } from './command-line.js';
import type { ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { kubectlError } from './kubectl-errors.js';
import { kubeOutcome, type DeploymentObject, type KubeHandleFacts } from './kubernetes-outcome.js';
import { localPath } from './local-path.js';
import { durationMs, nonEmpty } from './settings-schema.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from './types.js';

const KIND = 'kubernetes';
/** Kubernetes object names (DNS-1123): also keeps values from being read as kubectl flags. */
const k8sName = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, { message: 'a Kubernetes name: lowercase letters, digits, "-" and "."' });

export const kubernetesSettings = z
  .strictObject({
    deployment: k8sName,
    namespace: k8sName.default('default'),
    /** `set image` mode: the container to change and its new image. */
    container: k8sName.optional(),
    image: nonEmpty.optional(),
    /** `apply` mode: a manifest file or folder (must contain the Deployment named above). */
    manifest: nonEmpty.optional(),
    /** kubeconfig context and file; default: kubectl's own (KUBECONFIG, ~/.kube/config). */
    context: nonEmpty.optional(),
    kubeconfig: nonEmpty.optional(),
    /** How long one `kubectl rollout status` waits before poll() reports `pending`. */
    rollout_timeout: durationMs.default(600_000),
    /** Run `kubectl rollout undo` when the rollout fails its progress deadline. */
    rollback_on_failure: z.boolean().default(false),
    /** The kubectl executable. */
    kubectl: nonEmpty.default('kubectl'),
  })
  .superRefine((s, ctx) => {
    const setImage = s.container !== undefined || s.image !== undefined;
    if (setImage && s.manifest !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['manifest'], message: 'use either `container` + `image` (kubectl set image) or `manifest` (kubectl apply), not both' });
    } else if (!setImage && s.manifest === undefined) {
      ctx.addIssue({ code: 'custom', path: ['image'], message: 'set `container` and `image` (kubectl set image), or `manifest` (kubectl apply)' });
    } else if (setImage && (s.container === undefined || s.image === undefined)) {
      ctx.addIssue({ code: 'custom', path: [s.container === undefined ? 'container' : 'image'], message: '`container` and `image` go together' });
    }
  });
export type KubernetesSettings = z.output<typeof kubernetesSettings>;

export class KubernetesProvider implements Provider {
  readonly kind = KIND;
  constructor(private readonly s: KubernetesSettings) {}

  private base(): string[] {
    const a = ['--namespace', this.s.namespace];
    if (this.s.context) a.push('--context', this.s.context);
    if (this.s.kubeconfig) a.push('--kubeconfig', this.s.kubeconfig);
    return a;
  }

  private changeArgs(): string[] {
    const { container, image, manifest, deployment } = this.s;
    return manifest !== undefined
      ? [...this.base(), 'apply', '-f', manifest, '-o', 'json']
      : [...this.base(), 'set', 'image', `deployment/${deployment}`, `${container ?? ''}=${image ?? ''}`, '-o', 'json'];
  }

  private statusArgs(): string[] {
    return [...this.base(), 'rollout', 'status', `deployment/${this.s.deployment}`, `--timeout=${Math.ceil(this.s.rollout_timeout / 1000)}s`];
  }

  private getArgs(): string[] {
    return [...this.base(), 'get', 'deployment', this.s.deployment, '-o', 'json'];
  }

  plan(): readonly string[] {
    const k = this.s.kubectl;
    const lines = [formatCommand([k, ...this.getArgs()]), formatCommand([k, ...this.changeArgs()]), formatCommand([k, ...this.statusArgs()]), formatCommand([k, ...this.getArgs()]) + '   # check our generation'];
    if (this.s.rollback_on_failure) lines.push(formatCommand([k, ...this.base(), 'rollout', 'undo', `deployment/${this.s.deployment}`]) + '   # only on failure');
    return lines;
  }

  private kubectl(args: readonly string[], ctx: DeployContext): Promise<CliResult> {
    ctx.log(`$ ${formatCommand([this.s.kubectl, ...args])}`);
    return runCli(this.s.kubectl, args, {
      provider: KIND,
      env: ctx.env,
      signal: ctx.signal,
      log: ctx.log,
      installHint: 'Install kubectl: https://kubernetes.io/docs/tasks/tools/',
    });
  }

  private async getDeployment(ctx: DeployContext): Promise<DeploymentObject> {
    const r = await this.kubectl(this.getArgs(), ctx);
    if (r.code !== 0) throw kubectlError('get deployment', r);
    const obj = parseJson(r.stdout);
    if (!obj || typeof obj !== 'object') throw new DeployError(KIND, 'transient', 'kubectl get deployment printed no JSON');
    return obj as DeploymentObject;
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const { container, image } = this.s;
    // Re-read first: after a lost answer the image may already be set (set image would then be
    // a no-op that changes no generation); the current generation is then ours to check.
    const current = await this.getDeployment(ctx);
    const currentImage = current.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
    if (container !== undefined && image !== undefined && currentImage === image) {
      ctx.log(`kubernetes: ${container} already runs ${image}; checking generation ${current.metadata?.generation ?? '?'}`);
      return this.handle(current.metadata?.generation ?? 0);
    }
    const r = await this.kubectl(this.changeArgs(), ctx);
    if (r.code !== 0) throw kubectlError(this.s.manifest ? 'apply' : 'set image', r);
    const generation = this.generationFrom(parseJson(r.stdout));
    if (generation === undefined) {
      throw new DeployError(KIND, this.s.manifest ? 'invalid' : 'transient', `kubectl output has no Deployment "${this.s.deployment}" generation${this.s.manifest ? ' (does the manifest contain it?)' : ''}`);
    }
    return this.handle(generation);
  }

  /** `set image -o json` prints the Deployment; `apply -o json` prints it or a List holding it. */
  private generationFrom(out: unknown): number | undefined {
    const objects = (o: unknown): unknown[] => {
      const rec = o as { kind?: string; items?: unknown[] } | undefined;
      return rec?.kind === 'List' ? (rec.items ?? []) : [o];
    };
    for (const o of objects(out)) {
      const d = o as { kind?: string; metadata?: { name?: string; generation?: number } };
      if (d.kind === 'Deployment' && d.metadata?.name === this.s.deployment && typeof d.metadata.generation === 'number') return d.metadata.generation;
    }
    return undefined;
  }

  private handle(generation: number): DeployHandle {
    const { namespace, deployment, container, image } = this.s;
    return {
      id: `${namespace}/deployment/${deployment}@${generation}`,
      details: { namespace, deployment, generation, ...(container ? { container, image } : {}) },
    };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const d = handle.details ?? {};
    const facts: KubeHandleFacts = {
      generation: Number(d['generation']),
      ...(typeof d['container'] === 'string' ? { container: d['container'], image: String(d['image']) } : {}),
    };
    // rollout status only waits; its exit code is not the verdict (it reports on whatever
    // generation is current). The Deployment object, read afterwards, is.
    await this.kubectl(this.statusArgs(), ctx);
    const outcome = kubeOutcome(await this.getDeployment(ctx), facts);
    if (outcome.state !== 'deadline_exceeded') return outcome;
    if (!this.s.rollback_on_failure) return { state: 'failed', errorClass: 'unhealthy', message: outcome.message };
    const undo = await this.kubectl([...this.base(), 'rollout', 'undo', `deployment/${this.s.deployment}`], ctx);
    if (undo.code !== 0) {
      return { state: 'failed', errorClass: 'unhealthy', message: `${outcome.message}; rollout undo failed too: ${kubectlError('rollout undo', undo).message}` };
    }
    return { state: 'rolled_back', message: `${outcome.message}; rolled back with kubectl rollout undo` };
  }
}

export const kubernetesDefinition: ProviderDefinition<KubernetesSettings> = {
  kind: KIND,
  aliases: ['k8s'],
  summary: 'Kubernetes: kubectl set image (or apply), then rollout status; checks the generation this deploy produced',
  settingsSchema: kubernetesSettings,
  create: (settings, options) =>
    new KubernetesProvider({ ...settings, manifest: localPath(settings.manifest, options?.baseDir), kubeconfig: localPath(settings.kubeconfig, options?.baseDir) }),
};
