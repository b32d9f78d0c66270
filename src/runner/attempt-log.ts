/**
 * Each attempt's output in its own file, `<stateDir>/logs/<job>/<runId>/attempt-<n>.log`, so a
 * person (or the dashboard) can read exactly what one attempt printed. Lines are redacted
 * before they are written: secrets never reach the disk. Writes are synchronous and appended,
 * so the file is complete the moment an attempt ends, even if the process dies right after.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
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
  private fd: number | null;

  constructor(
    readonly path: string,
    private readonly redactor: Redactor,
    private readonly onLine?: (line: string) => void,
  ) {
    mkdirSync(join(path, '..'), { recursive: true });
    this.fd = openSync(path, 'a', 0o600);
  }

  /** Writes one line (redacted); text with newlines is written as several lines. */
  write(text: string): void {
    for (const raw of text.split('\n')) {
      const line = this.redactor.redact(raw);
      if (this.fd !== null) writeSync(this.fd, `${line}\n`);
      this.onLine?.(line);
    }
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
