/**
 * Decides what a described ECS service says about the deployment this run created. Pure, so
 * every branch is unit-tested without a server. Success needs all of: our deployment is
 * PRIMARY, its rollout COMPLETED, and the service runs our task definition revision.
 */
import type { Service } from '@aws-sdk/client-ecs';
import type { PollResult } from './types.js';

export interface EcsHandleFacts {
  readonly deploymentId: string;
  readonly taskDefinitionArn: string;
  readonly previousTaskDefinitionArn?: string;
}

export function ecsOutcome(service: Service | undefined, facts: EcsHandleFacts): PollResult {
  if (!service || service.status !== 'ACTIVE') {
    return { state: 'failed', errorClass: 'not_found', message: `service is ${service?.status ?? 'missing'}` };
  }
  const deployments = service.deployments ?? [];
  const ours = deployments.find((d) => d.id === facts.deploymentId);
  const rollbackOn = service.deploymentConfiguration?.deploymentCircuitBreaker?.rollback === true;
  const primary = deployments.find((d) => d.status === 'PRIMARY');

  if (ours?.rolloutState === 'FAILED') {
    const why = ours.rolloutStateReason ?? 'rollout failed';
    return rollbackOn
      ? { state: 'rolled_back', message: `deployment ${facts.deploymentId} failed and the circuit breaker rolled back: ${why}` }
      : { state: 'failed', errorClass: 'unhealthy', message: `deployment ${facts.deploymentId} failed: ${why}` };
  }
  if (!ours) {
    // Our deployment is gone: either the circuit breaker rolled back to the previous revision,
    // or another deploy replaced it before it finished.
    const backOnPrevious =
      primary?.taskDefinition !== undefined && primary.taskDefinition === facts.previousTaskDefinitionArn;
    if (rollbackOn && backOnPrevious) {
      return { state: 'rolled_back', message: `deployment ${facts.deploymentId} was rolled back to ${facts.previousTaskDefinitionArn ?? '?'}` };
    }
    return {
      state: 'failed',
      errorClass: 'conflict',
      message: `deployment ${facts.deploymentId} was replaced by ${primary?.id ?? 'another deployment'} before it completed`,
    };
  }
  if (ours.status !== 'PRIMARY') {
    return {
      state: 'failed',
      errorClass: 'conflict',
      message: `deployment ${facts.deploymentId} is ${ours.status ?? '?'}; ${primary?.id ?? 'another deployment'} is now primary`,
    };
  }
  const onOurRevision = service.taskDefinition === facts.taskDefinitionArn;
  // rolloutState is absent on services created before ECS reported it: fall back to counts.
  const done =
    ours.rolloutState === 'COMPLETED' ||
    (ours.rolloutState === undefined && deployments.length === 1 && ours.runningCount === ours.desiredCount);
  if (done && onOurRevision) {
    return { state: 'succeeded', message: `deployment ${facts.deploymentId} completed on ${facts.taskDefinitionArn}` };
  }
  if (done && !onOurRevision) {
    return {
      state: 'failed',
      errorClass: 'conflict',
      message: `service runs ${service.taskDefinition ?? '?'}, not ${facts.taskDefinitionArn}: another update replaced it`,
    };
  }
  return {
    state: 'pending',
    message: `deployment ${facts.deploymentId}: ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} running, ${ours.rolloutState ?? 'in progress'}`,
  };
}
