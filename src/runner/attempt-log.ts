/**
 * Each attempt's output in its own file, `<stateDir>/logs/<job>/<runId>/attempt-<n>.log`, so a
 * person (or the dashboard) can read exactly what one attempt printed. Lines are redacted
 * before they are written: secrets never reach the disk.
 *
 * The folder and file are created off the main thread (libuv's pool) while the deploy starts,
 * not before it: with hundreds of runs starting in the same second, a synchronous mkdir and
 * open per attempt (0.5-2 ms each on a busy VM) put every start behind the file-system calls of
 * the ones before it (bench/README.md, figure 1). Lines written until the file is open wait in
 * memory; from then on each line is appended synchronously. `close()` is synchronous: an
 * attempt that ends before the file is open (a deploy that takes less than a millisecond, or
 * a test on a fake clock) creates it there and then, so the file is complete the moment an
 * attempt ends. The attempt's row in the ledger (written before the deploy starts) names it.
 */
import { closeSync, mkdirSync, open, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Redactor } from '../providers/redact.js';

/** A job name or run id as one safe path segment (no separators, no `..`). */
export function pathSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || /^\.+$/.test(safe) ? `_${safe}` : safe;
}

export function attemptLogPath(stateDir: string, job: string, runId: string, attempt: number): string {
  return join(stateDir, 'logs', pathSegment(job), pathSegment(runId), `attempt-${attempt}.log`);
}

// The callback form gives a plain descriptor (a FileHandle wants closing through itself).
const openFd = promisify(open);

export class AttemptLog {
  private fd: number | null = null;
  /** Lines waiting for the file to open; null once it is open, closed or failed. */
  private pending: string[] | null = [];
  private closed = false;
  /** Why the file could not be written (the lines still reach `onLine`), or null. */
  failure: string | null = null;

  constructor(
    readonly path: string,
    private readonly redactor: Redactor,
    private readonly onLine?: (line: string) => void,
  ) {
    mkdir(dirname(path), { recursive: true })
      .then(() => openFd(path, 'a', 0o600))
      .then(
        (fd) => {
          // close() got there first and wrote the file itself: this descriptor is not needed.
          if (this.closed) return closeSync(fd);
          this.fd = fd;
          this.writePending();
        },
        (error: unknown) => {
          if (!this.closed) this.fail(error);
        },
      );
  }

  /** Writes one line (redacted); text with newlines is written as several lines. */
  write(text: string): void {
    for (const raw of text.split('\n')) {
      const line = this.redactor.redact(raw);
      if (this.pending !== null) this.pending.push(line);
      else if (this.fd !== null) this.append(`${line}\n`);
      this.onLine?.(line);
    }
  }

  /** Writes every line still waiting (opening the file now if it is not open yet) and closes it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pending !== null && this.fd === null) {
      try {
        mkdirSync(dirname(this.path), { recursive: true });
        this.fd = openSync(this.path, 'a', 0o600);
      } catch (error) {
        this.fail(error);
      }
    }
    this.writePending();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private writePending(): void {
    const lines = this.pending;
    this.pending = null;
    if (lines && lines.length > 0 && this.fd !== null) this.append(`${lines.join('\n')}\n`);
  }

  private append(text: string): void {
    try {
      writeSync(this.fd!, text);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error.message : String(error);
    this.pending = null;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
