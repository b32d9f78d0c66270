/**
 * `local`: deploy an app folder on this machine, Capistrano-style.
 *
 * start(): copy the source into `<releases_dir>/<release id>` (the handle: the release id).
 * poll():  build in the copy, switch `current` to it atomically, restart, check health. When
 *          the restart or the health check fails, switch `current` back to the previous release
 *          and restart that (outcome `rolled_back`). Then prune to the newest `keep` releases.
 *
 * Success is about *this* release: the health check runs after `current` points at it and the
 * restart command has run from its folder.
 */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProviderCreateOptions, ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { waitForHealthy } from './health.js';
import {
  CURRENT_LINK,
  createRelease,
  listReleases,
  pruneReleases,
  readCurrent,
  releaseIdFor,
  switchCurrent,
} from './local-releases.js';
import { localSettingsSchema, releasesDirFor, resolveLocalSettings, type LocalSettings, type ResolvedLocalSettings } from './local-settings.js';
import { describeExit, runStep, type StepOptions } from './process-tree-step.js';
import { Redactor, secretValuesFromSettings } from './redact.js';
import { healthLine } from './shell.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from './types.js';

const KIND = 'local';
/** Time the previous release's restart gets when a stopped run rolls back (see stoppedWhileLive). */
const ROLLBACK_RESTART_MS = 20_000;

interface Prepared {
  readonly releasesDir: string;
  readonly path: string;
  /** Already live (a previous attempt switched to it): only restart and health remain. */
  readonly alreadyLive: boolean;
}

/** Why the new release could not go live; null when it did. */
type Problem = string | null;

export class LocalProvider implements Provider {
  readonly kind = KIND;
  private readonly prepared = new Map<string, Prepared>();

  constructor(
    private readonly settings: ResolvedLocalSettings,
    private readonly redactor: Redactor,
  ) {}

  plan(ctx: DeployContext): readonly string[] {
    const s = this.settings;
    const dir = releasesDirFor(s, ctx.stateDir, ctx.job);
    const id = releaseIdFor(ctx.runId, ctx.attempt);
    const lines = [`copy ${s.source} to ${join(dir, id)}`];
    if (s.build) lines.push(`run ${this.redactor.redact(JSON.stringify(s.build))} in ${join(dir, id)}`);
    lines.push(`point ${join(dir, CURRENT_LINK)} at ${id} (symlink, atomic rename)`);
    if (s.restart) lines.push(`run ${this.redactor.redact(JSON.stringify(s.restart))} in ${join(dir, id)}`);
    if (s.health) lines.push(healthLine(s.health));
    lines.push(`on failure roll back to the previous release; keep the newest ${s.keep} releases`);
    return lines;
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const s = this.settings;
    const releasesDir = releasesDirFor(s, ctx.stateDir, ctx.job);
    const id = releaseIdFor(ctx.runId, ctx.attempt);
    const src = await stat(s.source).catch(() => null);
    if (!src?.isDirectory()) {
      throw new DeployError(KIND, 'not_found', `source folder ${s.source} does not exist (setting \`source\`)`, {
        code: 'E_LOCAL_SOURCE',
      });
    }
    const path = join(releasesDir, id);
    // Re-read state first: an earlier attempt of this run may already have gone live.
    if ((await readCurrent(releasesDir)) === id) {
      ctx.log(`[shipclock] release ${id} is already live; restarting and checking it`);
      this.prepared.set(id, { releasesDir, path, alreadyLive: true });
    } else {
      ctx.log(`[shipclock] copy ${s.source} to ${path}`);
      try {
        await createRelease(s.source, releasesDir, id, ctx.runId, [ctx.stateDir]);
      } catch (e) {
        throw new DeployError(KIND, 'unknown', `copying ${s.source} failed: ${(e as Error).message}`, { cause: e });
      }
      this.prepared.set(id, { releasesDir, path, alreadyLive: false });
    }
    return { id, details: { path } };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const p = this.prepared.get(handle.id);
    this.prepared.delete(handle.id);
    if (!p) {
      return { state: 'failed', errorClass: 'unknown', message: `release ${handle.id} was not prepared by this shipclock process` };
    }
    const s = this.settings;
    const id = handle.id;

    if (s.build && !p.alreadyLive) {
      ctx.log(`[shipclock] build: ${this.redactor.redact(JSON.stringify(s.build))}`);
      const exit = await runStep(s.build, ctx, this.stepOptions(p.path, this.releaseEnv(p.releasesDir, id)));
      if (exit.stopped) {
        await rm(p.path, { recursive: true, force: true });
        return stoppedResult('build');
      }
      if (exit.code !== 0) {
        // Never went live: remove it so it is not mistaken for a release to roll back to.
        await rm(p.path, { recursive: true, force: true });
        return { state: 'failed', errorClass: 'unknown', message: `build ${describeExit(exit)}; ${id} did not go live` };
      }
    }

    const live = await readCurrent(p.releasesDir);
    const previous = live !== null && live !== id ? live : await this.newestOther(p.releasesDir, id);
    if (!p.alreadyLive) {
      try {
        await switchCurrent(p.releasesDir, id);
      } catch (e) {
        const where = join(p.releasesDir, CURRENT_LINK);
        return { state: 'failed', errorClass: 'invalid', message: `cannot point ${where} at ${id}: ${(e as Error).message} (is it a real folder? move it away)` };
      }
      ctx.log(`[shipclock] ${CURRENT_LINK} -> ${id}${live && live !== id ? ` (was ${live})` : ''}`);
    }

    const problem = await this.activate(ctx, p.releasesDir, id);
    if (ctx.signal.aborted) return this.stoppedWhileLive(ctx, p.releasesDir, id, p.alreadyLive ? null : previous);
    if (problem === null) {
      await this.prune(ctx, p.releasesDir);
      return { state: 'succeeded', message: `release ${id} is live${s.health ? ' and healthy' : ''}` };
    }
    if (previous === null) {
      return { state: 'failed', errorClass: 'unhealthy', message: `${problem}; no previous release to roll back to` };
    }

    ctx.log(`[shipclock] ${problem}: rolling back to ${previous}`);
    await switchCurrent(p.releasesDir, previous);
    ctx.log(`[shipclock] ${CURRENT_LINK} -> ${previous} (rollback)`);
    const after = await this.activate(ctx, p.releasesDir, previous);
    await this.prune(ctx, p.releasesDir);
    const restored = after === null ? `${previous} is live again` : `${previous} is live again but ${after}`;
    return { state: 'rolled_back', message: `${problem}; rolled back: ${restored}` };
  }

  /**
   * The run was stopped (timeout, cancel, shutdown) after `current` moved to `id`: put the
   * previous release back, so a stopped deploy does not leave a half-started release live.
   * The run's signal is already aborted, so the previous release's restart gets its own short
   * deadline (within the runner's grace period); its health is not waited for.
   */
  private async stoppedWhileLive(ctx: DeployContext, releasesDir: string, id: string, previous: string | null): Promise<PollResult> {
    if (previous === null) return stoppedResult(`activation of ${id}`);
    await switchCurrent(releasesDir, previous);
    ctx.log(`[shipclock] stopped while activating ${id}: ${CURRENT_LINK} -> ${previous} (rollback)`);
    let restarted = '';
    if (this.settings.restart) {
      const rollbackCtx: DeployContext = { ...ctx, signal: AbortSignal.timeout(ROLLBACK_RESTART_MS) };
      const exit = await runStep(this.settings.restart, rollbackCtx, this.stepOptions(join(releasesDir, previous), this.releaseEnv(releasesDir, previous)));
      restarted = exit.code === 0 ? ' and restarted' : `; its restart ${describeExit(exit)}`;
    }
    return { state: 'failed', errorClass: 'cancelled', message: `stopped during activation of ${id}; rolled back to ${previous}${restarted}` };
  }

  /** Restart (if configured) from the release's folder, then check health. */
  private async activate(ctx: DeployContext, releasesDir: string, id: string): Promise<Problem> {
    const s = this.settings;
    if (s.restart) {
      ctx.log(`[shipclock] restart: ${this.redactor.redact(JSON.stringify(s.restart))}`);
      const exit = await runStep(s.restart, ctx, this.stepOptions(join(releasesDir, id), this.releaseEnv(releasesDir, id)));
      if (exit.stopped) return 'restart stopped';
      if (exit.code !== 0) return `restart ${describeExit(exit)}`;
    }
    if (!s.health) return null;
    ctx.log(`[shipclock] ${healthLine(s.health)}`);
    const r = await waitForHealthy(s.health, ctx.signal);
    if (r.healthy) {
      ctx.log(`[shipclock] healthy: HTTP ${r.status}`);
      return null;
    }
    ctx.log(`[shipclock] unhealthy: ${r.reason}`);
    return `health check failed: ${r.reason}`;
  }

  private async prune(ctx: DeployContext, releasesDir: string): Promise<void> {
    const removed = await pruneReleases(releasesDir, this.settings.keep);
    if (removed.length > 0) ctx.log(`[shipclock] pruned ${removed.length} old release(s): ${removed.join(', ')}`);
  }

  private async newestOther(releasesDir: string, id: string): Promise<string | null> {
    const others = (await listReleases(releasesDir)).filter((r) => r.id !== id);
    return others.at(-1)?.id ?? null;
  }

  private releaseEnv(releasesDir: string, id: string): Record<string, string> {
    return {
      ...this.settings.env,
      SHIPCLOCK_RELEASE_ID: id,
      SHIPCLOCK_RELEASE_DIR: join(releasesDir, id),
      SHIPCLOCK_RELEASES_DIR: releasesDir,
      SHIPCLOCK_CURRENT: join(releasesDir, CURRENT_LINK),
    };
  }

  private stepOptions(cwd: string, env: Record<string, string>): StepOptions {
    return { provider: KIND, cwd, env, redactor: this.redactor };
  }
}

function stoppedResult(step: string): PollResult {
  return { state: 'failed', errorClass: 'cancelled', message: `stopped during ${step}` };
}

export const localDefinition: ProviderDefinition<LocalSettings> = {
  kind: KIND,
  summary: 'copy an app folder into releases/<run id>, build, switch a `current` symlink, restart, check health, roll back on failure',
  settingsSchema: localSettingsSchema,
  create(settings: LocalSettings, options: ProviderCreateOptions = {}): Provider {
    const resolved = resolveLocalSettings(settings, options.baseDir ?? process.cwd());
    return new LocalProvider(resolved, new Redactor(secretValuesFromSettings(settings)));
  },
};
