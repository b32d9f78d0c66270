import { parseArgs } from 'node:util';

export interface ChaosOptions {
  readonly seconds: number;
  readonly instances: number;
  readonly seed: number;
  /** Mean time between faults. */
  readonly faultEveryMs: number;
  readonly maxStopMs: number;
  readonly maxDbDownMs: number;
  readonly dbRestart: boolean;
  readonly clockShift: boolean;
  /** Longest wait, after the chaos, for every occurrence of the window to settle. */
  readonly settleMs: number;
  /** Run `npm run build` first (bin/shipclock runs dist/). */
  readonly build: boolean;
  /** Run src/cli/bin.ts through tsx instead of bin/shipclock (no build needed). */
  readonly fromSource: boolean;
  /** Work folder to keep; default a temporary one, removed after a passing run. */
  readonly out: string | null;
  readonly keep: boolean;
  readonly json: boolean;
}

export const CHAOS_USAGE = `Usage: node scripts/chaos/run.mjs [options]

  --minutes N        length of the chaos phase (or --seconds N; default 2 minutes)
  --instances N      shipclock run processes, 3 to 5 (default 4)
  --seed N           random seed (default: from the time; printed)
  --fault-every S    mean seconds between faults (default 5)
  --max-stop S       longest SIGSTOP, seconds (default 60)
  --max-db-down S    longest database outage, seconds (default 8)
  --no-db-restart    never restart the database
  --no-clock-shift   never shift instance 0's clock (libfaketime)
  --settle S         longest wait for the ledger to settle afterwards (default 90)
  --no-build         do not run npm run build first
  --from-source      run src/cli/bin.ts through tsx instead of bin/shipclock
  --out DIR          work folder (kept); default a temporary one, removed when the run passes
  --keep             keep the temporary work folder
  --json             also print the report as one JSON line
`;

/** Command-line options of the chaos run; throws with the usage on a bad value. */
export function parseChaosArgs(argv: readonly string[]): ChaosOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      minutes: { type: 'string' },
      seconds: { type: 'string' },
      instances: { type: 'string' },
      seed: { type: 'string' },
      'fault-every': { type: 'string' },
      'max-stop': { type: 'string' },
      'max-db-down': { type: 'string' },
      'no-db-restart': { type: 'boolean' },
      'no-clock-shift': { type: 'boolean' },
      settle: { type: 'string' },
      'no-build': { type: 'boolean' },
      'from-source': { type: 'boolean' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(CHAOS_USAGE);
    process.exit(0);
  }
  const num = (name: string, v: string | undefined, dflt: number, min: number, max: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name}: expected a number from ${min} to ${max}, got ${JSON.stringify(v)}\n\n${CHAOS_USAGE}`);
    return n;
  };
  const seconds = values.seconds !== undefined ? num('seconds', values.seconds, 120, 5, 86_400) : num('minutes', values.minutes, 2, 0.1, 1_440) * 60;
  return {
    seconds,
    instances: num('instances', values.instances, 4, 3, 5),
    seed: num('seed', values.seed, Date.now() % 1_000_000, 0, 2 ** 31),
    faultEveryMs: num('fault-every', values['fault-every'], 5, 0.5, 600) * 1_000,
    maxStopMs: num('max-stop', values['max-stop'], 60, 1, 600) * 1_000,
    maxDbDownMs: num('max-db-down', values['max-db-down'], 8, 1, 600) * 1_000,
    dbRestart: !values['no-db-restart'],
    clockShift: !values['no-clock-shift'],
    settleMs: num('settle', values.settle, 90, 10, 3_600) * 1_000,
    build: !values['no-build'],
    fromSource: values['from-source'] ?? false,
    out: values.out ?? null,
    keep: values.keep ?? false,
    json: values.json ?? false,
  };
}
