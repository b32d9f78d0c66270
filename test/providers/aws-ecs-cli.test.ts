/**
 * The "done when", end to end: `shipclock deploy` (the real CLI, from source) of an
 * aws-ecs job naming cluster, service, container, image and region, against the real
 * moto_server through AWS_ENDPOINT_URL, leaves the service on a new task definition revision
 * with that image. Also the original command line: `--deploy --provider aws`, and `--dry-run`.
 */
import { after, before, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { DUMMY_AWS_ENV, startMoto, type Moto } from '../fakes/moto-server.js';

const bin = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
let moto: Moto;
let ecs: ECSClient;
let dir: string;

async function shipclock(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ...DUMMY_AWS_ENV, AWS_ENDPOINT_URL: moto.url };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', bin, ...args], { env, cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}
async function imageInService(): Promise<{ arn: string; image: string | undefined }> {
  const svc = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }))).services?.[0];
  const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc?.taskDefinition }));
  return { arn: svc?.taskDefinition ?? '', image: td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'app')?.image };
}

describe('shipclock deploy of an aws-ecs job against moto_server (real CLI, real SDK)', () => {
  before(async () => {
    moto = await startMoto({ MOTO_ECS_SERVICE_RUNNING: '1' });
    ecs = new ECSClient({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'app', image: 'api:1', memory: 128 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'api', taskDefinition: 'api', desiredCount: 1 }));
    dir = mkdtempSync(join(tmpdir(), 'shipclock-ecs-cli-'));
    writeFileSync(
      join(dir, 'shipclock.yaml'),
      'deployments:\n  api:\n    provider: aws-ecs\n    cluster: prod\n    service: api\n    container: app\n    image: api:2\n    region: us-east-1\n    poll_interval: 1s\n',
    );
    // The original single-deployment form, provider chosen on the command line.
    writeFileSync(
      join(dir, 'legacy.yaml'),
      'deployment:\n  schedule: "0 2 * * *"\n  max_retries: 0\n  cluster: prod\n  service: api\n  container: app\n  image: api:3\n  region: us-east-1\n  poll_interval: 1s\n',
    );
  });
  after(async () => {
    ecs?.destroy();
    await moto?.[Symbol.asyncDispose]();
  });

  it('--dry-run prints the API calls and changes nothing', async () => {
    const r = await shipclock(['deploy', 'api', '--dry-run', '-c', join(dir, 'shipclock.yaml'), '--state', join(dir, 'state')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ecs:UpdateService cluster=prod service=api/);
    assert.equal((await imageInService()).image, 'api:1');
  });

  it('`shipclock deploy api` leaves the service on a new task definition revision with the image', async () => {
    const r = await shipclock(['deploy', 'api', '-c', join(dir, 'shipclock.yaml'), '--state', join(dir, 'state')]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const now = await imageInService();
    assert.equal(now.image, 'api:2');
    assert.match(now.arn, /task-definition\/api:2$/);
  });

  it('the original command line: `--deploy --provider aws` with the single-deployment config', async () => {
    const r = await shipclock(['--deploy', '--provider', 'aws', '-c', join(dir, 'legacy.yaml'), '--state', join(dir, 'state2')]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal((await imageInService()).image, 'api:3');
  });
});
