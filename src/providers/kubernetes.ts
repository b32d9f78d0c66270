/**
 * `kubernetes`: `kubectl set image deployment/NAME CONTAINER=IMAGE` (or `kubectl apply -f
 * manifest`), recording the Deployment's `metadata.generation` that change produced as the
 * handle; poll() runs `kubectl rollout status --timeout` and then decides from the Deployment
 * object itself for OUR generation (observedGeneration, conditions, replica counts).
 * `ProgressDeadlineExceeded` is `unhealthy`; with `rollback_on_failure`, `kubectl rollout undo`
 * runs and the outcome is `rolled_back`.
 *
 * Apply mode is kubectl's ordinary client-side apply with its default strict validation (left
 * to the server through `fieldValidation=Strict`), the command people run by hand, so objects
 * applied before keep their last-applied annotation and field owners. A client dry run first
 * checks that the manifest holds the named Deployment, so a wrong manifest changes nothing.
 */
import { z } from 'zod';
import { parseJson, runCli, type CliResult } from './cli-exec.js';
import { formatCommand } from './command-line.js';
import type { ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { kubectlError } from './kubectl-errors.js';
import { containerImages, kubeOutcome, type DeploymentObject, type KubeHandleFacts } from './kubernetes-outcome.js';
import { deploymentIn, describeObjects } from './kubernetes-manifest.js';
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

  private applyArgs(manifest: string, dryRun = false): string[] {
    return [...this.base(), 'apply', '-f', manifest, ...(dryRun ? ['--dry-run=client'] : []), '-o', 'json'];
  }

  private setImageArgs(): string[] {
    const { container, image, deployment } = this.s;
    return [...this.base(), 'set', 'image', `deployment/${deployment}`, `${container ?? ''}=${image ?? ''}`, '-o', 'json'];
  }

  private statusArgs(): string[] {
    return [...this.base(), 'rollout', 'status', `deployment/${this.s.deployment}`, `--timeout=${Math.ceil(this.s.rollout_timeout / 1000)}s`];
  }

  private getArgs(): string[] {
    return [...this.base(), 'get', 'deployment', this.s.deployment, '-o', 'json'];
  }

  plan(): readonly string[] {
    const k = this.s.kubectl;
    const { manifest } = this.s;
    const change =
      manifest !== undefined
        ? [formatCommand([k, ...this.applyArgs(manifest, true)]) + '   # the manifest must hold the Deployment', formatCommand([k, ...this.applyArgs(manifest)])]
        : [formatCommand([k, ...this.setImageArgs()])];
    const lines = [formatCommand([k, ...this.getArgs()]), ...change, formatCommand([k, ...this.statusArgs()]), formatCommand([k, ...this.getArgs()]) + '   # check our generation'];
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

  /** The Deployment as the server has it; `undefined` only when `missingOk` and it does not exist. */
  private async getDeployment(ctx: DeployContext, missingOk: true): Promise<DeploymentObject | undefined>;
  private async getDeployment(ctx: DeployContext): Promise<DeploymentObject>;
  private async getDeployment(ctx: DeployContext, missingOk = false): Promise<DeploymentObject | undefined> {
    const r = await this.kubectl(this.getArgs(), ctx);
    if (r.code !== 0) {
      const e = kubectlError('get deployment', r);
      if (missingOk && e.errorClass === 'not_found') return undefined;
      throw e;
    }
    const obj = parseJson(r.stdout);
    if (!obj || typeof obj !== 'object') throw new DeployError(KIND, 'transient', 'kubectl get deployment printed no JSON');
    return obj as DeploymentObject;
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    if (this.s.manifest !== undefined) return this.startApply(this.s.manifest, ctx);
    const { container, image } = this.s;
    // Re-read first: after a lost answer the image may already be set (set image would then be
    // a no-op that changes no generation); the current generation is then ours to check.
    const current = await this.getDeployment(ctx);
    const currentImage = current.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
    if (container !== undefined && image !== undefined && currentImage === image) {
      ctx.log(`kubernetes: ${container} already runs ${image}; checking generation ${current.metadata?.generation ?? '?'}`);
      return this.handle(current.metadata?.generation ?? 0, { container, image });
    }
    const r = await this.kubectl(this.setImageArgs(), ctx);
    if (r.code !== 0) throw kubectlError('set image', r);
    const generation = deploymentIn(parseJson(r.stdout), this.s.deployment)?.metadata?.generation;
    if (generation === undefined) throw new DeployError(KIND, 'transient', `kubectl set image printed no generation for Deployment "${this.s.deployment}"`);
    return this.handle(generation, { container: container ?? '', image: image ?? '' });
  }

  /**
   * `kubectl apply` computes and sends only the difference, so applying the same manifest again
   * (a retry after a lost answer, or a schedule with nothing new) changes no generation: the
   * current generation is then the one to check, and it must be observed and available.
   */
  private async startApply(manifest: string, ctx: DeployContext): Promise<DeployHandle> {
    const { deployment, namespace } = this.s;
    const dry = await this.kubectl(this.applyArgs(manifest, true), ctx);
    if (dry.code !== 0) throw kubectlError('apply --dry-run=client', dry);
    const planned = parseJson(dry.stdout);
    if (!deploymentIn(planned, deployment)) {
      throw new DeployError(
        KIND,
        'invalid',
        `manifest ${manifest} holds no Deployment "${deployment}" (it holds: ${describeObjects(planned)}); nothing was applied. ` +
          'Set `deployment:` to the Deployment the manifest defines, or add it to the manifest.',
      );
    }
    const before = await this.getDeployment(ctx, true);
    const r = await this.kubectl(this.applyArgs(manifest), ctx);
    if (r.code !== 0) throw kubectlError('apply', r);
    const applied = deploymentIn(parseJson(r.stdout), deployment);
    const generation = applied?.metadata?.generation;
    if (applied === undefined || generation === undefined) {
      // The dry run saw it, so the apply did something we cannot read: re-read before retrying.
      throw new DeployError(KIND, 'transient', `kubectl apply printed no generation for Deployment "${deployment}"`);
    }
    const unchanged = before?.metadata?.generation === generation;
    if (before === undefined) ctx.log(`kubernetes: created Deployment ${namespace}/${deployment} (generation ${generation})`);
    else if (unchanged) ctx.log(`kubernetes: the apply left the spec of Deployment ${namespace}/${deployment} as it was (no new generation); checking its current generation ${generation}`);
    return this.handle(generation, { images: containerImages(applied), change: before === undefined ? 'created' : unchanged ? 'unchanged' : 'updated' });
  }

  private handle(generation: number, extra: Record<string, unknown>): DeployHandle {
    const { namespace, deployment } = this.s;
    return {
      id: `${namespace}/deployment/${deployment}@${generation}`,
      details: { namespace, deployment, generation, ...extra },
    };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const facts = handleFacts(handle.details ?? {});
    // rollout status only waits; its exit code is not the verdict (it reports on whatever
    // generation is current). The Deployment object, read afterwards, is.
    await this.kubectl(this.statusArgs(), ctx);
    const outcome = kubeOutcome(await this.getDeployment(ctx), facts);
    if (outcome.state === 'succeeded' && handle.details?.['change'] === 'unchanged') {
      return { ...outcome, message: `the apply left the Deployment unchanged; ${outcome.message}` };
    }
    if (outcome.state !== 'deadline_exceeded') return outcome;
    if (!this.s.rollback_on_failure) return { state: 'failed', errorClass: 'unhealthy', message: outcome.message };
    const undo = await this.kubectl([...this.base(), 'rollout', 'undo', `deployment/${this.s.deployment}`], ctx);
    if (undo.code !== 0) {
      return { state: 'failed', errorClass: 'unhealthy', message: `${outcome.message}; rollout undo failed too: ${kubectlError('rollout undo', undo).message}` };
    }
    return { state: 'rolled_back', message: `${outcome.message}; rolled back with kubectl rollout undo` };
  }
}

/** Handle details → facts; set-image handles carry `container` + `image`, apply handles `images`. */
function handleFacts(d: Readonly<Record<string, unknown>>): KubeHandleFacts {
  const generation = Number(d['generation']);
  if (typeof d['container'] === 'string') return { generation, images: { [d['container']]: String(d['image']) } };
  const images = d['images'];
  if (images && typeof images === 'object') {
    return { generation, images: Object.fromEntries(Object.entries(images).filter((e): e is [string, string] => typeof e[1] === 'string')) };
  }
  return { generation };
}

export const kubernetesDefinition: ProviderDefinition<KubernetesSettings> = {
  kind: KIND,
  aliases: ['k8s'],
  summary: 'Kubernetes: kubectl set image (or apply), then rollout status; checks the generation this deploy produced',
  settingsSchema: kubernetesSettings,
  create: (settings, options) =>
    new KubernetesProvider({ ...settings, manifest: localPath(settings.manifest, options?.baseDir), kubeconfig: localPath(settings.kubeconfig, options?.baseDir) }),
};
