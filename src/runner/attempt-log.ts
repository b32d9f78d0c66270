/**
 * Each attempt's output in its own file, `<stateDir>/logs/<job>/<runId>/attempt-<n>.log`, so a
 * person (or the dashboard) can read exactly what one attempt printed. Lines are redacted
 * before they are written: secrets never reach the disk.
 *
 * The folder and file are created on the next turn of the event loop, just after the deploy
 * starts, not before it: with hundreds of runs starting in the same second (one turn), a mkdir
 * and an open per attempt put every start behind the file-system calls of the ones before it
 * (bench/README.md, figure 1). Lines written until then wait in memory; from then on each line
 * is appended synchronously, and `close()` writes whatever still waits (creating the file if
 * the attempt ended within the same turn), so the file is complete the moment an attempt ends.
 * Nothing is left running in the background after `close()`. The attempt's row in the ledger,
 * written before the deploy starts, already names the file.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Redactor } from '../providers/redact.js';

/** A job name or run id as one safe path segment (no separators, no `..`). */
export function pathSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || /^\.+$/.test(safe) ? `_${safe}` : safe;
}

export function attemptLogPath(stateDir: string, job: string, runId: string, attempt: number): string {
  return join(stateDir, 'logs', pathSegment(job), pathSegment(runId), `attempt-${attempt}.log`);
}

export class AttemptLog {
  private fd: number | null = null;
  /** Lines waiting for the file; null once it is open, closed or failed. */
  private pending: string[] | null = [];
  private closed = false;
  /** Why the file could not be written (the lines still reach `onLine`), or null. */
  failure: string | null = null;

  constructor(
    readonly path: string,
    private readonly redactor: Redactor,
    private readonly onLine?: (line: string) => void,
  ) {
    setImmediate(() => {
      if (!this.closed) this.open();
    });
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

  /** Writes every line still waiting (creating the file now if need be) and closes it. */
  close(): void {
    if (this.closed) return;
    this.open();
    this.closed = true;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Creates the file (once) and writes the lines waiting for it. */
  private open(): void {
    const lines = this.pending;
    if (lines === null) return;
    this.pending = null;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a', 0o600);
    } catch (error) {
      return this.fail(error);
    }
    if (lines.length > 0) this.append(`${lines.join('\n')}\n`);
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
    const fd = this.fd;
    this.fd = null;
    try {
      if (fd !== null) closeSync(fd);
    } catch {
      // The descriptor is gone either way; this may run from setImmediate, where a throw would
      // crash the process.
    }
  }
}
