import { awsEcsDefinition } from './aws-ecs.js';
import { awsLambdaDefinition } from './aws-lambda.js';
import { azureContainerAppsDefinition } from './azure-container-apps.js';
import type { ProviderDefinition } from './definition.js';
import { gcpCloudRunDefinition } from './gcp-cloud-run.js';
import { gitDefinition } from './git-push.js';
import { kubernetesDefinition } from './kubernetes.js';
import { localDefinition } from './local.js';
import { shellDefinition } from './shell.js';
import { sshDefinition } from './ssh-deploy.js';

/**
 * Every provider shipclock knows, in one list: the config module validates `provider:` against
 * it and the runner builds providers from it. Add a provider by adding its definition here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry carries its own settings type
const definitions: readonly ProviderDefinition<any>[] = [
  shellDefinition,
  localDefinition,
  awsEcsDefinition,
  kubernetesDefinition,
  gcpCloudRunDefinition,
  gitDefinition,
  sshDefinition,
  awsLambdaDefinition,
  azureContainerAppsDefinition,
];

export function providerDefinitions(): readonly ProviderDefinition<unknown>[] {
  return definitions;
}

/** Finds a provider by kind or alias (`gcp` → `gcp-cloud-run`); undefined when unknown. */
export function findProvider(name: string): ProviderDefinition<unknown> | undefined {
  return definitions.find((d) => d.kind === name || (d.aliases ?? []).includes(name));
}
