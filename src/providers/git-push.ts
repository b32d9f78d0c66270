/**
 * `git`: pushes a commit to a remote (a PaaS git remote, or a bare repository with a deploy
 * hook): `git push --porcelain REMOTE SHA:refs/heads/BRANCH`. The commit is resolved first and
 * pushed by sha, so the handle names exactly what was deployed; success is `git ls-remote`
 * showing the remote ref at that sha. Rejections are read from `--porcelain` output (a
 * machine-readable line per ref), not from prose.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { runCli, type CliResult } from './cli-exec.js';
import { formatCommand } from './command-line.js';
import type { ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { localPath, localRemote } from './local-path.js';
import { nonEmpty } from './settings-schema.js';
import type { DeployContext, DeployHandle, ErrorClass, PollResult, Provider } from './types.js';

const KIND = 'git';

export const gitSettings = z.strictObject({
  /** Remote URL or path (credentials belong in ssh-agent or a credential helper, not here). */
  remote: nonEmpty.refine((r) => !r.startsWith('-'), { message: 'must not start with "-"' }),
  /** Local repository to push from. */
  repo: nonEmpty.default('.'),
  /** What to push: a branch, tag or commit in the local repository. */
  source: nonEmpty.default('HEAD'),
  /** Remote branch (or full ref) to update. */
  destination: nonEmpty.default('main'),
  /**
   * Overwrite the remote ref even if it is not an ancestor: `--force-with-lease=REF:SHA` with
   * the sha read just before, so a push someone made in between is still refused.
   */
  force: z.boolean().default(false),
});
export type GitSettings = z.output<typeof gitSettings>;

/** Hides a password or token written into a URL's user info. */
export function redactUrl(remote: string): string {
  return remote.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i, (_m, scheme: string, user: string) => `${scheme}${user.includes(':') ? `${user.split(':')[0] ?? ''}:***` : user}@`);
}

function fullRef(dst: string): string {
  return dst.startsWith('refs/') ? dst : `refs/heads/${dst}`;
}

/** `--porcelain` status flags: ` ` fast-forward, `+` forced, `-` deleted, `*` new, `!` rejected, `=` up to date. */
export function classifyPorcelain(stdout: string): { flag: string; summary: string } | undefined {
  const line = stdout.split('\n').find((l) => /^[ +\-*!=]\t/.test(l));
  if (!line) return undefined;
  const [flag = '', , summary = ''] = line.split('\t');
  return { flag, summary };
}

export class GitProvider implements Provider {
  readonly kind = KIND;
  constructor(private readonly s: GitSettings) {}

  private pushArgs(sha: string, lease?: string): string[] {
    const ref = fullRef(this.s.destination);
    const force = this.s.force ? [`--force-with-lease=${ref}:${lease ?? '<sha seen by ls-remote>'}`] : [];
    return ['-C', this.s.repo, 'push', '--porcelain', ...force, this.s.remote, `${sha}:${ref}`];
  }

  private lsRemoteArgs(): string[] {
    return ['-C', this.s.repo, 'ls-remote', '--exit-code', this.s.remote, fullRef(this.s.destination)];
  }

  private show(args: readonly string[]): string {
    return formatCommand(['git', ...args.map((a) => (a === this.s.remote ? redactUrl(a) : a))]);
  }

  plan(): readonly string[] {
    return [
      this.show(['-C', this.s.repo, 'rev-parse', '--verify', `${this.s.source}^{commit}`]),
      ...(this.s.force ? [this.show(this.lsRemoteArgs()) + '   # the lease'] : []),
      this.show(this.pushArgs('<sha>')),
      this.show(this.lsRemoteArgs()) + '   # must show <sha>',
    ];
  }

  private git(args: readonly string[], ctx: DeployContext): Promise<CliResult> {
    ctx.log(`$ ${this.show(args)}`);
    return runCli('git', args, {
      provider: KIND,
      // Never wait for a password prompt: a scheduled deploy has nobody to answer it.
      env: { ...ctx.env, GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env['GIT_SSH_COMMAND'] ?? 'ssh -o BatchMode=yes' },
      signal: ctx.signal,
      log: ctx.log,
      installHint: 'Install git.',
    });
  }

  private fatal(step: string, r: CliResult): DeployError {
    // Exit 128 is git's "fatal": no structured reason. A local remote path that does not
    // exist is checked directly; anything else is left unclassified (not retried) with a hint.
    const local = !/^[a-z][a-z0-9+.-]*:\/\/|^[^/]+@[^:]+:/i.test(this.s.remote);
    const errorClass: ErrorClass = local && !existsSync(this.s.remote) ? 'not_found' : 'unknown';
    const detail = r.stderr.trim().split('\n').slice(-2).join(' | ');
    return new DeployError(KIND, errorClass, `git ${step} failed (exit ${String(r.code)}): ${detail}. If the remote needs credentials, load the key into ssh-agent or configure a git credential helper.`);
  }

  private async remoteSha(ctx: DeployContext): Promise<string | undefined> {
    const r = await this.git(this.lsRemoteArgs(), ctx);
    if (r.code === 2) return undefined; // --exit-code: no such ref
    if (r.code !== 0) throw this.fatal('ls-remote', r);
    return r.stdout.split('\t')[0]?.trim();
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const rev = await this.git(['-C', this.s.repo, 'rev-parse', '--verify', '--end-of-options', `${this.s.source}^{commit}`], ctx);
    if (rev.code !== 0) throw new DeployError(KIND, 'invalid', `"${this.s.source}" is not a commit in ${this.s.repo}: ${rev.stderr.trim()}`);
    const sha = rev.stdout.trim();
    const before = ctx.attempt > 1 || this.s.force ? await this.remoteSha(ctx) : undefined;
    if (ctx.attempt > 1 && before === sha) {
      ctx.log(`git: ${fullRef(this.s.destination)} already at ${sha} (an earlier attempt's push landed)`);
      return this.handle(sha);
    }
    const r = await this.git(this.pushArgs(sha, before ?? ''), ctx);
    if (r.code !== 0) {
      const ref = classifyPorcelain(r.stdout);
      if (ref?.flag === '!') {
        // `[remote rejected]`: a hook on the remote refused the deploy (a PaaS build failing,
        // a policy); `[rejected]`: the remote branch moved on (non-fast-forward, stale lease).
        const errorClass: ErrorClass = ref.summary.startsWith('[remote rejected]') ? 'unhealthy' : 'conflict';
        throw new DeployError(KIND, errorClass, `git push of ${sha} to ${fullRef(this.s.destination)} was refused: ${ref.summary}`);
      }
      throw this.fatal('push', r);
    }
    return this.handle(sha);
  }

  private handle(sha: string): DeployHandle {
    return { id: sha, details: { commit: sha, remote: redactUrl(this.s.remote), ref: fullRef(this.s.destination) } };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const now = await this.remoteSha(ctx);
    if (now === handle.id) return { state: 'succeeded', message: `${fullRef(this.s.destination)} is at ${handle.id}` };
    if (now === undefined) return { state: 'failed', errorClass: 'not_found', message: `${fullRef(this.s.destination)} does not exist on the remote` };
    return { state: 'failed', errorClass: 'conflict', message: `${fullRef(this.s.destination)} is at ${now}, not ${handle.id}: another push replaced it` };
  }
}

export const gitDefinition: ProviderDefinition<GitSettings> = {
  kind: KIND,
  summary: 'git: push a commit to a remote (PaaS git remote or a bare repository with a deploy hook)',
  settingsSchema: gitSettings,
  create: (settings, options) =>
    new GitProvider({ ...settings, repo: localPath(settings.repo, options?.baseDir), remote: localRemote(settings.remote, options?.baseDir) }),
};
