import { compileJob } from '../../app/compose.js';
import { humanDuration, writeJson } from '../format.js';
import { CONFIG_OPTIONS, parse } from '../args.js';
import type { Command } from '../command.js';
import { loadCliConfig } from '../context.js';
import { table } from '../format.js';
import { EXIT_OK, EXIT_USAGE } from '../io.js';
import { InputError } from '../../errors/input-error.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check the config and show the jobs it defines (exit 2 and every problem when invalid)',
  usage: `Usage: shipclock validate [-c FILE] [--json]

Loads and validates the config the same way 'run' does. Prints each job with its schedule in words,
provider, target, timeout and retries, then any notices. On bad input it prints every problem
(file:line:col, field, value, what is allowed) and exits 2.
`,
  async run(args, io) {
    const { values } = parse('validate', args, { ...CONFIG_OPTIONS, json: { type: 'boolean' } });
    let config;
    try {
      config = await loadCliConfig(values, io);
    } catch (error) {
      // With --json the verdict is a document too: every problem with its position, exit 2.
      if (values.json && error instanceof InputError) {
        writeJson(io, { valid: false, problems: error.problems });
        io.stderr.write(`shipclock: ${error.problems.length} problem(s) in the input; nothing was changed\n`);
        return EXIT_USAGE;
      }
      throw error;
    }
    const jobs = config.jobs.map((j) => ({
      job: j.name,
      schedule: j.schedule,
      description: j.schedule === null ? 'manual only' : compileJob(j).describe(),
      timezone: j.timezone,
      provider: j.provider.kind,
      target: j.target,
      timeout: j.timeoutMs === null ? 'none' : humanDuration(j.timeoutMs),
      max_retries: j.retry.maxRetries,
      overlap: j.overlap,
      catch_up: j.catchUp.mode,
      notifications: j.notifications !== null,
    }));
    if (values.json) {
      writeJson(io, { valid: true, file: config.file, state_dir: config.stateDir, store: config.store.kind, jobs, notices: config.notices });
      return EXIT_OK;
    }
    io.stdout.write(`${config.file ?? '(flags only)'}: valid, ${jobs.length} job${jobs.length === 1 ? '' : 's'}\n\n`);
    io.stdout.write(
      table(
        ['JOB', 'SCHEDULE', 'TZ', 'PROVIDER', 'TARGET', 'TIMEOUT', 'RETRIES'],
        jobs.map((j) => [j.job, j.schedule ?? '-', j.timezone, j.provider, j.target, j.timeout, String(j.max_retries)]),
      ),
    );
    for (const j of jobs) io.stdout.write(`\n${j.job}: ${j.description}`);
    io.stdout.write('\n');
    if (config.notices.length) io.stdout.write(`\nNotes:\n${config.notices.map((n) => `  - ${n}`).join('\n')}\n`);
    return EXIT_OK;
  },
};
