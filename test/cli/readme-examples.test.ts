/**
 * The YAML examples in the README are real configs: each one validates with the real loader
 * (provider settings included), so the README cannot drift from the code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('the README has YAML examples', () => assert.ok(blocks.length >= 2));

for (const [i, yaml] of blocks.entries()) {
  test(`README YAML example ${i + 1} passes shipclock validate`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipclock-readme-'));
    writeFileSync(join(dir, 'shipclock.yaml'), yaml);
    const r = await runCli(['validate', '-c', join(dir, 'shipclock.yaml')], { cwd: dir, env: { SMTP_PASSWORD: 'x' } });
    assert.equal(r.code, 0, `${yaml}\n${r.stderr}`);
  });
}
