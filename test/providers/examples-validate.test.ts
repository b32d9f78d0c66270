/**
 * Every provider example in examples/<provider>/shipclock.yaml loads through the real config
 * loader (what `shipclock validate` runs), and its jobs resolve to the right provider kinds.
 */
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES: Record<string, Record<string, string>> = {
  'aws-ecs': { api: 'aws-ecs' },
  'aws-lambda': { thumbnailer: 'aws-lambda', resizer: 'aws-lambda' },
  'gcp-cloud-run': { web: 'gcp-cloud-run', 'web-canary': 'gcp-cloud-run' },
  'azure-container-apps': { orders: 'azure-container-apps' },
  kubernetes: { web: 'kubernetes', worker: 'kubernetes' },
  ssh: { site: 'ssh' },
  git: { paas: 'git' },
};

describe('provider examples validate with the config loader', () => {
  for (const [dir, jobs] of Object.entries(EXAMPLES)) {
    it(`examples/${dir}/shipclock.yaml`, async () => {
      const cwd = join(root, 'examples', dir);
      const config = await loadConfig({ file: 'shipclock.yaml', cwd, env: {}, flags: {} });
      const kinds = Object.fromEntries(config.jobs.map((j) => [j.name, j.provider.kind]));
      assert.deepEqual(kinds, jobs);
    });
  }
});

describe('`shipclock validate` accepts every provider example (the real CLI, from source)', () => {
  it('exit 0 and "valid" for each', async () => {
    const bin = join(root, 'src', 'cli', 'bin.ts');
    const runs = Object.keys(EXAMPLES).map(async (dir) => {
      const file = join(root, 'examples', dir, 'shipclock.yaml');
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', bin, 'validate', '-c', file], { cwd: root });
      return [dir, stdout] as const;
    });
    for (const [dir, stdout] of await Promise.all(runs)) assert.match(stdout, /: valid, \d+ jobs?/, dir);
  });
});
