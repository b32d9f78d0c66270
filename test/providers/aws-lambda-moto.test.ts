/**
 * Contract test: the aws-lambda provider through the real AWS SDK v3 (incl. the
 * FunctionUpdatedV2 waiter) against the real `moto_server`: zip and image updates, publishing a
 * version and moving an alias. moto finishes updates at once and ignores RevisionId, so the
 * Failed / replaced-by-another-update verdicts are unit-tested on updateOutcome below.
 */
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, GetAliasCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsLambdaDefinition, updateOutcome } from '../../src/providers/aws-lambda.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import { createMotoRole, DUMMY_AWS_ENV, startMoto, type Moto } from '../fakes/moto-server.js';
import { nextAttempt, testContext } from '../fakes/deploy-context.js';

let moto: Moto;
let lambda: LambdaClient;
let dir: string;

/** A real .zip deployment package (Python's zipfile: node has no zip writer built in). */
function zipOf(source: string): string {
  const d = mkdtempSync(join(tmpdir(), 'shipclock-zip-'));
  writeFileSync(join(d, 'index.js'), source);
  const out = join(d, 'fn.zip');
  execFileSync('python3', ['-c', 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z: z.write(sys.argv[2], "index.js")', out, join(d, 'index.js')]);
  return out;
}
const provider = (over: Record<string, unknown>) =>
  awsLambdaDefinition.create(awsLambdaDefinition.settingsSchema.parse({ region: 'us-east-1', poll_interval: '1s', ...over }));

describe('aws-lambda: contract test against moto_server (real SDK and waiter)', () => {
  before(async () => {
    moto = await startMoto();
    Object.assign(process.env, DUMMY_AWS_ENV, { AWS_ENDPOINT_URL: moto.url });
    lambda = new LambdaClient({ region: 'us-east-1' });
    const role = await createMotoRole(moto, 'lambda-role');
    dir = mkdtempSync(join(tmpdir(), 'shipclock-lambda-'));
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'api', Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler', Code: { ZipFile: readFileSync(zipOf('exports.handler = async () => 1')) } }));
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'worker', PackageType: 'Image', Role: role, Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1' } }));
  });
  after(async () => {
    lambda?.destroy();
    await moto?.[Symbol.asyncDispose]();
  });

  it('updates a zip function, waits for the update, publishes a version and creates the alias', async () => {
    const zip = zipOf('exports.handler = async () => 2');
    const sha = createHash('sha256').update(readFileSync(zip)).digest('base64');
    const p = provider({ function_name: 'api', zip_file: zip, publish: true, alias: 'live' });
    const ctx = testContext();
    const h = await p.start(ctx);
    assert.equal(h.id, `api@${sha}`);
    const r = await p.poll(h, ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'api' }));
    assert.equal(fn.Configuration?.CodeSha256, sha);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'api', Name: 'live' }));
    assert.match(r.message ?? '', new RegExp(`alias live → ${alias.FunctionVersion ?? 'x'}$`));
    assert.notEqual(alias.FunctionVersion, '$LATEST');
  });

  it('a second deploy moves the existing alias to the new version', async () => {
    const p = provider({ function_name: 'api', zip_file: zipOf('exports.handler = async () => 3'), publish: true, alias: 'live' });
    const before = (await lambda.send(new GetAliasCommand({ FunctionName: 'api', Name: 'live' }))).FunctionVersion;
    const ctx = testContext();
    assert.equal((await p.poll(await p.start(ctx), ctx)).state, 'succeeded');
    const after = (await lambda.send(new GetAliasCommand({ FunctionName: 'api', Name: 'live' }))).FunctionVersion;
    assert.equal(Number(after), Number(before) + 1);
  });

  it('updates an image function to a new image URI', async () => {
    const p = provider({ function_name: 'worker', image_uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:2' });
    const ctx = testContext();
    const r = await p.poll(await p.start(ctx), ctx);
    assert.equal(r.state, 'succeeded', JSON.stringify(r));
  });

  it('a retried attempt finds its code already live and does not update again', async () => {
    const zip = zipOf('exports.handler = async () => 4');
    const p = provider({ function_name: 'api', zip_file: zip });
    const ctx = testContext();
    const h = await p.start(ctx);
    const again = await p.start(nextAttempt(ctx));
    assert.equal(again.id, h.id);
    assert.ok(ctx.lines.some((l) => l.includes("earlier attempt's update landed")));
  });

  it('a missing function is `not_found`; a missing zip file is `not_found` too', async () => {
    const e1 = await provider({ function_name: 'nope', image_uri: 'x' }).start(testContext()).catch((x: unknown) => x);
    assert.ok(e1 instanceof DeployError);
    assert.equal(e1.errorClass, 'not_found');
    const e2 = await provider({ function_name: 'api', zip_file: join(dir, 'missing.zip') }).start(testContext()).catch((x: unknown) => x);
    assert.ok(e2 instanceof DeployError);
    assert.equal(e2.errorClass, 'not_found');
  });

  it('updateOutcome: Failed is `unhealthy`, someone else\'s code is `conflict`, InProgress is pending', () => {
    const fail = updateOutcome({ LastUpdateStatus: 'Failed', LastUpdateStatusReasonCode: 'InvalidImage', CodeSha256: 'a' }, 'a');
    assert.deepEqual(fail.state === 'failed' && fail.errorClass, 'unhealthy');
    const other = updateOutcome({ LastUpdateStatus: 'Successful', CodeSha256: 'b' }, 'a');
    assert.deepEqual(other.state === 'failed' && other.errorClass, 'conflict');
    assert.equal(updateOutcome({ LastUpdateStatus: 'InProgress', CodeSha256: 'a' }, 'a').state, 'pending');
  });

  it('settings: exactly one of image_uri/zip_file; alias needs publish', () => {
    const s = awsLambdaDefinition.settingsSchema;
    assert.equal(s.safeParse({ function_name: 'f' }).success, false);
    assert.equal(s.safeParse({ function_name: 'f', image_uri: 'i', zip_file: 'z' }).success, false);
    assert.equal(s.safeParse({ function_name: 'f', image_uri: 'i', alias: 'live' }).success, false);
    assert.equal(s.safeParse({ function_name: 'f', image_uri: 'i', alias: 'live', publish: true }).success, true);
  });
});
