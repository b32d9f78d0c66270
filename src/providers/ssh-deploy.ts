/**
 * `ssh`: copies a build folder to `PATH/releases/<run id>` on a remote host (rsync over
 * OpenSSH when rsync is installed, else scp), switches `PATH/current` atomically (a new link
 * renamed over the old one), runs a restart command, checks health (a URL or a remote command),
 * and on failure switches back to the previous release and restarts it. Host key checking is
 * on (StrictHostKeyChecking=yes by default, `known_hosts` to name the file).
 */
import { z } from 'zod';
import { runCli, type CliResult } from './cli-exec.js';
import { formatCommand } from './command-line.js';
import type { ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { localPath } from './local-path.js';
import { checkHealth } from './ssh-health.js';
import { destination, remoteLine, sshArgs, sshOptions, type SshTarget } from './ssh-remote.js';
import { durationMs, nonEmpty } from './settings-schema.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from './types.js';

const KIND = 'ssh';
const argv = z.array(z.string()).min(1, { message: 'a command as an argument array, e.g. ["systemctl", "restart", "app"]' });

export const sshSettings = z
  .strictObject({
    host: nonEmpty.refine((h) => !h.startsWith('-'), { message: 'must not start with "-"' }),
    user: nonEmpty.refine((u) => !u.startsWith('-'), { message: 'must not start with "-"' }).optional(),
    port: z.number().int().min(1).max(65535).default(22),
    /** Local build folder to copy. */
    source: nonEmpty,
    /** Remote base folder: releases go to PATH/releases/<run id>, the live one is PATH/current. */
    path: z.string().regex(/^\//, { message: 'an absolute remote path' }),
    /** Run in PATH after the switch (argument array; each word is quoted for the remote shell). */
    restart: argv.optional(),
    /** Health: a URL that must answer 2xx, and/or a remote command that must exit 0 (run in PATH). */
    health_url: z.url().optional(),
    health_command: argv.optional(),
    health_retries: z.number().int().min(1).default(10),
    health_interval: durationMs.default(2_000),
    identity_file: nonEmpty.optional(),
    known_hosts: nonEmpty.optional(),
    /** `yes` (default): unknown or changed host keys are refused; `accept-new` trusts a first contact. */
    host_key_checking: z.enum(['yes', 'accept-new']).default('yes'),
    connect_timeout: durationMs.default(15_000),
    keep_releases: z.number().int().min(1).default(5),
    /** `auto`: rsync when installed locally, else scp. */
    copy_with: z.enum(['auto', 'rsync', 'scp']).default('auto'),
  });
export type SshSettings = z.output<typeof sshSettings>;

export class SshProvider implements Provider {
  readonly kind = KIND;
  private readonly t: SshTarget;
  constructor(private readonly s: SshSettings) {
    this.t = s;
  }

  private releaseDir(runId: string): string {
    return `${this.s.path}/releases/${runId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  }

  private switchLine(target: string, runId: string): string {
    const tmp = `${this.s.path}/.current-${runId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    // rename(2) over the old link is atomic: readers see the old or the new release, never none.
    return remoteLine([['ln', '-sfn', target, tmp], ['mv', '-T', tmp, `${this.s.path}/current`]]);
  }

  private envWords(ctx: DeployContext): string[] {
    return ['env', ...Object.entries(ctx.env).filter(([k]) => k.startsWith('SHIPCLOCK_')).map(([k, v]) => `${k}=${v}`)];
  }

  private async useRsync(ctx: DeployContext): Promise<boolean> {
    if (this.s.copy_with !== 'auto') return this.s.copy_with === 'rsync';
    const r = await runCli('rsync', ['--version'], { provider: KIND, signal: ctx.signal }).catch(() => undefined);
    return r?.code === 0;
  }

  private copyArgs(rsync: boolean, release: string): [string, string[]] {
    const src = this.s.source.replace(/\/+$/, '');
    if (rsync) {
      // rsync splits -e on spaces (quotes respected), so each ssh word is quoted for it.
      const e = ['ssh', ...sshOptions(this.t), '-p', String(this.s.port)].map((w) => (/[\s'"]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
      return ['rsync', ['-a', '--delete', '-e', e, '--', `${src}/`, `${destination(this.t)}:${release}/`]];
    }
    return ['scp', [...sshOptions(this.t), '-P', String(this.s.port), '-r', '-p', '--', src, `${destination(this.t)}:${release}`]];
  }

  plan(ctx: DeployContext): readonly string[] {
    const release = this.releaseDir(ctx.runId);
    const [copy, copyArgs] = this.copyArgs(this.s.copy_with !== 'scp', release);
    const lines = [
      formatCommand(['ssh', ...sshArgs(this.t, remoteLine([['mkdir', '-p', `${this.s.path}/releases`], ['readlink', `${this.s.path}/current`]], ';'))]),
      formatCommand([copy, ...copyArgs]) + (this.s.copy_with === 'auto' ? '   # scp -r when rsync is missing' : ''),
      formatCommand(['ssh', ...sshArgs(this.t, this.switchLine(release, ctx.runId))]),
    ];
    if (this.s.restart) lines.push(formatCommand(['ssh', ...sshArgs(this.t, remoteLine([['cd', this.s.path], [...this.envWords(ctx), ...this.s.restart]]))]));
    if (this.s.health_url) lines.push(`GET ${this.s.health_url}   # 2xx, up to ${this.s.health_retries} tries`);
    if (this.s.health_command) lines.push(formatCommand(['ssh', ...sshArgs(this.t, remoteLine([['cd', this.s.path], this.s.health_command]))]));
    lines.push('on failure: switch current back to the previous release and restart it');
    return lines;
  }

  private ssh(line: string, ctx: DeployContext): Promise<CliResult> {
    const args = sshArgs(this.t, line);
    ctx.log(`$ ${formatCommand(['ssh', ...args])}`);
    return runCli('ssh', args, { provider: KIND, env: ctx.env, signal: ctx.signal, log: ctx.log, installHint: 'Install the OpenSSH client.' });
  }

  private failure(step: string, r: CliResult): DeployError {
    const detail = r.stderr.trim().split('\n').slice(-2).join(' | ');
    if (r.code === 255) {
      // 255 is ssh's own failure (connect, host key, authentication): no structured reason.
      return new DeployError(KIND, 'unknown', `ssh ${step}: could not run on ${destination(this.t)}:${this.s.port}: ${detail}. Check the host key is in ${this.s.known_hosts ?? '~/.ssh/known_hosts'} (verify it, then ssh-keyscan -p ${this.s.port} ${this.s.host}), and that the key (identity_file or ssh-agent) is authorised.`);
    }
    return new DeployError(KIND, 'invalid', `${step} failed on ${this.s.host} (exit ${String(r.code)}): ${detail}`);
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const release = this.releaseDir(ctx.runId);
    const prep = await this.ssh(remoteLine([['mkdir', '-p', `${this.s.path}/releases`], ['readlink', `${this.s.path}/current`]], ';'), ctx);
    if (prep.code === 255) throw this.failure('prepare', prep);
    const current = prep.stdout.trim();
    // Re-read: after a lost answer the switch to this run's release may already have happened.
    const previous = current === release ? undefined : current || undefined;
    if (current === release) {
      ctx.log(`ssh: current already points to ${release} (an earlier attempt switched it)`);
      return this.handle(release, undefined);
    }
    const rsync = await this.useRsync(ctx);
    const [copy, copyArgs] = this.copyArgs(rsync, release);
    if (!rsync) {
      const clean = await this.ssh(remoteLine([['rm', '-rf', release]]), ctx); // scp -r into an existing dir would nest
      if (clean.code !== 0) throw this.failure('clean release dir', clean);
    }
    ctx.log(`$ ${formatCommand([copy, ...copyArgs])}`);
    const cp = await runCli(copy, copyArgs, { provider: KIND, env: ctx.env, signal: ctx.signal, log: ctx.log, installHint: `Install ${copy}.` });
    if (cp.code !== 0) throw this.failure(`copy (${copy})`, { ...cp, code: cp.code === 255 || (rsync && cp.code === 12) ? 255 : cp.code });
    const sw = await this.ssh(this.switchLine(release, ctx.runId), ctx);
    if (sw.code !== 0) throw this.failure('switch current', sw);
    return this.handle(release, previous);
  }

  private handle(release: string, previous: string | undefined): DeployHandle {
    return { id: release, details: { host: this.s.host, release, previous: previous ?? null } };
  }

  private async restart(ctx: DeployContext): Promise<CliResult | undefined> {
    if (!this.s.restart) return undefined;
    return this.ssh(remoteLine([['cd', this.s.path], [...this.envWords(ctx), ...this.s.restart]]), ctx);
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const previous = handle.details?.['previous'];
    const restarted = await this.restart(ctx);
    let problem: string | undefined;
    if (restarted && restarted.code !== 0) {
      if (restarted.code === 255) throw this.failure('restart', restarted);
      problem = `restart exited ${String(restarted.code)}: ${restarted.stderr.trim().split('\n').pop() ?? ''}`;
    } else {
      problem = await checkHealth(this.s, (line) => this.ssh(line, ctx), ctx);
    }
    if (problem === undefined) {
      await this.prune(handle.id, ctx);
      return { state: 'succeeded', message: `${handle.id} is live and healthy` };
    }
    if (typeof previous !== 'string') return { state: 'failed', errorClass: 'unhealthy', message: `${problem}; no previous release to roll back to` };
    const back = await this.ssh(this.switchLine(previous, `rollback-${ctx.runId}`), ctx);
    if (back.code !== 0) return { state: 'failed', errorClass: 'unhealthy', message: `${problem}; rollback failed: ${this.failure('switch back', back).message}` };
    const again = await this.restart(ctx);
    const note = again && again.code !== 0 ? ` (restart after rollback exited ${String(again.code)})` : '';
    return { state: 'rolled_back', message: `${problem}; current switched back to ${previous}${note}` };
  }

  /** Keeps the newest `keep_releases` releases (and always the live one). */
  private async prune(live: string, ctx: DeployContext): Promise<void> {
    const list = await this.ssh(remoteLine([['ls', '-1t', `${this.s.path}/releases`]]), ctx);
    if (list.code !== 0) return;
    const names = list.stdout.split('\n').map((n) => n.trim()).filter(Boolean);
    const old = names.map((n) => `${this.s.path}/releases/${n}`).filter((p) => p !== live).slice(Math.max(0, this.s.keep_releases - 1));
    if (old.length > 0) await this.ssh(remoteLine([['rm', '-rf', '--', ...old]]), ctx);
  }
}

export const sshDefinition: ProviderDefinition<SshSettings> = {
  kind: KIND,
  summary: 'SSH: copy a build to releases/<run id>, switch current atomically, restart, check health, roll back on failure',
  settingsSchema: sshSettings,
  create: (settings, options) =>
    new SshProvider({
      ...settings,
      source: localPath(settings.source, options?.baseDir),
      identity_file: localPath(settings.identity_file, options?.baseDir),
      known_hosts: localPath(settings.known_hosts, options?.baseDir),
    }),
};
