/**
 * `azure-container-apps` (alias `azure`): with @azure/arm-appcontainers and
 * DefaultAzureCredential, PATCHes the app's template with the new image and a revision suffix
 * derived from the run id (so this deploy's revision has a known name: the handle), waits for
 * the long-running operation (beginUpdateAndWait), then poll() reads THAT revision: success
 * when it is Provisioned, Running, not Unhealthy, and the app's latest ready revision.
 */
import { createHash } from 'node:crypto';
import { ContainerAppsAPIClient, type ContainerApp, type Revision } from '@azure/arm-appcontainers';
import { DefaultAzureCredential } from '@azure/identity';
import { z } from 'zod';
import { azureDeployError } from './azure-errors.js';
import type { ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { durationMs, nonEmpty } from './settings-schema.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from './types.js';

const KIND = 'azure-container-apps';

export const azureContainerAppsSettings = z.strictObject({
  /** Defaults to AZURE_SUBSCRIPTION_ID. */
  subscription_id: nonEmpty.optional(),
  resource_group: nonEmpty,
  app: nonEmpty,
  image: nonEmpty,
  /** Container to update; may be left out when the app has one container. */
  container: nonEmpty.optional(),
  /** Azure Resource Manager endpoint (sovereign clouds), default https://management.azure.com. */
  endpoint: z.url().optional(),
  poll_interval: durationMs.default(5_000),
});
export type AzureContainerAppsSettings = z.output<typeof azureContainerAppsSettings>;

function runTag(runId: string): string {
  return `sc-${createHash('sha256').update(runId).digest('hex').slice(0, 10)}`;
}

/** Revision suffix for a run and attempt (one revision per attempt: a failed one is never re-used). */
export function azureRevisionSuffix(runId: string, attempt: number): string {
  return `${runTag(runId)}-${attempt}`;
}

export class AzureContainerAppsProvider implements Provider {
  readonly kind = KIND;
  private client: ContainerAppsAPIClient | undefined;
  constructor(private readonly s: AzureContainerAppsSettings) {}

  private subscription(): string {
    const id = this.s.subscription_id ?? process.env['AZURE_SUBSCRIPTION_ID'];
    if (!id) throw new DeployError(KIND, 'invalid', 'no subscription: set `subscription_id:` or AZURE_SUBSCRIPTION_ID (see `az account show --query id`)');
    return id;
  }

  private api(): ContainerAppsAPIClient {
    this.client ??= new ContainerAppsAPIClient(new DefaultAzureCredential(), this.subscription(), this.s.endpoint ? { endpoint: this.s.endpoint, $host: this.s.endpoint } : {});
    return this.client;
  }

  plan(ctx: DeployContext): readonly string[] {
    const { resource_group: rg, app, image } = this.s;
    const base = `${this.s.endpoint ?? 'https://management.azure.com'}/subscriptions/${this.s.subscription_id ?? '$AZURE_SUBSCRIPTION_ID'}/resourceGroups/${rg}/providers/Microsoft.App/containerApps/${app}`;
    const suffix = azureRevisionSuffix(ctx.runId, ctx.attempt);
    return [
      `GET ${base}`,
      `PATCH ${base} template.revisionSuffix=${suffix} template.containers[${this.s.container ?? '<the only one>'}].image=${image}   # then wait for the long-running operation`,
      `GET ${base}/revisions/${app}--${suffix}   # until Provisioned and Running`,
    ];
  }

  private async getApp(ctx: DeployContext): Promise<ContainerApp> {
    try {
      return await this.api().containerApps.get(this.s.resource_group, this.s.app, { abortSignal: ctx.signal });
    } catch (err) {
      throw err instanceof DeployError ? err : azureDeployError('get container app', err, ctx.signal);
    }
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const app = await this.getApp(ctx);
    if (ctx.attempt > 1) {
      // Re-read: an earlier attempt's update may have landed; its revision carries this run's suffix.
      const prefix = `${this.s.app}--${runTag(ctx.runId)}-`;
      const earlier = app.latestRevisionName;
      if (earlier?.startsWith(prefix) && (await this.revisionUsable(earlier, ctx))) {
        ctx.log(`azure-container-apps: ${earlier} from an earlier attempt exists; checking it`);
        return this.handle(earlier);
      }
    }
    if (app.provisioningState === 'InProgress') {
      throw new DeployError(KIND, 'conflict', `container app ${this.s.app} has an operation in progress`);
    }
    const containers = app.template?.containers ?? [];
    const target = this.s.container ?? (containers.length === 1 ? containers[0]?.name : undefined);
    if (!target || !containers.some((c) => c.name === target)) {
      const names = containers.map((c) => c.name).join(', ');
      throw new DeployError(KIND, 'invalid', `set \`container:\` to one of the app's containers (${names || 'none'})`);
    }
    const suffix = azureRevisionSuffix(ctx.runId, ctx.attempt);
    const envelope: ContainerApp = {
      location: app.location,
      template: { ...app.template, revisionSuffix: suffix, containers: containers.map((c) => (c.name === target ? { ...c, image: this.s.image } : c)) },
    };
    try {
      await this.api().containerApps.beginUpdateAndWait(this.s.resource_group, this.s.app, envelope, {
        abortSignal: ctx.signal,
        updateIntervalInMs: this.s.poll_interval,
      });
    } catch (err) {
      throw azureDeployError('update container app (long-running operation)', err, ctx.signal);
    }
    return this.handle(`${this.s.app}--${suffix}`);
  }

  /** An earlier attempt's revision is adopted unless it already failed (then a new attempt deploys afresh). */
  private async revisionUsable(name: string, ctx: DeployContext): Promise<boolean> {
    try {
      const rev = await this.api().containerAppsRevisions.getRevision(this.s.resource_group, this.s.app, name, { abortSignal: ctx.signal });
      return revisionOutcome(rev, name).state !== 'failed';
    } catch (err) {
      throw azureDeployError(`get revision ${name}`, err, ctx.signal);
    }
  }

  private handle(revision: string): DeployHandle {
    return { id: revision, details: { revision, app: this.s.app, resourceGroup: this.s.resource_group, image: this.s.image } };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    let rev: Revision;
    try {
      rev = await this.api().containerAppsRevisions.getRevision(this.s.resource_group, this.s.app, handle.id, { abortSignal: ctx.signal });
    } catch (err) {
      throw azureDeployError(`get revision ${handle.id}`, err, ctx.signal);
    }
    const verdict = revisionOutcome(rev, handle.id);
    if (verdict.state !== 'succeeded') return verdict.state === 'pending' ? { ...verdict, retryAfterMs: this.s.poll_interval } : verdict;
    const app = await this.getApp(ctx);
    if (app.latestReadyRevisionName !== handle.id) {
      return app.latestRevisionName !== handle.id
        ? { state: 'failed', errorClass: 'conflict', message: `revision ${app.latestRevisionName ?? '?'} was created after ${handle.id}` }
        : { state: 'pending', message: `waiting for ${handle.id} to become the latest ready revision`, retryAfterMs: this.s.poll_interval };
    }
    return verdict;
  }
}

/** Pure: what a revision's states say. */
export function revisionOutcome(rev: Revision, name: string): PollResult {
  const p = rev.provisioningState;
  const r = rev.runningState;
  if (p === 'Failed' || r === 'Failed' || r === 'Degraded' || rev.healthState === 'Unhealthy') {
    return { state: 'failed', errorClass: 'unhealthy', message: `revision ${name}: provisioning ${p ?? '?'}, running ${r ?? '?'}, health ${rev.healthState ?? '?'}` };
  }
  if (p === 'Provisioned' && (r === 'Running' || r === 'RunningAtMaxScale')) {
    return { state: 'succeeded', message: `revision ${name} is provisioned and running (${rev.replicas ?? '?'} replicas, ${rev.trafficWeight ?? 0}% traffic)` };
  }
  return { state: 'pending', message: `revision ${name}: provisioning ${p ?? '?'}, running ${r ?? '?'}` };
}

export const azureContainerAppsDefinition: ProviderDefinition<AzureContainerAppsSettings> = {
  kind: KIND,
  aliases: ['azure'],
  summary: 'Azure Container Apps: update the image (long-running operation), then check this deploy\'s revision is provisioned and running',
  settingsSchema: azureContainerAppsSettings,
  create: (settings) => new AzureContainerAppsProvider(settings),
};
