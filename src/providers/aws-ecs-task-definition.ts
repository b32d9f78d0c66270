/**
 * Builds the RegisterTaskDefinition input for a new revision: a copy of the service's current
 * task definition with one container's image replaced, tagged with the run id so a retried
 * start can recognise a revision this run already put in service.
 */
import type { RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { DeployError } from './deploy-error.js';

export const RUN_ID_TAG = 'shipclock:run-id';

export function newRevisionInput(
  current: TaskDefinition,
  currentTags: readonly Tag[],
  container: string,
  image: string,
  runId: string,
): RegisterTaskDefinitionCommandInput {
  const containers = current.containerDefinitions ?? [];
  if (!containers.some((c) => c.name === container)) {
    const names = containers.map((c) => c.name).join(', ');
    throw new DeployError(
      'aws-ecs',
      'invalid',
      `task definition ${current.taskDefinitionArn ?? current.family ?? '?'} has no container named "${container}" (it has: ${names || 'none'}); set \`container:\` to one of them`,
    );
  }
  const tags = currentTags.filter((t) => t.key !== RUN_ID_TAG).concat({ key: RUN_ID_TAG, value: runId });
  // Only the fields RegisterTaskDefinition accepts: the described definition also carries
  // read-only ones (arn, revision, status, registeredAt, compatibilities…) the API refuses.
  return {
    family: current.family,
    taskRoleArn: current.taskRoleArn,
    executionRoleArn: current.executionRoleArn,
    networkMode: current.networkMode,
    containerDefinitions: containers.map((c) => (c.name === container ? { ...c, image } : c)),
    volumes: current.volumes,
    placementConstraints: current.placementConstraints,
    requiresCompatibilities: current.requiresCompatibilities,
    cpu: current.cpu,
    memory: current.memory,
    pidMode: current.pidMode,
    ipcMode: current.ipcMode,
    proxyConfiguration: current.proxyConfiguration,
    inferenceAccelerators: current.inferenceAccelerators,
    ephemeralStorage: current.ephemeralStorage,
    runtimePlatform: current.runtimePlatform,
    enableFaultInjection: current.enableFaultInjection,
    tags,
  };
}
