/** A real DeployContext for provider tests: its own state dir, an abort controller, captured log lines. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeployContext } from '../../src/providers/types.js';

export interface TestContext extends DeployContext {
  readonly lines: string[];
  readonly controller: AbortController;
}

export function testContext(overrides: Partial<Pick<DeployContext, 'runId' | 'attempt' | 'job'>> = {}): TestContext {
  const controller = new AbortController();
  const lines: string[] = [];
  const runId = overrides.runId ?? `run-${Math.random().toString(36).slice(2, 10)}`;
  return {
    runId,
    job: overrides.job ?? 'test-job',
    nominalTime: new Date('2026-01-01T02:00:00Z'),
    attempt: overrides.attempt ?? 1,
    fence: 1,
    env: { SHIPCLOCK_RUN_ID: runId, SHIPCLOCK_FENCE: '1', SHIPCLOCK_NOMINAL_TIME: '2026-01-01T02:00:00.000Z' },
    signal: controller.signal,
    log: (line: string) => lines.push(line),
    stateDir: mkdtempSync(join(tmpdir(), 'shipclock-prov-')),
    lines,
    controller,
  };
}

/** Same run, next attempt (what the runner hands start() after a retryable error). */
export function nextAttempt(ctx: TestContext): TestContext {
  return { ...ctx, attempt: ctx.attempt + 1 };
}
