/**
 * Spawns a CLI (gcloud, kubectl, git, ssh, rsync) with an argument array, never a shell string,
 * captures its output, streams stderr lines to the attempt log, and kills it when the run's
 * signal aborts. The caller classifies the result from the exit code and the CLI's JSON.
 */
import { spawn } from 'node:child_process';
import { DeployError } from './deploy-error.js';

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly provider: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly signal: AbortSignal;
  readonly log?: (line: string) => void;
  /** How to install the tool, for the message when it is missing. */
  readonly installHint?: string;
  readonly input?: string;
}

/** Grace between SIGTERM and SIGKILL when the run is aborted. */
const KILL_GRACE_MS = 5_000;

export function runCli(command: string, args: readonly string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal.aborted) {
      reject(new DeployError(opts.provider, 'cancelled', `${command}: aborted before start`));
      return;
    }
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pendingLine = '';
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!opts.log) return;
      const lines = (pendingLine + d).split('\n');
      pendingLine = lines.pop() ?? '';
      for (const l of lines) opts.log(l);
    });
    const onAbort = (): void => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      opts.signal.removeEventListener('abort', onAbort);
      if (err.code === 'ENOENT') {
        const hint = opts.installHint ? ` ${opts.installHint}` : '';
        reject(new DeployError(opts.provider, 'invalid', `\`${command}\` is not installed or not on PATH.${hint}`, { cause: err, code: 'E_DEPLOY_CLI_MISSING' }));
      } else reject(new DeployError(opts.provider, 'unknown', `${command}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, sig) => {
      opts.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (pendingLine && opts.log) opts.log(pendingLine);
      if (opts.signal.aborted) {
        reject(new DeployError(opts.provider, 'cancelled', `${command}: stopped (${String(opts.signal.reason ?? 'aborted')})`));
        return;
      }
      resolve({ code, signal: sig, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // a CLI that exits without reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** Parses a CLI's JSON output; undefined when it is not JSON (the caller decides what that means). */
export function parseJson(text: string): unknown {
  const t = text.trim();
  if (!t) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}
