/**
 * Contract test: the azure-container-apps provider through the real @azure/arm-appcontainers
 * client (incl. its long-running-operation poller) and the real DefaultAzureCredential
 * (ManagedIdentityCredential, App Service style) against a local HTTPS fake of ARM and of the
 * managed-identity token endpoint (test/fakes/azure-arm-fake.ts). The provider runs in a child
 * process started with NODE_EXTRA_CA_CERTS so the SDK trusts the fake's self-signed certificate.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { azureContainerAppsDefinition, azureRevisionSuffix, revisionOutcome } from '../../src/providers/azure-container-apps.js';
import { AzureArmFake } from '../fakes/azure-arm-fake.js';
import { testContext } from '../fakes/deploy-context.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const driver = fileURLToPath(new URL('../fakes/azure-driver.ts', import.meta.url));
let arm: AzureArmFake;

interface Step { step: string; attempt: number; handle?: { id: string }; result?: { state: string; errorClass?: string; message?: string }; errorClass?: string; message?: string }

async function deploy(runId: string, settings: Record<string, unknown> = {}, attempts = [1]): Promise<Step[]> {
  const input = { runId, attempts, settings: { subscription_id: SUB, resource_group: 'rg1', app: 'web', image: 'acr.example/web:2', endpoint: arm.url, poll_interval: '0s', ...settings } };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', driver, JSON.stringify(input)], {
    env: { ...process.env, ...arm.childEnv() },
  });
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as Step);
}

describe('azure-container-apps: contract test of the Azure SDK against a local HTTPS fake of ARM', () => {
  beforeEach(async () => {
    arm = await new AzureArmFake().start();
    arm.addApp(SUB, 'rg1', 'web', { app: 'acr.example/web:1' });
  });
  afterEach(async () => {
    await arm[Symbol.asyncDispose]();
  });

  it('updates the image through the long-running operation, then confirms this run\'s revision is provisioned and running', async () => {
    const steps = await deploy('run-ok');
    const start = steps.find((s) => s.step === 'start');
    assert.equal(start?.handle?.id, `web--${azureRevisionSuffix('run-ok', 1)}`);
    assert.equal(steps.at(-1)?.result?.state, 'succeeded', JSON.stringify(steps));
    assert.equal(arm.app(SUB, 'rg1', 'web')?.['properties'].template.containers[0].image, 'acr.example/web:2');
    assert.ok(arm.requests.includes('GET /msi/token'), 'the token came from the managed-identity endpoint');
    assert.ok(arm.requests.some((r) => r.includes('/operations/')), 'the LRO was polled');
  });

  it('a revision that fails to provision is `unhealthy`', async () => {
    arm.fate = 'failed';
    const steps = await deploy('run-bad');
    assert.deepEqual(steps.at(-1)?.result && [steps.at(-1)?.result?.state, steps.at(-1)?.result?.errorClass], ['failed', 'unhealthy']);
  });

  it('ARM errors are classified from the HTTP status and error code: 409 in progress → conflict, 429 → throttled', async () => {
    arm.failNextPatch = { status: 409, code: 'ContainerAppOperationInProgress' };
    const s1 = await deploy('run-409');
    assert.equal(s1[0]?.errorClass, 'conflict', JSON.stringify(s1));
    arm.failNextPatch = { status: 429, code: 'TooManyRequests' };
    const s2 = await deploy('run-429');
    assert.equal(s2[0]?.errorClass, 'throttled', JSON.stringify(s2));
  });

  it('a missing app is `not_found`; a retried attempt adopts the revision an earlier attempt created', async () => {
    const s1 = await deploy('run-nf', { app: 'nope' });
    assert.equal(s1[0]?.errorClass, 'not_found');
    const s2 = await deploy('run-retry', {}, [1, 2]);
    const handles = s2.filter((s) => s.step === 'start').map((s) => s.handle?.id);
    assert.deepEqual(handles, [`web--${azureRevisionSuffix('run-retry', 1)}`, `web--${azureRevisionSuffix('run-retry', 1)}`]);
    assert.equal(arm.requests.filter((r) => r.startsWith('PATCH')).length, 1);
  });

  it('no credential is `auth` with how to log in', async () => {
    const input = { runId: 'r', settings: { subscription_id: SUB, resource_group: 'rg1', app: 'web', image: 'x', endpoint: arm.url } };
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: arm.certFile, AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential' };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', driver, JSON.stringify(input)], { env });
    const step = JSON.parse(stdout.trim()) as Step;
    assert.equal(step.errorClass, 'auth', step.message);
    assert.match(step.message ?? '', /az login/);
  });

  it('revisionOutcome and plan() (no network)', () => {
    assert.equal(revisionOutcome({ provisioningState: 'Provisioning', runningState: 'Processing' }, 'r').state, 'pending');
    const degraded = revisionOutcome({ provisioningState: 'Provisioned', runningState: 'Degraded' }, 'r');
    assert.deepEqual(degraded.state === 'failed' && degraded.errorClass, 'unhealthy');
    const p = azureContainerAppsDefinition.create(azureContainerAppsDefinition.settingsSchema.parse({ subscription_id: SUB, resource_group: 'rg1', app: 'web', image: 'i:2' }));
    const lines = p.plan(testContext({ runId: 'r1' })) as readonly string[];
    assert.match(lines[1] ?? '', /^PATCH https:\/\/management\.azure\.com\/subscriptions\/[0-]+1\/resourceGroups\/rg1\/providers\/Microsoft\.App\/containerApps\/web /);
  });
});
