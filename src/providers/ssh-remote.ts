/**
 * Running commands on a remote host over OpenSSH without ever building a shell string from
 * unquoted config: ssh always hands the remote side one command line, so every word is quoted
 * for the remote POSIX shell; host key checking stays on, and ssh never prompts (BatchMode).
 */
import { quoteArg } from './command-line.js';

export interface SshTarget {
  readonly host: string;
  readonly user?: string;
  readonly port: number;
  readonly identity_file?: string;
  readonly known_hosts?: string;
  readonly host_key_checking: 'yes' | 'accept-new';
  readonly connect_timeout: number;
}

/** Options shared by ssh, scp and rsync's `-e ssh …`. */
export function sshOptions(t: SshTarget): string[] {
  const o = ['-o', 'BatchMode=yes', '-o', `StrictHostKeyChecking=${t.host_key_checking}`, '-o', `ConnectTimeout=${Math.max(1, Math.round(t.connect_timeout / 1000))}`];
  if (t.known_hosts) o.push('-o', `UserKnownHostsFile=${t.known_hosts}`);
  if (t.identity_file) o.push('-i', t.identity_file, '-o', 'IdentitiesOnly=yes');
  return o;
}

export function destination(t: SshTarget): string {
  return t.user ? `${t.user}@${t.host}` : t.host;
}

/** Commands (argv each) as one remote command line, every word quoted, joined by `op`. */
export function remoteLine(commands: readonly (readonly string[])[], op: '&&' | ';' = '&&'): string {
  return commands.map((c) => c.map(quoteArg).join(' ')).join(` ${op} `);
}

/** argv for `ssh [options] -p PORT [user@]host -- LINE`. */
export function sshArgs(t: SshTarget, line: string): string[] {
  return [...sshOptions(t), '-p', String(t.port), destination(t), '--', line];
}
