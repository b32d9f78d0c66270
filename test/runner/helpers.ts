/** Shared pieces of the runner and provider tests: temp folders, a job config, a real DeployContext. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import type { JobConfig, RetryConfig } from '../../src/config/types.js';
import type { DeployContext } from '../../src/providers/types.js';
import { processAlive } from '../../src/providers/process-tree.js';

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** A fresh folder, removed after the test file. */
export function tempDir(prefix = 'shipclock-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testJob(over: Partial<Omit<JobConfig, 'retry'>> & { retry?: Partial<RetryConfig> } = {}): JobConfig {
  const { retry, ...rest } = over;
  return {
    name: 'web',
    schedule: null,
    timezone: 'UTC',
    dst: { gap: 'shift', repeat: 'once' },
    offsetMs: 0,
    description: null,
    provider: { kind: 'fake', settings: {} },
    target: 'web',
    timeoutMs: 30 * 60_000,
    overlap: 'skip',
    queueCap: 10,
    catchUp: { mode: 'latest', windowMs: 3_600_000, max: 10 },
    jitterMs: 0,
    notifications: null,
    ...rest,
    retry: { maxRetries: 3, baseMs: 30_000, capMs: 600_000, ...retry },
  };
}

export interface TestContext extends DeployContext {
  readonly lines: string[];
  readonly controller: AbortController;
}

/** A DeployContext as the runner builds it, with its log lines captured. */
export function deployContext(stateDir: string, over: { runId?: string; attempt?: number; job?: string } = {}): TestContext {
  const controller = new AbortController();
  const lines: string[] = [];
  const runId = over.runId ?? `run-${Math.random().toString(36).slice(2, 10)}`;
  const attempt = over.attempt ?? 1;
  return {
    runId,
    job: over.job ?? 'web',
    nominalTime: new Date('2026-01-01T02:00:00Z'),
    attempt,
    fence: 7,
    env: { SHIPCLOCK_RUN_ID: runId, SHIPCLOCK_FENCE: '7', SHIPCLOCK_ATTEMPT: String(attempt) },
    signal: controller.signal,
    log: (l) => void lines.push(l),
    stateDir,
    lines,
    controller,
  };
}

/** Kills a pid if it is still alive (cleanup for tests that leave a process on purpose). */
export function killIfAlive(pid: number): void {
  if (processAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** A promise for the first line matching `re` (its first group), fed by `feed(line)`. */
export function lineWaiter(re: RegExp): { feed(line: string): void; match: Promise<string> } {
  let resolve!: (v: string) => void;
  const match = new Promise<string>((r) => (resolve = r));
  return {
    feed(line) {
      const m = re.exec(line);
      if (m) resolve(m[1] ?? m[0]);
    },
    match,
  };
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) answering with `status()`, closed after the file.
 * `listen: false` gives a URL where nothing listens yet; call `listen()` to start answering.
 */
export async function healthServer(
  status: () => number,
  options: { listen?: boolean } = {},
): Promise<{ url: string; hits: () => number; listen(): Promise<void> }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(status(), { 'content-type': 'text/plain', connection: 'close' });
    res.end('ok\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  if (options.listen === false) await new Promise<void>((r) => server.close(() => r()));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${port}/health`,
    hits: () => hits,
    listen: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
  };
}
