// Runs one measurement in its own Node process (tsx loader) and returns what it sends back.
// One process per library and run: no library shares a heap, a timer list or a JIT with another.
import { fork } from 'node:child_process';

export interface ChildOptions {
  /** Extra flags for node (e.g. --expose-gc, --cpu-prof). */
  readonly execArgv?: readonly string[];
  /** Kill the child after this long (a peer that hangs must not hang the bench). */
  readonly timeoutMs: number;
  readonly env?: Readonly<Record<string, string>>;
}

export async function runChild<T>(file: string, args: readonly string[], opts: ChildOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(file, [...args], {
      execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...opts.env },
    });
    let result: { ok: true; value: T } | { ok: false; error: string } | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('message', (m) => {
      result = m as typeof result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result?.ok) resolve(result.value);
      else reject(new Error(result && !result.ok ? result.error : `${file} ${args.join(' ')} exited ${code ?? signal} without a result`));
    });
  });
}

/** In a child: send the result (or the error) to the parent, then exit. */
export async function reply<T>(work: () => Promise<T>): Promise<void> {
  let msg: unknown;
  try {
    msg = { ok: true, value: await work() };
  } catch (error) {
    msg = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  await new Promise<void>((resolve) => process.send!(msg, () => resolve()));
  process.exit(0);
}

/** `--name value` from argv, or the default. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

export const flag = (name: string): boolean => process.argv.includes(`--${name}`);
