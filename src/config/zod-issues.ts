/**
 * Turns zod issues into config problems: one problem per issue, at the issue's path, worded
 * for a person ("`max_retries` must be an integer from 0 to 100") rather than zod's generic
 * text, with "did you mean" for unknown keys and misspelt choices. Used both for our own
 * field schemas and for each provider's `settingsSchema`.
 */
import type { z } from 'zod';
import { closest, didYouMean } from './did-you-mean.js';
import type { ProblemBody } from './problem-list.js';
import type { FieldPath } from './yaml-source.js';

export interface IssueContext {
  /** The raw value that was validated (to show bad values and spot missing keys). */
  readonly raw: unknown;
  /** Field name to use in messages for issues about `raw` itself. */
  readonly name?: string;
  /** What is allowed at a path (relative to `raw`), and an example. */
  describe?(path: FieldPath): { allowed?: string; example?: string } | undefined;
  /** Keys accepted by the object at `path`, for "did you mean". */
  knownKeys?(path: FieldPath): readonly string[] | undefined;
  /** Names of fields whose values must never be shown. */
  readonly secretKeys?: readonly string[];
  /**
   * Prefer the schema's own messages when it wrote specific ones (provider schemas do:
   * "expected an argument array such as [...]"); zod's generic texts are always reworded.
   */
  readonly schemaMessages?: boolean;
}

/** zod's built-in messages, which say less than our wording. */
const GENERIC = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

export interface MappedIssue {
  readonly path: FieldPath;
  readonly body: ProblemBody;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  tuple: 'a list',
  null: 'empty',
};

export function valueAt(raw: unknown, path: FieldPath): unknown {
  let v = raw;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function lastKey(path: FieldPath, fallback = 'value'): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return fallback;
}

export function mapZodIssues(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): MappedIssue[] {
  const out: MappedIssue[] = [];
  for (const issue of issues) out.push(...mapIssue(issue, ctx));
  return out;
}

function mapIssue(issue: z.core.$ZodIssue, ctx: IssueContext): MappedIssue[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const name = lastKey(path, ctx.name);
  const value = valueAt(ctx.raw, path);
  const info = ctx.describe?.(path);
  const secret = ctx.secretKeys?.includes(name) ?? false;
  const common = {
    ...(info?.allowed ? { allowed: info.allowed } : {}),
    ...(info?.example ? { hint: `for example: ${info.example}` } : {}),
    ...(secret ? { secret: true } : {}),
  };

  const own = ctx.schemaMessages && !GENERIC.test(issue.message) ? issue.message : undefined;

  if (value === undefined && issue.code !== 'unrecognized_keys' && issue.code !== 'custom' && path.length > 0) {
    const expected = issue.code === 'invalid_type' ? TYPE_WORDS[issue.expected] ?? issue.expected : undefined;
    const allowed = info?.allowed ?? own ?? expected;
    return [{ path, body: { code: 'E_CONFIG_MISSING_KEY', message: `\`${name}\` is required`, ...common, ...(allowed ? { allowed } : {}) } }];
  }

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = ctx.knownKeys?.(path) ?? [];
      return issue.keys.map((key) => {
        const hint = didYouMean(key, known);
        return {
          path: [...path, key],
          body: {
            code: 'E_CONFIG_UNKNOWN_KEY',
            at: 'key' as const,
            message: `unknown key \`${key}\`${path.length || ctx.name ? ` in \`${lastKey(path, ctx.name)}\`` : ''}`,
            ...(known.length ? { allowed: known.join(', ') } : {}),
            ...(hint ? { hint } : {}),
          },
        };
      });
    }
    case 'invalid_type': {
      const message = own ? `\`${name}\`: ${own}` : `\`${name}\` must be ${info?.allowed ?? TYPE_WORDS[issue.expected] ?? issue.expected}`;
      return [{ path, body: { code: 'E_CONFIG_INVALID_VALUE', value, message, ...common } }];
    }
    case 'invalid_value': {
      const choices = issue.values.map(String);
      const guess = typeof value === 'string' ? closest(value, choices) : undefined;
      return [
        {
          path,
          body: {
            code: 'E_CONFIG_INVALID_VALUE',
            value,
            message: `\`${name}\` must be one of ${choices.join(', ')}`,
            ...common,
            allowed: info?.allowed ?? choices.join(', '),
            ...(guess ? { hint: `did you mean \`${guess}\`?` } : {}),
          },
        },
      ];
    }
    case 'custom': {
      const params = (issue.params ?? {}) as { code?: string; allowed?: string; hint?: string };
      return [
        {
          path,
          body: {
            code: params.code ?? 'E_CONFIG_INVALID_VALUE',
            value,
            message: issue.message,
            ...common,
            ...(params.allowed ? { allowed: params.allowed } : {}),
            ...(params.hint ? { hint: params.hint } : {}),
          },
        },
      ];
    }
    default: {
      // too_small, too_big, invalid_format, invalid_union, not_multiple_of …: zod's text is
      // precise enough about the bound; "allowed" from our table says the rest.
      const message = own ? `\`${name}\`: ${own}` : info?.allowed ? `\`${name}\` must be ${info.allowed}` : `\`${name}\`: ${issue.message}`;
      return [{ path, body: { code: 'E_CONFIG_INVALID_VALUE', value, message, ...common } }];
    }
  }
}
