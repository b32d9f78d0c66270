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
