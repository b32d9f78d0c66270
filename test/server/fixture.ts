/**
 * API test fixture: the real Scheduler, runner, calendar and SQLite ledger on a FakeClock, the
 * real HTTP server on 127.0.0.1 port 0, and one stand-in: GateProvider, an in-process provider
 * whose deploys run until the test opens their gate, and print log lines when the test says.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileJob } from '../../src/app/compose.js';
import type { Config } from '../../src/config/types.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from '../../src/providers/types.js';
import { runDeploy } from '../../src/runner/run-deploy.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { type ApiServer, createApiServer } from '../../src/server/api-server.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { configFromYaml } from '../helpers/scheduler-harness.js';

interface GateRun {
  readonly ctx: DeployContext;
  open(result: PollResult): void;
}

export class GateProvider implements Provider {
  readonly kind = 'gate';
  readonly runs: GateRun[] = [];
  private waiters: ((run: GateRun) => void)[] = [];

  plan(): readonly string[] {
    return ['gate'];
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    let open!: (r: PollResult) => void;
    const result = new Promise<PollResult>((resolve) => (open = resolve));
    const run: GateRun = { ctx, open };
    (run as GateRun & { result: Promise<PollResult> }).result = result;
    this.runs.push(run);
    for (const w of this.waiters.splice(0)) w(run);
    return { id: `gate-${this.runs.length}`, details: { index: this.runs.length - 1 } };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const run = this.runs[handle.details!.index as number] as GateRun & { result: Promise<PollResult> };
    const aborted = new Promise<PollResult>((resolve) =>
      ctx.signal.addEventListener('abort', () => resolve({ state: 'failed', errorClass: 'cancelled', message: 'stopped' }), { once: true }),
    );
    return Promise.race([run.result, aborted]);
  }

  /** Resolves with the next deploy that starts (or the latest, if one started and none was taken). */
  nextRun(): Promise<GateRun> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export const YAML = `
deployments:
  web:
    schedule: "*/5 * * * *"
    description: The web frontend
    provider: shell
    command: ["./deploy.sh"]
    env:
      DEPLOY_API_TOKEN: "tok-9f8e7d6c5b4a-secret"
      DATABASE_URL: "postgres://deploy:hunter2hunter2@db.internal/app"
    max_retries: 0
  api:
    schedule: daily at 02:30
    timezone: Europe/Berlin
    provider: shell
    command: ["true"]
    max_retries: 0
`;

export const SECRETS = ['tok-9f8e7d6c5b4a-secret', 'hunter2hunter2', './deploy.sh'];

export interface ApiFixture extends AsyncDisposable {
  readonly dir: string;
  readonly config: Config;
  readonly clock: FakeClock;
  readonly store: SqliteStore;
  readonly scheduler: Scheduler | null;
  readonly gate: GateProvider;
  readonly api: ApiServer;
  readonly url: string;
  fetch(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  post(path: string, body: unknown, token?: string): Promise<Response>;
}

export async function apiFixture(
  opts: { token?: string | null; host?: string; port?: number; scheduler?: boolean; start?: number; yaml?: string } = {},
): Promise<ApiFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-api-'));
  const config = { ...(await configFromYaml(opts.yaml ?? YAML, dir)) };
  (config as { stateDir: string }).stateDir = dir;
  const clock = new FakeClock(opts.start ?? Date.parse('2026-03-02T10:01:00Z'));
  const store = new SqliteStore(join(dir, 'ledger.db'));
  await store.migrate();
  const gate = new GateProvider();
  const scheduler =
    opts.scheduler === false
      ? null
      : new Scheduler({ store, clock, jobs: config.jobs, stateDir: dir, compile: compileJob, deploy: runDeploy, provider: () => gate, owner: 'test-scheduler' });
  let api: ApiServer;
  try {
    api = await createApiServer({ config, store, scheduler, clock, token: opts.token ?? null, host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  } catch (error) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  await scheduler?.start();
  const url = api.host === '0.0.0.0' || api.host === '::' ? `http://127.0.0.1:${api.port}` : api.url;
  const f: ApiFixture = {
    dir,
    config,
    clock,
    store,
    scheduler,
    gate,
    api,
    url,
    fetch(path, init = {}) {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
      return fetch(url + path, { ...rest, headers });
    },
    post(path, body, token) {
      return f.fetch(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, ...(token !== undefined ? { token } : {}) });
    },
    async [Symbol.asyncDispose]() {
      for (const run of gate.runs) run.open({ state: 'succeeded' });
      await api.close();
      await scheduler?.stop({ force: true }).catch(() => undefined);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return f;
}

/** Reads a streamed response until `predicate(text so far)` holds; returns the text. */
export async function readUntil(res: Response, predicate: (text: string) => boolean): Promise<{ text: string; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before the expected text; got:\n${text}`);
    text += dec.decode(value, { stream: true });
  }
  return { text, reader };
}

/** Reads the rest of a stream to its end. */
export async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const dec = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += dec.decode(value, { stream: true });
  }
}
