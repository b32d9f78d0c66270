/**
 * Starts the real `moto_server` (installed on these machines) on a free 127.0.0.1 port for
 * AWS contract tests. MOTO_ECS_SERVICE_RUNNING makes moto report services' tasks as running,
 * so ECS deployments reach COMPLETED (moto runs no containers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './free-port.js';
import { waitForOutput } from './wait-output.js';

export interface Moto extends AsyncDisposable {
  readonly url: string;
  readonly process: ChildProcess;
}

export async function startMoto(env: Record<string, string> = {}): Promise<Moto> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, /Running on http/, 'moto_server');
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Dummy credentials and region for the SDK (moto accepts any). */
export const DUMMY_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
} as const;

/**
 * Creates an IAM role in moto (Lambda's CreateFunction needs one that exists). A raw Query-API
 * call, since the IAM SDK client is not a dependency; moto does not check signatures.
 */
export async function createMotoRole(moto: Moto, name: string): Promise<string> {
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: name,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  });
  const res = await fetch(`${moto.url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  if (!res.ok) throw new Error(`moto CreateRole: ${res.status} ${await res.text()}`);
  return `arn:aws:iam::123456789012:role/${name}`;
}
