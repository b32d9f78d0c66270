/**
 * Contract test against a scripted fake of the ECS JSON API (test/fakes/ecs-scripted-server.ts),
 * through the real SDK and waiter: the outcomes moto cannot produce (failed and rolled-back
 * rollouts, conflicts, throttling, a call that landed but lost its answer).
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { awsEcsDefinition } from '../../src/providers/aws-ecs.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import { EcsScriptedServer } from '../fakes/ecs-scripted-server.js';
import { nextAttempt, testContext } from '../fakes/deploy-context.js';

// Standard SDK settings: dummy credentials, and no SDK-level retries so each scripted fault
// reaches the provider's classification (the runner owns retries and backoff).
Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_MAX_ATTEMPTS: '1' });
delete process.env['AWS_ENDPOINT_URL'];

let fake: EcsScriptedServer;
const provider = () =>
  awsEcsDefinition.create(
    awsEcsDefinition.settingsSchema.parse({
      cluster: 'prod', service: 'web', container: 'app', image: 'web:2', region: 'us-east-1', endpoint_url: fake.url, poll_interval: '1s',
    }),
  );
const failure = async (p: Promise<unknown>): Promise<DeployError> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof DeployError, `expected a DeployError, got ${String(err)}`);
  return err;
};

describe('aws-ecs: contract test against a scripted fake ECS API', () => {
  beforeEach(async () => {
    fake = await new EcsScriptedServer().start();
  });
  afterEach(async () => {
    await fake[Symbol.asyncDispose]();
  });

  it('an in-progress rollout is pending until our deployment completes, then succeeds', async () => {
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.deepEqual(fake.requests, ['DescribeServices', 'DescribeTaskDefinition', 'RegisterTaskDefinition', 'UpdateService']);
    assert.equal((await p.poll(h, ctx)).state, 'succeeded');
  });

  it('a circuit-breaker rollback is `rolled_back`, not success, although the service ends stable', async () => {
    fake.rollout = 'fail-rollback';
    const p = provider();
    const ctx = testContext();
    const r = await p.poll(await p.start(ctx), ctx);
    assert.equal(r.state, 'rolled_back', JSON.stringify(r));
    assert.ok(fake.requests.filter((x) => x === 'DescribeServices').length >= 3, 'the waiter ran');
  });

  it('a failed rollout without automatic rollback is `unhealthy`', async () => {
    fake.rollout = 'fail';
    fake.rollbackEnabled = false;
    const p = provider();
    const ctx = testContext();
    const r = await p.poll(await p.start(ctx), ctx);
    assert.deepEqual(r.state === 'failed' && r.errorClass, 'unhealthy');
  });

  it('throttling is `throttled`; a 409 ConflictException is `conflict`; bad credentials are `auth` with how to log in', async () => {
    fake.fail('UpdateService', { status: 400, type: 'ThrottlingException' });
    assert.equal((await failure(provider().start(testContext()))).errorClass, 'throttled');
    fake.fail('UpdateService', { status: 409, type: 'ConflictException' });
    assert.equal((await failure(provider().start(testContext()))).errorClass, 'conflict');
    fake.fail('DescribeServices', { status: 400, type: 'UnrecognizedClientException' });
    const auth = await failure(provider().start(testContext()));
    assert.equal(auth.errorClass, 'auth');
    assert.match(auth.message, /aws sso login|aws configure/);
  });

  it('after a transient error on a call that landed, the next attempt re-reads state and adopts that deployment', async () => {
    fake.fail('UpdateService', { status: 500, type: 'ServerException', afterApplying: true });
    const p = provider();
    const ctx = testContext();
    assert.equal((await failure(p.start(ctx))).errorClass, 'transient');
    const revisions = fake.taskDefinitionCount;
    const h = await p.start(nextAttempt(ctx));
    assert.equal(fake.taskDefinitionCount, revisions, 'no second revision');
    assert.equal(fake.requests.filter((x) => x === 'UpdateService').length, 1, 'no second UpdateService');
    assert.equal(h.details?.['taskDefinitionArn'], 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    assert.equal((await p.poll(h, ctx)).state, 'succeeded');
  });

  it('a deployment replaced by someone else before completing is a `conflict` failure', async () => {
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    await provider().start(testContext()); // a second deploy takes over the service
    const r = await p.poll(h, ctx);
    assert.deepEqual(r.state === 'failed' && r.errorClass, 'conflict');
  });

  it('an aborted signal stops a poll with `cancelled`', async () => {
    const p = provider();
    const ctx = testContext();
    const h = await p.start(ctx);
    ctx.controller.abort();
    assert.equal((await failure(p.poll(h, ctx))).errorClass, 'cancelled');
  });
});
