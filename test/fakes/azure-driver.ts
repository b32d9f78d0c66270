/**
 * Child-process driver for the azure contract test: NODE_EXTRA_CA_CERTS (the fake's
 * self-signed certificate) is only read at process start, so the provider runs here, in a
 * process started with it. Input: JSON argv[2] `{ settings, runId, attempts }`; output: one
 * JSON line per step on stdout.
 */
import { azureContainerAppsDefinition } from '../../src/providers/azure-container-apps.js';
import { DeployError } from '../../src/providers/deploy-error.js';
import { testContext } from './deploy-context.js';

const input = JSON.parse(process.argv[2] ?? '{}') as { settings: unknown; runId: string; attempts?: number[] };
const p = azureContainerAppsDefinition.create(azureContainerAppsDefinition.settingsSchema.parse(input.settings));
for (const attempt of input.attempts ?? [1]) {
  const ctx = testContext({ runId: input.runId, attempt });
  try {
    const handle = await p.start(ctx);
    console.log(JSON.stringify({ step: 'start', attempt, handle }));
    for (let i = 0; i < 10; i++) {
      const r = await p.poll(handle, ctx);
      console.log(JSON.stringify({ step: 'poll', attempt, result: r }));
      if (r.state !== 'pending') break;
    }
  } catch (err) {
    const e = err instanceof DeployError ? { errorClass: err.errorClass, message: err.message } : { errorClass: 'thrown', message: String(err) };
    console.log(JSON.stringify({ step: 'error', attempt, ...e }));
  }
}
