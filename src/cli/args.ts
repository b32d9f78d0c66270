import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command that reads a config accepts. */
export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'schedule-config': { type: 'string' },
  state: { type: 'string' },
  store: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export interface Parsed<V> {
  readonly values: V;
  readonly positionals: string[];
}

/**
 * util.parseArgs in strict mode, with its errors turned into UsageError (exit 2) that name the
 * command, so `shipclock status --jsn` says what went wrong and where to look.
 */
export function parse<const O extends Options>(
  command: string,
  args: readonly string[],
  options: O,
  maxPositionals = 0,
): { values: ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values']; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${command}: ${message.replace(/\. To specify a positional argument.*$/s, '')}\nRun 'shipclock ${command} --help' for usage.`, {
      cause: error,
      code: code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 'E_USAGE_UNKNOWN_OPTION' : 'E_USAGE',
    });
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `${command}: unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}\nRun 'shipclock ${command} --help' for usage.`,
    );
  }
  return parsed;
}

/** A whole number flag value (e.g. `--max-retries 3`), or a UsageError naming the flag. */
export function intFlag(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UsageError(`--${flag}: ${JSON.stringify(value)} is not allowed; use a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}`);
  }
  return n;
}

/** An ISO-8601 instant flag (`--from 2025-01-01T00:00Z`), or a UsageError naming the flag. */
export function instantFlag(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const name = /^[A-Z]+$/.test(flag) ? flag : `--${flag}`;
  const ms = Date.parse(value);
  // Date.parse rolls impossible dates over (02-30 → 03-02): refuse them instead.
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (parts) {
    const [y, mo, d, h, mi] = parts.slice(1).map(Number) as [number, number, number, number, number];
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59) {
      throw new UsageError(`${name}: ${JSON.stringify(value)} is not a real date and time; use e.g. 2025-03-09T02:30:00Z`);
    }
  }
  // An offset is required: a bare local time would depend on the process timezone.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value) || Number.isNaN(ms)) {
    throw new UsageError(`${name}: ${JSON.stringify(value)} is not an ISO-8601 instant with an offset; use e.g. 2025-03-09T02:30:00Z or 2025-03-09T02:30:00-05:00`);
  }
  return new Date(ms);
}
