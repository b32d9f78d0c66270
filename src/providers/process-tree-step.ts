/**
 * One command of a deploy (a shell deploy, a build, a restart), run as a process tree with its
 * output going to the attempt log, secrets redacted. Shared by the `shell` and `local`
 * providers.
 */
import type { DeployContext } from './types.js';
import { DeployError } from './deploy-error.js';
import { startTree, type RunningTree, type TreeExit } from './process-tree.js';
import type { Redactor } from './redact.js';

export interface StepOptions {
  readonly provider: string;
  readonly cwd: string;
  /** Extra environment (e.g. the job's `env:`); the run's SHIPCLOCK_* variables win over it. */
  readonly env?: Readonly<Record<string, string>>;
  readonly redactor: Redactor;
  readonly killGraceMs?: number;
}

/**
 * The environment of deploy processes: shipclock's own environment (PATH, cloud credentials
 * the user exported), then the job's `env:`, then the run's variables (SHIPCLOCK_RUN_ID…).
 */
export function stepEnv(ctx: DeployContext, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return Object.assign(env, extra, ctx.env);
}

/** Starts the step; a command that cannot start at all is an `invalid` deploy error. */
export async function startStep(argv: readonly string[], ctx: DeployContext, o: StepOptions): Promise<RunningTree> {
  try {
    return await startTree(argv, {
      cwd: o.cwd,
      env: stepEnv(ctx, o.env),
      signal: ctx.signal,
      killGraceMs: o.killGraceMs,
      onLine: (_stream, line) => ctx.log(o.redactor.redact(line)),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? `program or folder not found (cwd ${o.cwd})` : String((e as Error).message);
    throw new DeployError(o.provider, 'invalid', `cannot start ${JSON.stringify(argv[0] ?? '')}: ${what}`, {
      cause: e,
      code: 'E_DEPLOY_SPAWN',
    });
  }
}

/** Runs the step to its end. */
export async function runStep(argv: readonly string[], ctx: DeployContext, o: StepOptions): Promise<TreeExit> {
  const tree = await startStep(argv, ctx, o);
  return tree.done;
}

/** "exit 3", "signal SIGKILL", "stopped": for messages. */
export function describeExit(exit: TreeExit): string {
  if (exit.stopped) return 'stopped (process tree terminated)';
  if (exit.signal) return `ended by signal ${exit.signal}`;
  return `exit ${exit.code ?? '?'}`;
}
