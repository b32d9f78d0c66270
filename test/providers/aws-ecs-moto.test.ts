/**
 * Contract test: the aws-ecs provider through the real AWS SDK v3 (incl. the ServicesStable
 * waiter) against the real `moto_server`, reached via AWS_ENDPOINT_URL as a user would.
 * moto does not roll deployments out, fail them or throttle: those paths are in
 * aws-ecs-scripted.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { awsEcsDefinition } from '../../src/providers/aws-ecs.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import { DUMMY_AWS_ENV, startMoto, type Moto } from '../fakes/moto-server.js';
import { nextAttempt, testContext } from '../fakes/deploy-context.js';

let moto: Moto;
let ecs: ECSClient;

function provider(over: Record<string, unknown> = {}) {
  const settings = awsEcsDefinition.settingsSchema.parse({
    cluster: 'prod',
    service: 'web',
    container: 'app',
    image: 'registry.example/web:2.0.0',
    region: 'us-east-1',
    poll_interval: '1s',
    ...over,
  });
  return awsEcsDefinition.create(settings);
}

describe('aws-ecs: contract test against moto_server (real SDK)', () => {
  before(async () => {
    moto = await startMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
    Object.assign(process.env, DUMMY_AWS_ENV, { AWS_ENDPOINT_URL: moto.url });
    ecs = new ECSClient({ region: 'us-east-1' });
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [
          { name: 'app', image: 'registry.example/web:1.0.0', memory: 256 },
          { name: 'sidecar', image: 'envoy:1', memory: 64 },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 2 }),
    );
  });
  after(async () => {
    ecs?.destroy();
    await moto?.[Symbol.asyncDispose]();
  });

  it('deploys: the service ends on a new task definition revision with the image, and poll confirms our deployment', async () => {
    const p = provider();
    const ctx = testContext();
    const handle = await p.start(ctx);
    assert.match(handle.id, /^ecs-svc\//);
    assert.equal(handle.details?.['taskDefinitionArn'], 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    const result = await p.poll(handle, ctx);
    assert.equal(result.state, 'succeeded', JSON.stringify(result));

    const svc = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services?.[0];
    assert.equal(svc?.taskDefinition, handle.details?.['taskDefinitionArn']);
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc?.taskDefinition, include: ['TAGS'] }));
    const images = Object.fromEntries((td.taskDefinition?.containerDefinitions ?? []).map((c) => [c.name, c.image]));
    assert.deepEqual(images, { app: 'registry.example/web:2.0.0', sidecar: 'envoy:1' });
    assert.deepEqual(td.tags, [{ key: 'shipclock:run-id', value: ctx.runId }]);
  });

  it('a retried start of the same run adopts the deployment that landed instead of registering again', async () => {
    const p = provider({ image: 'registry.example/web:3.0.0' });
    const ctx = testContext();
    const first = await p.start(ctx);
    const count = async () =>
      (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }))).taskDefinitionArns?.length;
    const before = await count();
    const again = await p.start(nextAttempt(ctx));
    assert.equal(again.id, first.id);
    assert.equal(again.details?.['taskDefinitionArn'], first.details?.['taskDefinitionArn']);
    assert.equal(await count(), before, 'no extra revision registered');
    assert.equal((await p.poll(again, ctx)).state, 'succeeded');
  });

  it('a rollout that does not finish: the ServicesStable waiter runs against moto, and poll reports `pending`', async () => {
    // moto reports MOTO_ECS_SERVICE_RUNNING=2 tasks running: a service wanting 3 never settles.
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'slow', taskDefinition: 'web', desiredCount: 3 }));
    const p = provider({ service: 'slow', poll_interval: '1s', wait_slice: '2s' });
    const ctx = testContext();
    const r = await p.poll(await p.start(ctx), ctx);
    assert.equal(r.state, 'pending', JSON.stringify(r));
    assert.match(r.state === 'pending' ? (r.message ?? '') : '', /2\/3 running/);
  });

  it('a container name the task definition lacks is `invalid`, naming the containers it has', async () => {
    const err = await provider({ container: 'nginx' }).start(testContext()).catch((e: unknown) => e);
    assert.ok(err instanceof DeployError);
    assert.equal(err.errorClass, 'invalid');
    assert.match(err.message, /app, sidecar/);
  });

  it('a missing service and a missing cluster are `not_found`', async () => {
    const e1 = await provider({ service: 'nope' }).start(testContext()).catch((e: unknown) => e);
    assert.ok(e1 instanceof DeployError);
    assert.equal(e1.errorClass, 'not_found');
    const e2 = await provider({ cluster: 'nope' }).start(testContext()).catch((e: unknown) => e);
    assert.ok(e2 instanceof DeployError);
    assert.equal(e2.errorClass, 'not_found');
  });

  it('plan() names every call without making any', () => {
    const lines = provider().plan(testContext()) as readonly string[];
    assert.equal(lines.length, 6);
    assert.match(lines[0] ?? '', /^ecs:DescribeServices cluster=prod services=\[web\] region=us-east-1/);
    assert.match(lines[2] ?? '', /containerDefinitions\[name=app\]\.image=registry\.example\/web:2\.0\.0/);
    assert.match(lines[3] ?? '', /ecs:UpdateService cluster=prod service=web/);
  });

  it('settings are strict: unknown keys and missing required ones are refused', () => {
    const bad = awsEcsDefinition.settingsSchema.safeParse({ cluster: 'c', service: 's', image: 'i', regoin: 'x' });
    assert.equal(bad.success, false);
    const paths = bad.error?.issues.map((i) => i.path.join('.') || i.code).sort();
    assert.ok(paths?.includes('container'));
    assert.ok(bad.error?.issues.some((i) => i.code === 'unrecognized_keys'));
  });
});
