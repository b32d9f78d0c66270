import { InputError } from '../errors/index.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const ALLOWED =
  'a positive duration: a number followed by ms, s, m, h or d, optionally combined from larger to smaller units (e.g. "500ms", "30s", "10m", "1h30m", "64h", "2d")';

/**
 * Parses a human duration such as `30s`, `10m`, `1h30m`, `64h`, `500ms` or `2d` into
 * milliseconds. Units must appear from largest to smallest, each at most once, so that
 * `30m1h` (almost certainly a typo) is refused rather than summed.
 */
export function parseDuration(text: string): number {
  const input = text.trim();
  const fail = (message: string): never => {
    throw new InputError([
      { code: 'E_DURATION', value: text, message, allowed: ALLOWED, hint: 'for example "30s", "10m" or "1h30m"' },
    ]);
  };
  if (input === '') fail('the duration is empty');
  const re = /(\d+)(ms|s|m|h|d)/gy;
  let total = 0;
  let lastUnit = Infinity;
  let pos = 0;
  for (let m = re.exec(input); m !== null; m = re.exec(input)) {
    const unitMs = UNIT_MS[m[2] as string] as number;
    if (unitMs >= lastUnit) fail(`unit "${m[2]}" repeated or out of order (largest unit first)`);
    lastUnit = unitMs;
    total += Number(m[1]) * unitMs;
    pos = re.lastIndex;
  }
  if (pos !== input.length) {
    fail(/^\d+$/.test(input) ? `"${input}" has no unit` : `"${input}" is not a duration`);
  }
  if (!Number.isSafeInteger(total)) fail('the duration is too large');
  if (total <= 0) fail('the duration must be greater than zero');
  return total;
}
