/**
 * Health after an ssh deploy: a URL that must answer 2xx and/or a remote command that must
 * exit 0, tried up to `health_retries` times `health_interval` apart. Returns undefined when
 * healthy, else what was wrong the last time.
 */
import { abortableSleep } from './abortable-sleep.js';
import type { CliResult } from './cli-exec.js';
import { remoteLine } from './ssh-remote.js';
import type { DeployContext } from './types.js';

export interface HealthSettings {
  readonly path: string;
  readonly health_url?: string;
  readonly health_command?: readonly string[];
  readonly health_retries: number;
  readonly health_interval: number;
}

export async function checkHealth(
  s: HealthSettings,
  ssh: (line: string) => Promise<CliResult>,
  ctx: DeployContext,
): Promise<string | undefined> {
  if (!s.health_url && !s.health_command) return undefined;
  let problem: string | undefined;
  for (let i = 0; i < s.health_retries; i++) {
    if (i > 0) await abortableSleep(s.health_interval, ctx.signal);
    problem = undefined;
    if (s.health_url) {
      try {
        const res = await fetch(s.health_url, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]) });
        await res.body?.cancel();
        if (res.status < 200 || res.status > 299) problem = `health URL answered ${res.status}`;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        problem = `health URL unreachable: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    if (!problem && s.health_command) {
      const r = await ssh(remoteLine([['cd', s.path], s.health_command]));
      if (r.code !== 0) problem = `health command exited ${String(r.code)}`;
    }
    if (!problem) return undefined;
    ctx.log(`ssh: health check ${i + 1}/${s.health_retries}: ${problem}`);
  }
  return problem;
}
