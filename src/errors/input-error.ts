import { ShipclockError } from './shipclock-error.js';

/** Where a problem sits in a file; line and column are 1-based. */
export interface SourcePosition {
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

/** One thing wrong with an input, with everything a person needs to fix it. */
export interface Problem extends SourcePosition {
  /** Machine-readable code, e.g. `E_CONFIG_UNKNOWN_KEY`, `E_CRON_RANGE`. */
  readonly code: string;
  /** Field path, e.g. `deployments.web.max_retries`. */
  readonly path?: string;
  /** The offending value, as written. */
  readonly value?: unknown;
  /** What is wrong, in a sentence. */
  readonly message: string;
  /** What is allowed, e.g. `an integer from 0 to 100`. */
  readonly allowed?: string;
  /** A suggestion: an example, or "did you mean `schedule`?". */
  readonly hint?: string;
  /** Source excerpt with a caret under the column, when known. */
  readonly excerpt?: string;
}

/**
 * Bad input (config, schedule expression, timezone, flag values): refused whole, exit code 2.
 * Carries every problem found, not just the first.
 */
export class InputError extends ShipclockError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], options: { cause?: unknown; code?: string } = {}) {
    super(options.code ?? problems[0]?.code ?? 'E_INPUT', formatProblems(problems), {
      cause: options.cause,
      exitCode: 2,
    });
    this.problems = Object.freeze([...problems]);
  }
}

/** `file:line:col: path: message (got X; allowed: Y) hint` — one problem per paragraph. */
export function formatProblem(p: Problem): string {
  // `file:line:col` for files; for a lone expression (a flag value) the column alone.
  const where =
    p.file !== undefined || p.line !== undefined
      ? [p.file, p.line, p.col].filter((x) => x !== undefined).join(':')
      : p.col !== undefined
        ? `column ${p.col}`
        : '';
  const head = [where, p.path].filter(Boolean).join(': ');
  let text = head ? `${head}: ${p.message}` : p.message;
  if (p.value !== undefined) text += `\n  got: ${JSON.stringify(p.value)}`;
  if (p.allowed) text += `\n  allowed: ${p.allowed}`;
  if (p.hint) text += `\n  hint: ${p.hint}`;
  if (p.excerpt) text += `\n${p.excerpt}`;
  return text;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map(formatProblem).join('\n\n');
}
