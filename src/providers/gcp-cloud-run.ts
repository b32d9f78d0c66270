/**
 * `gcp-cloud-run` (alias `gcp`): `gcloud run deploy SERVICE --image IMAGE --region R --project P
 * --format json --quiet --async --revision-suffix SUFFIX`. The suffix is derived from the run id
 * and attempt, so this deploy's revision has a name known before gcloud answers: it is the
 * handle, and a retried start can find it (re-read before deploying again). poll() reads the
 * revision (`gcloud run revisions describe`) and the service (`gcloud run services describe`):
 * success only when OUR revision is Ready and serving.
 * With `source:` gcloud builds the folder with Cloud Build inside the deploy call and waits for
 * the build (--async only skips waiting for the revision); a failed build is read back from
 * Cloud Build to classify it (gcp-cloud-run-build.ts).
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { parseJson, runCli, type CliResult } from './cli-exec.js';
import { formatCommand } from './command-line.js';
import type { ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { buildFailureClass, buildIsActive, buildOfThisDeploy, buildsSince, buildTag, describeBuildFailure, type CloudBuild } from './gcp-cloud-run-build.js';
import { cloudRunOutcome, readyOf, type RunHandleFacts, type RunRevision, type RunService } from './gcp-cloud-run-outcome.js';
import { classifyGcloud, GCLOUD_LOGIN_HINT } from './gcloud-errors.js';
import { localPath } from './local-path.js';
import { durationMs, envName, nonEmpty } from './settings-schema.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from './types.js';

const KIND = 'gcp-cloud-run';

export const gcpCloudRunSettings = z
  .strictObject({
    service: z.string().regex(/^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/, { message: 'a Cloud Run service name: lowercase letters, digits and hyphens, starting with a letter' }),
    region: nonEmpty,
    /** Defaults to gcloud's configured project (`gcloud config get project`). */
    project: nonEmpty.optional(),
    image: nonEmpty.optional(),
    /** Build from source instead of an image (`gcloud run deploy --source DIR`). */
    source: nonEmpty.optional(),
    /** `latest`: the new revision takes all traffic (gcloud's default); `none`: --no-traffic. */
    traffic: z.enum(['latest', 'none']).default('latest'),
    /** A traffic tag for the new revision (`--tag`), e.g. to test it at its own URL. */
    tag: z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { message: 'a tag: lowercase letters, digits and hyphens' }).optional(),
    /** Environment variables to set on the new revision (`--update-env-vars`). Values are redacted in plans. */
    env: z.record(envName, z.string()).optional(),
    /** Pause between poll() checks. */
    poll_interval: durationMs.default(5_000),
    gcloud: nonEmpty.default('gcloud'),
  })
  .refine((s) => (s.image === undefined) !== (s.source === undefined), { message: 'set exactly one of `image` and `source`', path: ['image'] });
export type GcpCloudRunSettings = z.output<typeof gcpCloudRunSettings>;

/** The part of a revision name that names the run: short, deterministic, valid in a revision name. */
function runTag(runId: string): string {
  return `sc-${createHash('sha256').update(runId).digest('hex').slice(0, 10)}`;
}

/** Revision suffix for a run and attempt (one revision per attempt: a failed one is never re-used). */
export function revisionSuffix(runId: string, attempt: number): string {
  return `${runTag(runId)}-${attempt}`;
}

/** The part of `gcloud run deploy --format json` (the service) the provider reads. */
interface DeployedService {
  metadata?: { annotations?: Record<string, string> };
  spec?: { template?: { metadata?: { name?: string }; spec?: { containers?: { image?: string }[] } } };
}

export class GcpCloudRunProvider implements Provider {
  readonly kind = KIND;
  constructor(private readonly s: GcpCloudRunSettings) {}

  private where(): string[] {
    const a = ['--region', this.s.region];
    if (this.s.project) a.push('--project', this.s.project);
    return a;
  }

  private deployArgs(suffix: string): string[] {
    const s = this.s;
    const a = ['run', 'deploy', s.service];
    if (s.image !== undefined) a.push('--image', s.image);
    else a.push('--source', s.source ?? '.');
    a.push(...this.where(), '--revision-suffix', suffix);
    if (s.traffic === 'none') a.push('--no-traffic');
    if (s.tag) a.push('--tag', s.tag);
    const env = Object.entries(s.env ?? {});
    if (env.length > 0) {
      // gcloud's list syntax splits on commas; pick a delimiter no value contains (`^DELIM^…`).
      const all = env.map(([k, v]) => `${k}=${v}`);
      const delim = ['@', '#', '|', '~', ';'].find((d) => all.every((x) => !x.includes(d))) ?? '@@@';
      a.push(`--update-env-vars=^${delim}^${all.join(delim)}`);
    }
    a.push('--format', 'json', '--quiet', '--async');
    return a;
  }

  plan(ctx: DeployContext): readonly string[] {
    const g = this.s.gcloud;
    const suffix = revisionSuffix(ctx.runId, ctx.attempt);
    const rev = `${this.s.service}-${suffix}`;
    const secrets = Object.values(this.s.env ?? {});
    const building = this.s.source !== undefined ? '   # uploads the folder, builds it with Cloud Build and waits for the build' : '';
    return [
      formatCommand([g, ...this.deployArgs(suffix)], secrets) + building,
      formatCommand([g, 'run', 'revisions', 'describe', rev, ...this.where(), '--format', 'json']) + '   # until Ready',
      formatCommand([g, 'run', 'services', 'describe', this.s.service, ...this.where(), '--format', 'json']) + '   # serving check',
    ];
  }

  private gcloud(args: readonly string[], ctx: DeployContext, quiet = false, signal: AbortSignal = ctx.signal): Promise<CliResult> {
    if (!quiet) ctx.log(`$ ${formatCommand([this.s.gcloud, ...args], Object.values(this.s.env ?? {}))}`);
    return runCli(this.s.gcloud, args, {
      provider: KIND,
      env: ctx.env,
      signal,
      log: ctx.log,
      installHint: 'Install the Google Cloud CLI: https://cloud.google.com/sdk/docs/install',
    });
  }

  /** Turns a failed gcloud call into a DeployError, asking gcloud about credentials when the output carries no API status. */
  private async failure(step: string, r: CliResult, ctx: DeployContext): Promise<DeployError> {
    const detail = r.stderr.trim().split('\n').filter((l) => l.startsWith('ERROR')).join(' ') || r.stderr.trim().slice(-300);
    let errorClass = classifyGcloud(r);
    if (errorClass === undefined) {
      const probe = await this.gcloud(['auth', 'print-access-token', '--quiet'], ctx, true);
      errorClass = probe.code === 0 ? 'unknown' : 'auth';
    }
    const hint = errorClass === 'auth' ? ` ${GCLOUD_LOGIN_HINT}` : '';
    return new DeployError(KIND, errorClass, `gcloud ${step} failed (exit ${String(r.code)}): ${detail}.${hint}`);
  }

  private async describe<T>(what: 'revisions' | 'services', name: string, ctx: DeployContext): Promise<T> {
    const r = await this.gcloud(['run', what, 'describe', name, ...this.where(), '--format', 'json'], ctx);
    const obj = r.code === 0 ? parseJson(r.stdout) : undefined;
    if (r.code !== 0 || !obj) throw await this.failure(`run ${what} describe`, r, ctx);
    return obj as T;
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const prefix = `${this.s.service}-${runTag(ctx.runId)}-`;
    if (ctx.attempt > 1) {
      // Re-read first: an earlier attempt's deploy may have landed although gcloud failed.
      const r = await this.gcloud(['run', 'revisions', 'list', '--service', this.s.service, ...this.where(), '--format', 'json'], ctx);
      if (r.code !== 0) throw await this.failure('run revisions list', r, ctx);
      const mine = ((parseJson(r.stdout) as RunRevision[] | undefined) ?? []).filter((x) => x.metadata?.name?.startsWith(prefix));
      const usable = mine.find((x) => readyOf(x)?.status !== 'False');
      if (usable?.metadata?.name) {
        ctx.log(`gcp-cloud-run: revision ${usable.metadata.name} from an earlier attempt of this run exists; checking it`);
        return this.handle(usable.metadata.name);
      }
    }
    if (this.s.source !== undefined) await this.checkSource();
    const suffix = revisionSuffix(ctx.runId, ctx.attempt);
    const startedMs = Date.now();
    const r = await this.gcloud(this.deployArgs(suffix), ctx).catch(async (err: unknown) => {
      // Stopped (timeout, cancel, shutdown) while gcloud waited for the build: stopping gcloud
      // does not stop Cloud Build, so cancel this deploy's build, or it would go on (and be billed).
      if (this.s.source !== undefined && ctx.signal.aborted) await this.cancelBuild(ctx, startedMs);
      throw err;
    });
    if (r.code !== 0) throw (this.s.source !== undefined && (await this.buildFailure(r, ctx, startedMs))) || (await this.failure('run deploy', r, ctx));
    const revision = `${this.s.service}-${suffix}`;
    const out = parseJson(r.stdout) as DeployedService | undefined;
    const created = out?.spec?.template?.metadata?.name;
    if (created !== undefined && created !== revision) {
      throw new DeployError(KIND, 'unknown', `gcloud deployed template ${created}, expected ${revision}`);
    }
    if (this.s.source === undefined) return this.handle(revision);
    // What the build produced: gcloud pins the image by digest and notes the build on the service.
    const build = out?.metadata?.annotations?.['run.googleapis.com/build-id'];
    const built = out?.spec?.template?.spec?.containers?.[0]?.image;
    return this.handle(revision, { ...(build ? { build } : {}), ...(built ? { image: built } : {}) });
  }

  /** A missing source folder is a settings mistake: say so before gcloud starts a build. */
  private async checkSource(): Promise<void> {
    const found = await stat(this.s.source ?? '').catch(() => null);
    if (!found?.isDirectory()) {
      throw new DeployError(KIND, 'invalid', `source folder ${this.s.source ?? ''} does not exist or is not a folder (setting \`source\`, relative to the config file)`, {
        code: 'E_GCP_SOURCE',
      });
    }
  }

  /**
   * After a failed source deploy without an API status: did the build fail? Reads this deploy's
   * build from Cloud Build; undefined when there is none or it did not fail (the usual path then).
   */
  private async buildFailure(r: CliResult, ctx: DeployContext, startedMs: number): Promise<DeployError | undefined> {
    if (classifyGcloud(r) !== undefined) return undefined;
    const list = await this.gcloud(['builds', 'list', ...this.where(), '--filter', `tags=${buildTag(this.s.service)}`, '--limit', '5', '--format', 'json'], ctx);
    const build = list.code === 0 ? buildOfThisDeploy((parseJson(list.stdout) as CloudBuild[] | undefined) ?? [], this.s.service, startedMs) : undefined;
    const errorClass = build && buildFailureClass(build);
    if (!build || !errorClass) return undefined;
    return new DeployError(KIND, errorClass, `gcloud run deploy --source failed: ${describeBuildFailure(build)}`, { code: 'E_GCP_BUILD' });
  }

  /**
   * Cancels this deploy's build if it is still queued or running (`gcloud builds cancel`), with
   * its own 20 s deadline since the run's signal has fired (the runner waits 30 s for a stopped
   * deploy). Cloud Build cannot say which build gcloud submitted, only which builds of the
   * service began since this deploy did: with one still running, it is this deploy's; with
   * several (another job or a person deploying the same service), none is cancelled rather than
   * someone else's. Best effort: the run is already ending as stopped; what happened is logged.
   */
  private async cancelBuild(ctx: DeployContext, startedMs: number): Promise<void> {
    const signal = AbortSignal.timeout(20_000);
    try {
      const list = await this.gcloud(['builds', 'list', ...this.where(), '--filter', `tags=${buildTag(this.s.service)}`, '--limit', '10', '--format', 'json'], ctx, false, signal);
      const since = list.code === 0 ? buildsSince((parseJson(list.stdout) as CloudBuild[] | undefined) ?? [], this.s.service, startedMs) : [];
      const active = since.filter(buildIsActive);
      if (active.length > 1) {
        return ctx.log(`gcp-cloud-run: builds ${active.map((b) => b.id ?? '?').join(', ')} of ${this.s.service} are running, and Cloud Build cannot say which is this deploy's; cancelling none`);
      }
      const build = active[0];
      if (!build?.id) {
        const ended = since[0];
        return ctx.log(ended ? `gcp-cloud-run: build ${ended.id ?? '?'} already ended (${ended.status ?? 'unknown'}); nothing to cancel` : 'gcp-cloud-run: stopped before Cloud Build had a build of this deploy; nothing to cancel');
      }
      const r = await this.gcloud(['builds', 'cancel', build.id, ...this.where(), '--format', 'json'], ctx, false, signal);
      ctx.log(r.code === 0 ? `gcp-cloud-run: cancelled build ${build.id}` : `gcp-cloud-run: could not cancel build ${build.id} (exit ${String(r.code)}): ${r.stderr.trim().slice(-300)}`);
    } catch (err) {
      ctx.log(`gcp-cloud-run: could not cancel this deploy's build: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private handle(revision: string, built: { build?: string; image?: string } = {}): DeployHandle {
    const { service, region, project, traffic, tag, image, source } = this.s;
    return {
      id: revision,
      details: { revision, service, region, ...(project ? { project } : {}), traffic, ...(tag ? { tag } : {}), ...(image ? { image } : {}), ...(source ? { source } : {}), ...built },
    };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const d = handle.details ?? {};
    const facts: RunHandleFacts = { revision: handle.id, noTraffic: d['traffic'] === 'none', ...(typeof d['tag'] === 'string' ? { tag: d['tag'] } : {}) };
    const rev = await this.describe<RunRevision>('revisions', handle.id, ctx);
    if (readyOf(rev)?.status !== 'True') {
      const early = cloudRunOutcome(rev, {}, facts);
      return early.state === 'pending' ? { ...early, retryAfterMs: this.s.poll_interval } : early;
    }
    const out = cloudRunOutcome(rev, await this.describe<RunService>('services', this.s.service, ctx), facts);
    return out.state === 'pending' ? { ...out, retryAfterMs: this.s.poll_interval } : out;
  }
}

export const gcpCloudRunDefinition: ProviderDefinition<GcpCloudRunSettings> = {
  kind: KIND,
  aliases: ['gcp'],
  summary: 'Google Cloud Run: gcloud run deploy, then checks this deploy\'s revision is Ready and serving',
  settingsSchema: gcpCloudRunSettings,
  create: (settings, options) => new GcpCloudRunProvider({ ...settings, source: localPath(settings.source, options?.baseDir) }),
};
