/**
 * A fake cluster for contract tests of the real `kubectl`: the fake API server, a kubeconfig
 * pointing at it (a token that is not a secret), and a discovery/OpenAPI cache of its own, so
 * no test reads another test's (or the user's) cached documents.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiServer } from './kube-api-server.js';

export interface FakeCluster extends AsyncDisposable {
  readonly api: KubeApiServer;
  readonly dir: string;
  readonly kubeconfig: string;
}

export async function startFakeCluster(): Promise<FakeCluster> {
  const api = await new KubeApiServer().start();
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-kube-'));
  // kubectl reads KUBECACHEDIR from its environment, which it inherits from this process.
  process.env['KUBECACHEDIR'] = join(dir, 'cache');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "${api.url}"}}]\n` +
      `users: [{name: u, user: {token: not-a-secret}}]\ncontexts: [{name: fake, context: {cluster: fake, user: u}}]\ncurrent-context: fake\n`,
  );
  return {
    api,
    dir,
    kubeconfig,
    async [Symbol.asyncDispose]() {
      await api[Symbol.asyncDispose]();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
