/** A real `bin/shipclock` child process whose output a test can wait on (no sleeping). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/shipclock', import.meta.url));

export interface Proc {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves when stdout matches `re` (or rejects when the process exits first). */
  waitFor(re: RegExp, count?: number): Promise<void>;
  exited: Promise<number | null>;
}

export function startShipclock(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const waiters: (() => void)[] = [];
  const p: Proc = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    waitFor(re, count = 1) {
      const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if ((p.stdout.match(global) ?? []).length >= count) return resolve(), true;
          return false;
        };
        if (check()) return;
        waiters.push(() => void check());
        void p.exited.then((code) => (check() ? undefined : reject(new Error(`exited (${code}) before ${re}:\n${p.stdout}\n${p.stderr}`))));
      });
    },
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    p.stdout += d;
    waiters.forEach((w) => w());
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (p.stderr += d));
  return p;
}
