/**
 * Opt-in LIVE suite: deploys to real clouds with real credentials. Every case is skipped (with
 * the reason) unless SHIPCLOCK_LIVE=1 and that provider's variables are set; see
 * docs/providers.md "Live suite". Each case runs the provider exactly as the runner does:
 * start(), then poll() until a terminal result, and expects `succeeded`.
 */
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { findProvider } from '../../src/providers/registry.js';
import type { PollResult } from '../../src/providers/types.js';
import { testContext } from '../fakes/deploy-context.js';

const env = process.env;
const LIVE = env['SHIPCLOCK_LIVE'] === '1';
const LIMIT_MS = 30 * 60_000;

interface LiveCase {
  readonly kind: string;
  /** Variables that must be set (besides the cloud's own credentials). */
  readonly needs: readonly string[];
  /** Credentials the cloud's standard chain can use, any one of these. */
  readonly credentials: readonly string[];
  settings(): Record<string, unknown>;
}

const CASES: readonly LiveCase[] = [
  {
    kind: 'aws-ecs',
    needs: ['SHIPCLOCK_LIVE_ECS_CLUSTER', 'SHIPCLOCK_LIVE_ECS_SERVICE', 'SHIPCLOCK_LIVE_ECS_CONTAINER', 'SHIPCLOCK_LIVE_ECS_IMAGE', 'AWS_REGION'],
    credentials: ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'],
    settings: () => ({ cluster: env['SHIPCLOCK_LIVE_ECS_CLUSTER'], service: env['SHIPCLOCK_LIVE_ECS_SERVICE'], container: env['SHIPCLOCK_LIVE_ECS_CONTAINER'], image: env['SHIPCLOCK_LIVE_ECS_IMAGE'], region: env['AWS_REGION'] }),
  },
  {
    kind: 'aws-lambda',
    needs: ['SHIPCLOCK_LIVE_LAMBDA_FUNCTION', 'SHIPCLOCK_LIVE_LAMBDA_IMAGE_URI', 'AWS_REGION'],
    credentials: ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'],
    settings: () => ({ function_name: env['SHIPCLOCK_LIVE_LAMBDA_FUNCTION'], image_uri: env['SHIPCLOCK_LIVE_LAMBDA_IMAGE_URI'], region: env['AWS_REGION'], publish: true }),
  },
  {
    kind: 'gcp-cloud-run',
    needs: ['SHIPCLOCK_LIVE_GCP_SERVICE', 'SHIPCLOCK_LIVE_GCP_REGION', 'SHIPCLOCK_LIVE_GCP_PROJECT', 'SHIPCLOCK_LIVE_GCP_IMAGE'],
    // gcloud's own login lives in its config dir; these say a login was set up on purpose.
    credentials: ['CLOUDSDK_AUTH_ACCESS_TOKEN', 'GOOGLE_APPLICATION_CREDENTIALS', 'SHIPCLOCK_LIVE_GCP_USE_GCLOUD_LOGIN'],
    settings: () => ({ service: env['SHIPCLOCK_LIVE_GCP_SERVICE'], region: env['SHIPCLOCK_LIVE_GCP_REGION'], project: env['SHIPCLOCK_LIVE_GCP_PROJECT'], image: env['SHIPCLOCK_LIVE_GCP_IMAGE'] }),
  },
  {
    kind: 'azure-container-apps',
    needs: ['AZURE_SUBSCRIPTION_ID', 'SHIPCLOCK_LIVE_AZURE_RESOURCE_GROUP', 'SHIPCLOCK_LIVE_AZURE_APP', 'SHIPCLOCK_LIVE_AZURE_IMAGE'],
    credentials: ['AZURE_CLIENT_ID', 'SHIPCLOCK_LIVE_AZURE_USE_AZ_LOGIN', 'IDENTITY_ENDPOINT'],
    settings: () => ({ resource_group: env['SHIPCLOCK_LIVE_AZURE_RESOURCE_GROUP'], app: env['SHIPCLOCK_LIVE_AZURE_APP'], image: env['SHIPCLOCK_LIVE_AZURE_IMAGE'] }),
  },
  {
    kind: 'kubernetes',
    needs: ['SHIPCLOCK_LIVE_K8S_DEPLOYMENT', 'SHIPCLOCK_LIVE_K8S_NAMESPACE', 'SHIPCLOCK_LIVE_K8S_CONTAINER', 'SHIPCLOCK_LIVE_K8S_IMAGE'],
    credentials: ['KUBECONFIG', 'SHIPCLOCK_LIVE_K8S_USE_DEFAULT_KUBECONFIG'],
    settings: () => ({ deployment: env['SHIPCLOCK_LIVE_K8S_DEPLOYMENT'], namespace: env['SHIPCLOCK_LIVE_K8S_NAMESPACE'], container: env['SHIPCLOCK_LIVE_K8S_CONTAINER'], image: env['SHIPCLOCK_LIVE_K8S_IMAGE'] }),
  },
];

function skipReason(c: LiveCase): string | false {
  if (!LIVE) return 'live suite: set SHIPCLOCK_LIVE=1 and the provider variables (docs/providers.md, "Live suite")';
  const missing = c.needs.filter((n) => !env[n]);
  if (missing.length) return `live ${c.kind}: set ${missing.join(', ')}`;
  if (!c.credentials.some((n) => env[n])) return `live ${c.kind}: no credentials in the environment (one of ${c.credentials.join(', ')})`;
  return false;
}

describe('LIVE deploys to real clouds (opt-in)', () => {
  for (const c of CASES) {
    it(`${c.kind}: a real deploy succeeds and is confirmed`, { skip: skipReason(c), timeout: LIMIT_MS + 60_000 }, async () => {
      const def = findProvider(c.kind);
      assert.ok(def, `${c.kind} is registered`);
      const provider = def.create(def.settingsSchema.parse(c.settings()));
      const ctx = testContext({ job: `live-${c.kind}` });
      const deadline = AbortSignal.timeout(LIMIT_MS);
      deadline.addEventListener('abort', () => ctx.controller.abort(new Error('live deploy timed out')));
      const handle = await provider.start(ctx);
      let r: PollResult;
      for (;;) {
        r = await provider.poll(handle, ctx);
        if (r.state !== 'pending') break;
        await new Promise((resolve) => setTimeout(resolve, r.state === 'pending' ? (r.retryAfterMs ?? 5_000) : 0));
      }
      assert.equal(r.state, 'succeeded', `${JSON.stringify(r)}\n${ctx.lines.join('\n')}`);
    });
  }
});
