/**
 * `aws-ecs` (alias `aws`): deploys a new image to one container of an ECS service with the AWS
 * SDK v3. start(): describe the service and its task definition, register a revision with the
 * new image, UpdateService (forcing a new deployment) and return that deployment's id. poll():
 * wait until the service is stable (the SDK waiter), then confirm the deployment THIS run
 * created is PRIMARY and COMPLETED on our revision; a circuit-breaker rollback is `rolled_back`.
 */
import { awsClientConfig } from './aws-client-config.js';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitForServicesStable,
  type Service,
} from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { awsDeployError } from './aws-errors.js';
import { ecsOutcome, type EcsHandleFacts } from './aws-ecs-outcome.js';
import { newRevisionInput, RUN_ID_TAG } from './aws-ecs-task-definition.js';
import type { ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { durationMs, nonEmpty } from './settings-schema.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from './types.js';

const KIND = 'aws-ecs';

export const awsEcsSettings = z.strictObject({
  cluster: nonEmpty,
  service: nonEmpty,
  /** Name of the container (in the task definition) whose image is replaced. */
  container: nonEmpty,
  image: nonEmpty,
  /** Defaults to the SDK chain (AWS_REGION, the profile's region). */
  region: nonEmpty.optional(),
  /** Named profile from ~/.aws/config; otherwise the default credential chain. */
  profile: nonEmpty.optional(),
  /** Custom endpoint (LocalStack, moto); AWS_ENDPOINT_URL works too. */
  endpoint_url: z.url().optional(),
  /** Waiter delay between checks (ECS's own default is 15 s). */
  poll_interval: durationMs.default(15_000),
  /**
   * How long one poll() lets the ServicesStable waiter run before re-checking our deployment
   * (a rollout that fails without rollback never becomes stable; this bounds how late we see it).
   */
  wait_slice: durationMs.default(60_000),
});
export type AwsEcsSettings = z.output<typeof awsEcsSettings>;

export class AwsEcsProvider implements Provider {
  readonly kind = KIND;
  private client: ECSClient | undefined;

  constructor(private readonly s: AwsEcsSettings) {}

  private ecs(): ECSClient {
    this.client ??= new ECSClient(awsClientConfig(this.s));
    return this.client;
  }

  plan(): readonly string[] {
    const s = this.s;
    const where = `region=${s.region ?? '(SDK default)'}${s.profile ? ` profile=${s.profile}` : ''}`;
    return [
      `ecs:DescribeServices cluster=${s.cluster} services=[${s.service}] ${where}`,
      `ecs:DescribeTaskDefinition taskDefinition=<service's current revision> include=[TAGS]`,
      `ecs:RegisterTaskDefinition family=<same> containerDefinitions[name=${s.container}].image=${s.image} tags+=[${RUN_ID_TAG}=<run id>]`,
      `ecs:UpdateService cluster=${s.cluster} service=${s.service} taskDefinition=<new revision> forceNewDeployment=true`,
      `wait ecs:ServicesStable cluster=${s.cluster} services=[${s.service}] every ${s.poll_interval / 1000}s`,
      `check: the new deployment is PRIMARY, rolloutState COMPLETED, service on the new revision`,
    ];
  }

  private async describeService(ctx: DeployContext): Promise<Service | undefined> {
    try {
      const out = await this.ecs().send(
        new DescribeServicesCommand({ cluster: this.s.cluster, services: [this.s.service] }),
        { abortSignal: ctx.signal },
      );
      return out.services?.[0];
    } catch (err) {
      throw awsDeployError(KIND, 'DescribeServices', err, ctx.signal);
    }
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const { cluster, service: serviceName, container, image } = this.s;
    const service = await this.describeService(ctx);
    if (!service || service.status !== 'ACTIVE' || !service.taskDefinition) {
      throw new DeployError(KIND, 'not_found', `ECS service "${serviceName}" not found (or not ACTIVE) in cluster "${cluster}"`);
    }
    const currentArn = service.taskDefinition;
    let described;
    try {
      described = await this.ecs().send(
        new DescribeTaskDefinitionCommand({ taskDefinition: currentArn, include: ['TAGS'] }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      throw awsDeployError(KIND, 'DescribeTaskDefinition', err, ctx.signal);
    }
    const current = described.taskDefinition;
    if (!current) throw new DeployError(KIND, 'not_found', `task definition ${currentArn} not found`);
    const tags = described.tags ?? [];

    // Re-read first: when an earlier attempt's UpdateService landed but its answer was lost,
    // the service already runs a revision tagged with this run id. Adopt that deployment.
    if (tags.some((t) => t.key === RUN_ID_TAG && t.value === ctx.runId)) {
      const landed = (service.deployments ?? []).find((d) => d.taskDefinition === currentArn) ??
        (service.deployments ?? []).find((d) => d.status === 'PRIMARY');
      if (landed?.id) {
        ctx.log(`aws-ecs: ${currentArn} was already registered and deployed by this run; checking deployment ${landed.id}`);
        const previous = (service.deployments ?? []).find((d) => d.id !== landed.id)?.taskDefinition;
        return this.handle(landed.id, currentArn, previous);
      }
    }

    const input = newRevisionInput(current, tags, container, image, ctx.runId);
    let newArn: string;
    try {
      const reg = await this.ecs().send(
        new RegisterTaskDefinitionCommand(input),
        { abortSignal: ctx.signal },
      );
      newArn = reg.taskDefinition?.taskDefinitionArn ?? '';
    } catch (err) {
      throw awsDeployError(KIND, 'RegisterTaskDefinition', err, ctx.signal);
    }
    if (!newArn) throw new DeployError(KIND, 'transient', 'RegisterTaskDefinition returned no ARN');
    ctx.log(`aws-ecs: registered ${newArn} (${container}=${image})`);

    const before = new Set((service.deployments ?? []).map((d) => d.id));
    let updated: Service | undefined;
    try {
      const out = await this.ecs().send(
        new UpdateServiceCommand({ cluster, service: serviceName, taskDefinition: newArn, forceNewDeployment: true }),
        { abortSignal: ctx.signal },
      );
      updated = out.service;
    } catch (err) {
      throw awsDeployError(KIND, 'UpdateService', err, ctx.signal);
    }
    // The deployment this call created is the new PRIMARY one; an id seen before is not ours.
    const created = (updated?.deployments ?? []).find((d) => d.status === 'PRIMARY' && d.id && !before.has(d.id));
    if (!created?.id) {
      throw new DeployError(KIND, 'transient', `UpdateService on ${serviceName} returned no new PRIMARY deployment`);
    }
    ctx.log(`aws-ecs: UpdateService started deployment ${created.id}`);
    return this.handle(created.id, newArn, currentArn);
  }

  private handle(deploymentId: string, taskDefinitionArn: string, previous: string | undefined): DeployHandle {
    const facts: EcsHandleFacts & Record<string, unknown> = {
      deploymentId,
      taskDefinitionArn,
      ...(previous ? { previousTaskDefinitionArn: previous } : {}),
    };
    return {
      id: deploymentId,
      details: { ...facts, cluster: this.s.cluster, service: this.s.service, container: this.s.container, image: this.s.image },
    };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const facts = factsOf(handle);
    const first = ecsOutcome(await this.describeService(ctx), facts);
    if (first.state !== 'pending') return first;
    // The waiter answers SUCCESS/TIMEOUT/FAILURE without throwing; whichever it is, the
    // re-check below decides, since "stable" may also mean "stable after a rollback".
    const delay = Math.max(1, Math.round(this.s.poll_interval / 1000));
    await waitForServicesStable(
        {
          client: this.ecs(),
          maxWaitTime: Math.max(delay + 1, Math.round(this.s.wait_slice / 1000)),
          minDelay: delay,
          maxDelay: delay,
          abortSignal: ctx.signal,
        },
        { cluster: this.s.cluster, services: [this.s.service] },
    );
    if (ctx.signal.aborted) throw new DeployError(KIND, 'cancelled', 'stopped while waiting for the service to become stable');
    const after = ecsOutcome(await this.describeService(ctx), facts);
    return after.state === 'pending' ? { ...after, retryAfterMs: 0 } : after;
  }
}

function factsOf(handle: DeployHandle): EcsHandleFacts {
  const d = handle.details ?? {};
  const arn = d['taskDefinitionArn'];
  const prev = d['previousTaskDefinitionArn'];
  if (typeof arn !== 'string') throw new DeployError(KIND, 'invalid', `handle ${handle.id} has no taskDefinitionArn`);
  return { deploymentId: handle.id, taskDefinitionArn: arn, ...(typeof prev === 'string' ? { previousTaskDefinitionArn: prev } : {}) };
}

export const awsEcsDefinition: ProviderDefinition<AwsEcsSettings> = {
  kind: KIND,
  aliases: ['aws'],
  summary: 'AWS ECS: register a task definition revision with a new image, update the service, wait until stable',
  settingsSchema: awsEcsSettings,
  create: (settings) => new AwsEcsProvider(settings),
};
