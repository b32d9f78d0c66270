/** runCli: argument arrays (no shell), output capture, stderr lines to the log, kill on abort, a missing CLI. Real processes. */
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { runCli } from '../../src/providers/cli-exec.js';
import { formatCommand, redact } from '../../src/providers/command-line.js';
import { DeployError } from '../../src/providers/deploy-error.js';

describe('runCli', () => {
  it('passes arguments verbatim (no shell) and captures stdout, stderr lines to the log', async () => {
    const lines: string[] = [];
    const r = await runCli(process.execPath, ['-e', 'console.log(process.argv[1]); console.error("a\\nb")', '$(touch /tmp/x); `id` "q"'], {
      provider: 'test',
      signal: new AbortController().signal,
      log: (l) => lines.push(l),
    });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '$(touch /tmp/x); `id` "q"\n');
    assert.deepEqual(lines, ['a', 'b']);
  });

  it('kills the process when the run is aborted and rejects with `cancelled`', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = runCli(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("up")'], { provider: 'test', signal: ac.signal });
    ac.abort();
    const e = await p.catch((x: unknown) => x);
    assert.ok(e instanceof DeployError);
    assert.equal(e.errorClass, 'cancelled');
    assert.ok(Date.now() - started < 5_000, 'stopped by SIGTERM, not by the SIGKILL grace');
  });

  it('a CLI that is not installed is `invalid` with how to install it', async () => {
    const e = await runCli('shipclock-no-such-cli', [], { provider: 'test', signal: new AbortController().signal, installHint: 'Install it.' }).catch((x: unknown) => x);
    assert.ok(e instanceof DeployError);
    assert.equal(e.errorClass, 'invalid');
    assert.equal(e.code, 'E_DEPLOY_CLI_MISSING');
    assert.match(e.message, /Install it\./);
  });

  it('formatCommand quotes for copy-paste and redacts secrets', () => {
    assert.equal(formatCommand(['gcloud', 'run', 'deploy', 'a b', "it's", '--x=tok3n'], ['tok3n']), `gcloud run deploy 'a b' 'it'\\''s' '--x=***'`);
    assert.equal(redact('user:pw@host pw', ['pw']), 'user:***@host ***');
  });
});
