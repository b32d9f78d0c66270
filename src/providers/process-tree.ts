/**
 * Runs a command as the leader of its own process group, so a timeout or cancel can stop the
 * whole tree (the command, its children and grandchildren), not only the direct child.
 *
 * Always an argument array: nothing from config is ever joined into a shell string here (a
 * provider that offers `shell: true` passes `['/bin/sh', '-c', text]` explicitly).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { LineSplitter } from './process-tree-lines.js';

export interface TreeOptions {
  readonly cwd?: string;
  /** The complete environment of the child (not merged with process.env here). */
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting it stops the whole tree: SIGTERM to the group, SIGKILL after `killGraceMs`. */
  readonly signal?: AbortSignal;
  /** Time the tree gets to exit after SIGTERM before SIGKILL. Default 5000 ms. */
  readonly killGraceMs?: number;
  /** Each line of output, without its newline. */
  onLine?(stream: 'stdout' | 'stderr', line: string): void;
}

export interface TreeExit {
  /** Exit code, or null when the process ended on a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the tree was stopped because `signal` aborted. */
  readonly stopped: boolean;
}

export interface RunningTree {
  readonly pid: number;
  /** When the process was spawned, epoch ms (with the pid, it names the process uniquely). */
  readonly startedAt: number;
  /** Settles once the leader has exited and, when stopped, the whole group is gone. */
  readonly done: Promise<TreeExit>;
}

/** Output still buffered after the leader exits is drained for at most this long. */
const DRAIN_AFTER_EXIT_MS = 200;
const GROUP_POLL_MS = 20;

/**
 * Spawns `argv` detached (own process group). Resolves once the process exists; rejects with
 * the spawn error (e.g. `ENOENT` for an unknown command) when it cannot start.
 */
export function startTree(argv: readonly string[], options: TreeOptions = {}): Promise<RunningTree> {
  const [file, ...args] = argv;
  if (file === undefined || file === '') return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ? { ...options.env } : process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const startedAt = Date.now();
    child.once('error', (err) => reject(err));
    child.once('spawn', () => {
      const pid = child.pid;
      if (pid === undefined) return reject(new Error('spawned process has no pid'));
      resolve({ pid, startedAt, done: superviseTree(child, pid, options) });
    });
  });
}

function superviseTree(
  child: import('node:child_process').ChildProcess,
  pid: number,
  options: TreeOptions,
): Promise<TreeExit> {
  const out = new LineSplitter((l) => options.onLine?.('stdout', l));
  const err = new LineSplitter((l) => options.onLine?.('stderr', l));
  child.stdout?.setEncoding('utf8').on('data', (s: string) => out.push(s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => err.push(s));

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= stopGroup(pid, options.killGraceMs ?? 5000);
  };
  const signal = options.signal;
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });

  return new Promise<TreeExit>((resolve) => {
    child.once('exit', (code, sig) => {
      // A grandchild may hold stdout open (e.g. a daemon started with `&`): do not wait on it
      // forever, drain briefly and move on.
      const drained = new Promise<void>((r) => {
        if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) return r();
        const t = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          r();
        }, DRAIN_AFTER_EXIT_MS);
        child.once('close', () => {
          clearTimeout(t);
          r();
        });
      });
      void drained.then(async () => {
        out.end();
        err.end();
        signal?.removeEventListener('abort', stop);
        // Stopped: settle only when no member of the group is left.
        if (stopping) await stopping;
        resolve({ code, signal: sig, stopped: stopping !== null });
      });
    });
  });
}

/** SIGTERM to the group, then SIGKILL to whatever is left after the grace period. */
async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return;
    await delay(GROUP_POLL_MS);
  }
  signalGroup(pgid, 'SIGKILL');
  // SIGKILL cannot be ignored; wait (briefly) until the kernel has taken them all down.
  for (let i = 0; i < 50 && groupAlive(pgid); i++) await delay(GROUP_POLL_MS);
}

/** False when the group no longer exists. */
function signalGroup(pgid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/**
 * Whether any live process is still in the group. On Linux zombies do not count: an orphan
 * whose parent (init) has not reaped it yet is already dead. Elsewhere, signal 0 to the group.
 */
export function groupAlive(pgid: number): boolean {
  const members = groupMembers(pgid);
  if (members !== null) return members.length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live (non-zombie) pids in the group, or null when /proc is unavailable. */
export function groupMembers(pgid: number): number[] | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const found: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') found.push(Number(name));
  }
  return found;
}

/** Whether a process is alive (a zombie counts as dead). */
export function processAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  if (stat) return stat.state !== 'Z' && stat.state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readProcStat(pid: number): { state: string; pgrp: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const pgrp = Number(rest[2]);
  return state === undefined || Number.isNaN(pgrp) ? null : { state, pgrp };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
