/**
 * Renders an argument array as one readable, copy-pasteable command line for `--dry-run`
 * plans and logs, with secret values replaced by `***`.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `secrets` are literal values to hide wherever they appear inside an argument. */
export function formatCommand(argv: readonly string[], secrets: readonly string[] = []): string {
  return argv.map((a) => quoteArg(redact(a, secrets))).join(' ');
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}
