/**
 * A REAL OpenSSH server for the ssh provider's tests (not a fake): its own host key, an
 * authorised client key and a known_hosts file in a temp dir, on a free 127.0.0.1 port, as the
 * current user. Installs openssh-server through scripts/ensure-sshd.sh when it is missing.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { waitForOutput } from './wait-output.js';

const SSHD = '/usr/sbin/sshd';

export interface Sshd extends AsyncDisposable {
  readonly port: number;
  readonly dir: string;
  readonly user: string;
  readonly clientKey: string;
  readonly knownHosts: string;
  readonly process: ChildProcess;
}

export function ensureSshd(): void {
  if (existsSync(SSHD)) return;
  const script = new URL('../../scripts/ensure-sshd.sh', import.meta.url).pathname;
  const r = spawnSync('sh', [script], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(SSHD)) throw new Error(`could not install openssh-server (run ${script} as root)`);
}

export async function startSshd(): Promise<Sshd> {
  ensureSshd();
  // Privilege separation directory: normally made by the service unit, which we do not use.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-sshd-'));
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'shipclock-test', '-f', file]);
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
  const port = await freePort();
  const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
      'LogLevel INFO',
    ].join('\n') + '\n',
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(child, /Server listening on/, 'sshd');
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    port,
    dir,
    user: userInfo().username,
    clientKey: join(dir, 'client_key'),
    knownHosts: join(dir, 'known_hosts'),
    process: child,
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
