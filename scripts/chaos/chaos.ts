/**
 * The chaos run (issue 7): several real `shipclock run` processes on one embedded PostgreSQL,
 * jobs firing every second or two, and for a while random kill -9, SIGSTOP/SIGCONT, database
 * restarts and clock shifts of one instance. Then every process is brought back, the ledger is
 * given time to settle (expired leases taken over), all stop gracefully, and check.ts judges.
 *
 * Started by run.mjs (which loads tsx); see docs/several-instances.md for the options.
 * The clock shift is real: instance 0 runs under libfaketime (LD_PRELOAD, the Debian
 * `faketime` package), whose offset is read from a file every second, so its wall clock steps
 * by minutes while it runs; its monotonic clock is left alone. shipclock is expected to keep
 * deciding on the database's clock (src/app/db-clock.ts) and only warn.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { startTestPostgres } from '../../test/helpers/postgres.js';
import { checkChaos, formatReport, type ChaosJob, type ChaosReport, type Fault, type Receipt } from './check.js';
import { parseChaosArgs, type ChaosOptions } from './options.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const FAKETIME_LIBS = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'];

const JOBS: readonly ChaosJob[] = [
  { name: 'alpha', intervalMs: 1_000, idempotent: true, target: 'alpha' },
  { name: 'beta', intervalMs: 1_000, idempotent: false, target: 'beta' },
  // gamma shares beta's target: the target lock must keep their runs apart.
  { name: 'gamma', intervalMs: 2_000, idempotent: true, target: 'beta' },
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A small seeded PRNG (mulberry32): a run can be repeated with --seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function faketimeLib(log: (s: string) => void): string | null {
  const found = (): string | null => FAKETIME_LIBS.find((p) => existsSync(p)) ?? null;
  if (found()) return found();
  log('libfaketime not found: installing the Debian `faketime` package (apt-get install -y faketime)');
  spawnSync('apt-get', ['install', '-y', 'faketime'], { stdio: 'ignore' });
  if (!found()) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore' });
    spawnSync('apt-get', ['install', '-y', 'faketime'], { stdio: 'ignore' });
  }
  return found();
}

function configYaml(dir: string): string {
  const job = (j: ChaosJob): string =>
    [
      `  ${j.name}:`,
      `    schedule: "*/${j.intervalMs / 1000}s"`,
      `    target: ${j.target}`,
      `    idempotent: ${j.idempotent}`,
      `    max_retries: 0`,
      `    timeout: 20s`,
      `    provider: shell`,
      `    command: ["sh", ${JSON.stringify(join(dir, 'deploy.sh'))}]`,
      `    env: { CHAOS_DIR: ${JSON.stringify(dir)} }`,
    ].join('\n');
  return `# written by scripts/chaos/chaos.ts\nshutdown_grace: 20s\ndeployments:\n${JOBS.map(job).join('\n')}\n`;
}

interface Instance {
  readonly index: number;
  proc: ChildProcess | null;
  stopped: boolean;
  busyUntil: number;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const log = (s: string): void => void process.stderr.write(`chaos: ${s}\n`);
  if (o.build) {
    log('npm run build');
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const random = rng(o.seed);
  const dir = o.out ?? (await mkdtemp(join(tmpdir(), 'shipclock-chaos-')));
  await mkdir(join(dir, 'fences'), { recursive: true });
  await writeFile(join(dir, 'deploy.sh'), await readFile(join(ROOT, 'scripts/chaos/deploy.sh')));
  await writeFile(join(dir, 'receipts.jsonl'), '');
  await writeFile(join(dir, 'shipclock.yaml'), configYaml(dir));
  const shiftFile = join(dir, 'faketime-offset');
  await writeFile(shiftFile, '+0\n');
  const faketime = o.clockShift ? faketimeLib(log) : null;
  if (o.clockShift && !faketime) log('libfaketime unavailable: clock shifts are skipped');
  log(`work folder ${dir}; seed ${o.seed}`);

  const pgServer = await startTestPostgres();
  const url = await pgServer.createDatabase();
  const faults: Fault[] = [];
  const instances: Instance[] = Array.from({ length: o.instances }, (_, index) => ({ index, proc: null, stopped: false, busyUntil: 0 }));

  const launch = (inst: Instance): void => {
    const env: Record<string, string | undefined> = { ...process.env };
    if (inst.index === 0 && faketime) {
      Object.assign(env, { LD_PRELOAD: faketime, FAKETIME_TIMESTAMP_FILE: shiftFile, FAKETIME_CACHE_DURATION: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' });
    }
    const entry = o.fromSource ? ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts')] : [join(ROOT, 'bin/shipclock')];
    const args = [...entry, 'run', '-c', join(dir, 'shipclock.yaml'), '--store', url, '--state', join(dir, `state-${inst.index}`)];
    const out = createWriteStream(join(dir, `instance-${inst.index}.log`), { flags: 'a' });
    const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.pipe(out);
    proc.stderr.pipe(out);
    inst.proc = proc;
    inst.stopped = false;
  };
  const alive = (inst: Instance): boolean => inst.proc !== null && inst.proc.exitCode === null && inst.proc.signalCode === null;

  let report: ChaosReport | null = null;
  try {
    for (const inst of instances) launch(inst);
    const store = new PostgresStore(url, { applicationName: 'shipclock-chaos-checker' });
    try {
      // Warm-up: every job has run once, so every instance has registered and is deciding.
      const warmDeadline = Date.now() + 60_000;
      while (Date.now() < warmDeadline) {
        const done = await store.listOccurrences({ states: ['succeeded'], limit: 1000 }).catch(() => []);
        if (JOBS.every((j) => done.some((d) => d.job === j.name))) break;
        if (!instances.some(alive)) throw new Error(`every instance exited during warm-up; see ${dir}/instance-*.log`);
        await sleep(250);
      }
      const fromMs = Math.ceil((Date.now() + 1_000) / 2_000) * 2_000;
      const chaosEnd = Date.now() + o.seconds * 1_000;
      log(`chaos for ${o.seconds}s with ${o.instances} instances`);
      let dbDownUntil = 0;
      const pending: Promise<unknown>[] = [];
      const bag: string[] = [];

      while (Date.now() < chaosEnd) {
        await sleep(o.faultEveryMs * (0.5 + random()));
        if (Date.now() >= chaosEnd) break;
        const now = Date.now();
        // Faults come from a shuffled bag of every kind, refilled when empty: even a short run
        // sees each kind, and a long one sees them in equal numbers.
        if (bag.length === 0) {
          bag.push('kill', 'stop', ...(o.dbRestart ? ['db-restart'] : []), ...(faketime ? ['clock-shift'] : []));
          for (let i = bag.length - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [bag[i], bag[j]] = [bag[j]!, bag[i]!];
          }
        }
        const kind = bag.shift()!;
        const free = instances.filter((i) => i.busyUntil <= now && alive(i));
        if (kind === 'db-restart') {
          if (dbDownUntil > now) {
            bag.push(kind);
            continue;
          }
          const downMs = Math.round(1_000 + random() * (o.maxDbDownMs - 1_000));
          dbDownUntil = now + downMs + 5_000;
          faults.push({ type: 'db-restart', atMs: now, durationMs: downMs });
          log(`database down for ${(downMs / 1000).toFixed(1)}s`);
          pending.push(pgServer.restart!(() => sleep(downMs)).catch((e: unknown) => log(`database restart failed: ${String(e)}`)));
          continue;
        }
        if (kind === 'clock-shift') {
          const zero = instances[0]!;
          if (zero.busyUntil > now) {
            bag.push(kind);
            continue;
          }
          const shiftMs = (random() < 0.5 ? -1 : 1) * Math.round((2 + random() * 4) * 60) * 1_000;
          const holdMs = Math.round(10_000 + random() * 20_000);
          zero.busyUntil = now + holdMs + 1_000;
          faults.push({ type: 'clock-shift', atMs: now, instance: 0, shiftMs, durationMs: holdMs });
          log(`instance 0 clock ${shiftMs > 0 ? '+' : ''}${shiftMs / 1000}s for ${(holdMs / 1000).toFixed(0)}s`);
          await writeFile(shiftFile, `${shiftMs > 0 ? '+' : ''}${shiftMs / 1000}\n`);
          pending.push(sleep(holdMs).then(() => writeFile(shiftFile, '+0\n')));
          continue;
        }
        // Keep one instance untouched by kill/stop at any time, so the rest of the fleet is real.
        if (free.length <= 1) {
          bag.push(kind);
          continue;
        }
        let inst = free[Math.floor(random() * free.length)]!;
        if (kind === 'kill' || random() < 0.5) {
          // Prefer an instance that owns a running deploy: its lease must expire and be taken
          // over (kill), or it comes back as a stale runner after a takeover (a long stop).
          const running = await store.listOccurrences({ states: ['running'], limit: 100 }).catch(() => []);
          const owners = running.map((r) => r.owner ?? '');
          inst = free.find((i) => owners.some((ow) => ow.includes(`:${i.proc!.pid}:`))) ?? inst;
        }
        const pid = inst.proc!.pid!;
        if (kind === 'kill') {
          inst.proc!.kill('SIGKILL');
          const downMs = Math.round(1_000 + random() * 4_000);
          inst.busyUntil = now + downMs + 2_000;
          faults.push({ type: 'kill', atMs: now, pid, instance: inst.index });
          log(`kill -9 instance ${inst.index} (pid ${pid}); restart in ${(downMs / 1000).toFixed(1)}s`);
          pending.push(sleep(downMs).then(() => launch(inst)));
        } else {
          const stopMs = Math.round(1_000 + random() * (o.maxStopMs - 1_000));
          inst.proc!.kill('SIGSTOP');
          inst.stopped = true;
          inst.busyUntil = now + stopMs + 1_000;
          faults.push({ type: 'stop', atMs: now, pid, instance: inst.index, durationMs: stopMs });
          log(`SIGSTOP instance ${inst.index} (pid ${pid}) for ${(stopMs / 1000).toFixed(1)}s`);
          pending.push(
            sleep(stopMs).then(() => {
              if (inst.stopped && alive(inst)) inst.proc!.kill('SIGCONT');
              inst.stopped = false;
            }),
          );
        }
      }
      const toMs = Math.floor(chaosEnd / 1_000) * 1_000;
      log('chaos over: bringing everything back');
      await Promise.all(pending);
      await writeFile(shiftFile, '+0\n');
      for (const inst of instances) {
        if (inst.stopped && alive(inst)) inst.proc!.kill('SIGCONT');
        inst.stopped = false;
        if (!alive(inst)) launch(inst);
      }
      // Settle: leases of killed or frozen runners expire and are swept; pending work runs.
      const settleDeadline = Date.now() + o.settleMs;
      while (Date.now() < settleDeadline) {
        const live = await store.listOccurrences({ states: ['pending', 'running'], toMs: toMs + 1, limit: 10_000 }).catch(() => null);
        if (live !== null && live.length === 0) break;
        await sleep(1_000);
      }
      log('stopping every instance (SIGTERM)');
      await Promise.all(instances.map((i) => stopGracefully(i)));
      const receipts = (await readFile(join(dir, 'receipts.jsonl'), 'utf8'))
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Receipt);
      const occurrences = await store.listOccurrences({ fromMs: fromMs - 60_000, toMs: toMs + 60_000, limit: 1_000_000, order: 'asc' });
      const events = await store.listEvents({ type: 'takeover', limit: 100_000 });
      report = checkChaos({ jobs: JOBS, window: { fromMs, toMs }, occurrences, events, receipts, faults });
      await writeFile(join(dir, 'faults.json'), JSON.stringify(faults, null, 2));
      await writeFile(join(dir, 'report.json'), JSON.stringify(report, null, 2));
      process.stdout.write(formatReport(report));
      log(`window ${new Date(fromMs).toISOString()} .. ${new Date(toMs).toISOString()}; files in ${dir}`);
    } finally {
      await store.close();
    }
  } finally {
    for (const inst of instances) if (alive(inst)) inst.proc!.kill('SIGKILL');
    await pgServer.stop().catch(() => undefined);
    if (!o.keep && o.out === null && report?.ok) await rm(dir, { recursive: true, force: true });
  }
  if (!report) throw new Error('the chaos run ended without a report');
  return report;
}

async function stopGracefully(inst: Instance): Promise<void> {
  const proc = inst.proc;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGCONT');
  proc.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseChaosArgs(process.argv.slice(2));
  const report = await runChaos(options);
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(report.ok ? 0 : 1);
}
