/**
 * YAML + env + flags → one validated, frozen Config, in three stages: user input (each block
 * read and checked on its own), defaults (layers merged: built-in < file < env < flags),
 * compiled (schedules parsed, provider settings validated). Every problem from every stage is
 * collected; if there is any, nothing is returned and one InputError carries them all.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors/input-error.js';
import type { Config, JobConfig, LoadConfigInput } from './types.js';
import { compileJob, type JobInput } from './compile-job.js';
import { deepFreeze } from './deep-freeze.js';
import { DEFAULT_CONFIG_FILE, DEFAULT_JOB_NAME, DEFAULT_SHUTDOWN_GRACE_MS, DEFAULT_LEASE_MS, DEFAULT_HEARTBEAT_MS } from './defaults.js';
import { didYouMean } from './did-you-mean.js';
import { flagsSuffice, readFlags, type FlagValues } from './flag-values.js';
import { readBlock, type BlockLayer } from './job-layer.js';
import { configNotices } from './notices.js';
import { ProblemList, type Origin } from './problem-list.js';
import { checkDependencyGraph } from './scheduling-keys.js';
import { resolveStorage } from './storage-location.js';
import { readTopLevel } from './top-level.js';
import { jobName } from './value-schemas.js';
import { YamlSource, type FieldPath } from './yaml-source.js';
import { mapZodIssues } from './zod-issues.js';

const EMPTY_BLOCK: BlockLayer = { values: {}, settings: new Map() };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the named file, or `shipclock.yaml` in cwd; null when that default is absent and flags suffice. */
async function readConfigFile(input: LoadConfigInput): Promise<{ path: string; text: string } | null> {
  const named = input.file !== null;
  const path = resolve(input.cwd, input.file ?? DEFAULT_CONFIG_FILE);
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !named && flagsSuffice(input.flags)) return null;
    if (code === 'ENOENT') {
      throw new InputError([
        {
          code: 'E_CONFIG_NOT_FOUND',
          file: path,
          message: named ? `config file not found: ${path}` : `no config file: looked for ${path}`,
          hint: named
            ? 'check the path given to -c/--config (relative paths start from the current folder)'
            : 'create shipclock.yaml here, name one with -c FILE, or describe the job with flags (--provider …)',
        },
      ]);
    }
    throw new InputError([{ code: 'E_CONFIG_UNREADABLE', file: path, message: `cannot read the config file (${code ?? 'error'})`, hint: code === 'EISDIR' ? 'name a file, not a folder' : 'check the file permissions' }], { cause: e });
  }
}

export async function loadConfig(input: LoadConfigInput): Promise<Config> {
  const found = await readConfigFile(input);
  const source = found ? YamlSource.parse(found.path, found.text) : null;
  const problems = new ProblemList(source);
  const flags = readFlags(input.flags, problems);

  if (source) {
    const syntax = source.syntaxProblems();
    // A document with syntax errors has no trustworthy structure: report those (and flag
    // problems), not the confusing consequences.
    if (syntax.length) throw new InputError([...syntax, ...problems.sorted()]);
  }

  let root = source ? source.toValue() : {};
  if (root === null || root === undefined) root = {};
  if (!isRecord(root)) {
    problems.atPath([], { code: 'E_CONFIG_INVALID_VALUE', value: root, message: 'the config file must be a mapping of keys (deployment:, deployments:, …)', hint: 'deployment:\n  schedule: daily\n  provider: shell\n  command: ["./deploy.sh"]' });
    root = {};
  }
  const doc = root as Record<string, unknown>;
  const top = readTopLevel(doc, problems);
  const defaults = doc['defaults'] !== undefined ? readBlock(doc['defaults'], ['defaults'], problems, { kind: 'defaults' }) : EMPTY_BLOCK;

  const jobs = readJobs(doc, source, flags, problems, flagsSuffice(input.flags));
  const targets = selectJobs(jobs, flags, problems);

  const compiled: JobConfig[] = [];
  const notes: string[] = [];
  for (const job of jobs) {
    const c = compileJob(
      { ...job, defaults, topTimezone: top.timezone, flags: targets.includes(job) ? flags : undefined },
      problems,
      notes,
    );
    if (c) compiled.push(c);
  }
  // depends_on names real jobs and forms no cycle (a job that failed to compile still counts as known).
  checkDependencyGraph(
    compiled,
    (name) => jobs.find((j) => j.name === name)?.block.values.depends_on?.origin,
    problems,
    jobs.map((j) => j.name),
  );

  const baseDir = found ? dirname(found.path) : resolve(input.cwd);
  const storage = resolveStorage(
    { baseDir, cwd: resolve(input.cwd), fileStateDir: top.stateDir, fileStore: top.store, env: input.env, flagState: input.flags.state, flagStore: input.flags.store },
    problems,
  );

  if (problems.size > 0 || !storage) throw new InputError(problems.sorted());

  const config: Omit<Config, 'notices'> = {
    file: found?.path ?? null,
    stateDir: storage.stateDir,
    store: storage.store,
    jobs: compiled,
    shutdownGraceMs: top.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
    leaseMs: top.leaseMs ?? DEFAULT_LEASE_MS,
    heartbeatMs: top.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    maxConcurrentRuns: top.maxConcurrentRuns ?? null,
    smtp: top.smtp ?? null,
    dashboardUrl: top.dashboardUrl ?? null,
  };
  return deepFreeze({ ...config, notices: [...configNotices(config, input.env), ...notes] });
}

type JobEntry = Omit<JobInput, 'defaults' | 'topTimezone' | 'flags'>;

function readJobs(doc: Record<string, unknown>, source: YamlSource | null, flags: FlagValues, problems: ProblemList, fromFlags: boolean): JobEntry[] {
  const where = (path: FieldPath): JobInput['source'] => {
    const pos = source?.locate(path, 'key');
    return source && pos ? { file: source.file, line: pos.line, col: pos.col } : undefined;
  };
  const single = doc['deployment'];
  const multi = doc['deployments'];
  if (single !== undefined && multi !== undefined) {
    problems.atPath(['deployments'], {
      code: 'E_CONFIG_CONFLICT',
      at: 'key',
      message: 'both `deployment:` and `deployments:` are present',
      allowed: 'one `deployment:` block (a single job) or `deployments:` with named jobs',
      hint: 'move the `deployment:` block under `deployments:` with a name, e.g. `deployments: { web: {...} }`',
    });
  }

  if (single !== undefined) {
    const path = ['deployment'];
    const block = readBlock(single, path, problems, { kind: 'single' });
    let name = DEFAULT_JOB_NAME;
    if (block.name) {
      const r = jobName.safeParse(block.name.value);
      if (r.success) name = r.data;
      else for (const m of mapZodIssues(r.error.issues, { raw: block.name.value, name: 'name' })) problems.atPath([...path, 'name'], m.body);
    }
    return [{ name, origin: { kind: 'file', path }, block, source: where(path) }];
  }

  if (multi !== undefined) {
    if (!isRecord(multi) || Object.keys(multi).length === 0) {
      problems.atPath(['deployments'], {
        code: 'E_CONFIG_INVALID_VALUE',
        value: multi,
        message: '`deployments` must map job names to job blocks',
        hint: 'deployments:\n  web:\n    schedule: daily\n    provider: shell\n    command: ["./deploy.sh"]',
      });
      return [];
    }
    const out: JobEntry[] = [];
    for (const [key, value] of Object.entries(multi)) {
      const path = ['deployments', key];
      const r = jobName.safeParse(key);
      if (!r.success) for (const m of mapZodIssues(r.error.issues, { raw: key, name: key })) problems.atPath(path, { ...m.body, at: 'key' });
      const block = readBlock(value, path, problems, { kind: 'job' });
      out.push({ name: key, origin: { kind: 'file', path }, block, source: where(path) });
    }
    return out;
  }

  if (fromFlags) {
    const origin: Origin = { kind: 'flag', flag: '--provider' };
    return [{ name: flags.job ?? DEFAULT_JOB_NAME, origin, block: EMPTY_BLOCK, source: undefined }];
  }
  problems.atPath([], {
    code: 'E_CONFIG_NO_JOBS',
    message: 'the config defines no job',
    allowed: '`deployment:` (one job) or `deployments:` (named jobs)',
    hint: 'deployment:\n  schedule: "0 2 * * *"\n  provider: shell\n  command: ["./deploy.sh"]',
  });
  return [];
}

/** The jobs the flags apply to: the one named by `flags.job`, else all of them. */
function selectJobs(jobs: readonly JobEntry[], flags: FlagValues, problems: ProblemList): readonly JobEntry[] {
  const names = jobs.map((j) => j.name);
  if (flags.job !== undefined) {
    const job = jobs.find((j) => j.name === flags.job);
    if (!job) {
      if (jobs.length > 0) {
        problems.at({ kind: 'flag', flag: 'job' }, {
          code: 'E_CONFIG_UNKNOWN_JOB',
          value: flags.job,
          message: `no job named \`${flags.job}\` in the config`,
          allowed: names.join(', '),
          ...(didYouMean(flags.job, names) ? { hint: didYouMean(flags.job, names) as string } : {}),
        });
      }
      return [];
    }
    return [job];
  }
  if (flags.schedule && jobs.length > 1) {
    problems.at({ kind: 'flag', flag: '--schedule' }, {
      code: 'E_CONFIG_AMBIGUOUS_JOB',
      value: flags.schedule,
      message: '--schedule replaces one job\'s schedule, and the config has several jobs',
      allowed: names.join(', '),
      hint: `name the job, e.g. \`shipclock deploy ${names[0] ?? 'web'} --schedule …\``,
    });
  }
  return jobs;
}
