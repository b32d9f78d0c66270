/**
 * `shell`: deploy by running a command. Success means exit 0 and, when `health:` is set, the
 * health URL answering as expected within its deadline: both about *this* run's process.
 *
 * The handle is `<pid>@<start time>`: a pid alone is reused by the OS. The running process is
 * tracked in memory, so `poll` can only report on processes this shipclock process started.
 */
import type { ProviderDefinition, ProviderCreateOptions } from './definition.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from './types.js';
import { waitForHealthy } from './health.js';
import { describeExit, startStep } from './process-tree-step.js';
import type { RunningTree } from './process-tree.js';
import { Redactor, REDACTED, SECRET_NAME, secretValuesFromSettings } from './redact.js';
import { resolveShellSettings, shellSettingsSchema, type ResolvedShellSettings, type ShellSettings } from './shell-settings.js';

const KIND = 'shell';

export class ShellProvider implements Provider {
  readonly kind = KIND;
  private readonly running = new Map<string, RunningTree>();

  constructor(
    private readonly settings: ResolvedShellSettings,
    private readonly redactor: Redactor,
  ) {}

  plan(): readonly string[] {
    const s = this.settings;
    const lines = [`run ${this.redactor.redact(JSON.stringify(s.argv))} in ${s.cwd}`];
    const names = Object.keys(s.env);
    if (names.length > 0) {
      const shown = names.map((n) => `${n}=${SECRET_NAME.test(n) ? REDACTED : this.redactor.redact(s.env[n] ?? '')}`);
      lines.push(`with env ${shown.join(' ')}`);
    }
    if (s.health) lines.push(healthLine(s.health));
    return lines;
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const s = this.settings;
    ctx.log(`[shipclock] run ${this.redactor.redact(JSON.stringify(s.argv))} in ${s.cwd}`);
    const tree = await startStep(s.argv, ctx, { provider: KIND, cwd: s.cwd, env: s.env, redactor: this.redactor });
    const id = `${tree.pid}@${new Date(tree.startedAt).toISOString()}`;
    this.running.set(id, tree);
    return { id, details: { pid: tree.pid, startedAt: new Date(tree.startedAt).toISOString() } };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const tree = this.running.get(handle.id);
    if (!tree) {
      return {
        state: 'failed',
        errorClass: 'unknown',
        message: `process ${handle.id} was not started by this shipclock process; its outcome cannot be observed`,
      };
    }
    const exit = await tree.done;
    this.running.delete(handle.id);
    const how = describeExit(exit);
    ctx.log(`[shipclock] command ${how}`);
    if (exit.stopped) return { state: 'failed', errorClass: 'cancelled', message: `command ${how}` };
    if (exit.code !== 0) {
      const retryable = exit.code !== null && this.settings.retryExitCodes.has(exit.code);
      return { state: 'failed', errorClass: retryable ? 'transient' : 'unknown', message: `command ${how}` };
    }
    const health = this.settings.health;
    if (!health) return { state: 'succeeded', message: 'command exit 0' };
    ctx.log(`[shipclock] ${healthLine(health)}`);
    const result = await waitForHealthy(health, ctx.signal);
    if (result.healthy) {
      ctx.log(`[shipclock] healthy: HTTP ${result.status}`);
      return { state: 'succeeded', message: `command exit 0; health HTTP ${result.status}` };
    }
    ctx.log(`[shipclock] unhealthy: ${result.reason}`);
    if (result.aborted) return { state: 'failed', errorClass: 'cancelled', message: result.reason };
    return { state: 'failed', errorClass: 'unhealthy', message: `command exit 0 but ${result.reason}` };
  }

  async cancel(handle: DeployHandle): Promise<void> {
    // The tree is stopped through ctx.signal (the runner aborts it); nothing else to undo.
    await this.running.get(handle.id)?.done;
  }
}

export function healthLine(h: { url: string; timeoutMs: number; expectStatus: readonly number[] }): string {
  const expect = h.expectStatus.length === 0 ? '2xx' : h.expectStatus.join(' or ');
  return `check health: GET ${h.url} expecting ${expect} within ${h.timeoutMs} ms`;
}

export const shellDefinition: ProviderDefinition<ShellSettings> = {
  kind: KIND,
  summary: 'run a deploy command (argument array); success is exit 0 and an optional health URL answering 2xx',
  settingsSchema: shellSettingsSchema,
  create(settings: ShellSettings, options: ProviderCreateOptions = {}): Provider {
    const resolved = resolveShellSettings(settings, options.baseDir ?? process.cwd());
    return new ShellProvider(resolved, new Redactor(secretValuesFromSettings(settings)));
  },
};
